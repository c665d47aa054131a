package io.pathswitch.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathswitch.config.AgentConfig;
import io.pathswitch.core.Bindings;
import io.pathswitch.core.Switch;
import io.pathswitch.core.SwitchListener;
import io.pathswitch.core.SwitchState;
import io.pathswitch.fixtures.ChildFirstLoader;
import io.pathswitch.time.Clock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

class InstallerTest {

  private static final String PRICING = "io.pathswitch.fixtures.Pricing";
  private static final String ENGINE = "io.pathswitch.fixtures.PricingEngine";
  private static final String JAVA_6 = "io.pathswitch.fixtures.PricingOfJava6";

  private final Instrumentation instrumentation = TestInstrumentation.get();
  private final Map<String, byte[]> transformed = new ConcurrentHashMap<>();
  private final ClassFileTransformer capture = new Capture();
  private final List<String> events = new ArrayList<>();
  private Installer installer;
  private List<Switch> switches;

  @BeforeEach
  void watchTransformedClasses() {
    transformed.clear();
  }

  @AfterEach
  void removeTransformers() {
    if (installer != null) {
      installer.uninstall();
    }
    if (switches != null) {
      switches.forEach(Switch::withdraw);
    }
    instrumentation.removeTransformer(capture);
  }

  @Test
  void divertsAnInstanceMethodToAnotherMethodOfTheSameClass() throws Throwable {
    Object pricing =
        install(
            "switch.s.legacy=" + PRICING + "#price",
            "switch.s.unified=" + PRICING + "#priceUnified");

    Object price = call(pricing, "price", new Class<?>[] {long.class}, 3L);

    assertThat(price).isEqualTo(31L);
    assertThat(switches.get(0).unifiedStats().calls()).isEqualTo(1);
    assertVerified();
  }

  @Test
  void divertsAStaticMethodToAStaticMethod() throws Throwable {
    Object pricing =
        install("switch.s.legacy=" + PRICING + "#label", "switch.s.unified=" + ENGINE + "#label");

    Object label = call(pricing, "label", new Class<?>[] {String.class, int.class}, "a", 2);

    assertThat(label).isEqualTo("unified:a:2");
    assertVerified();
  }

  @Test
  void divertsAFinalVoidMethodToAStaticMethodTakingTheReceiver() throws Throwable {
    Object pricing =
        install("switch.s.legacy=" + PRICING + "#touch", "switch.s.unified=" + ENGINE + "#touch");
    List<String> log = new ArrayList<>();

    call(pricing, "touch", new Class<?>[] {List.class}, log);

    assertThat(log).containsExactly("unified EUR");
    assertVerified();
  }

  @Test
  void divertsOneOverloadToAnInstanceOfANewClass() throws Throwable {
    Object pricing =
        install(
            "switch.s.legacy=" + PRICING + "#quote(long)", "switch.s.unified=" + ENGINE + "#quote");

    Object byId = call(pricing, "quote", new Class<?>[] {long.class}, 5L);
    Object byCode = call(pricing, "quote", new Class<?>[] {String.class}, "x");

    assertThat(byId).isEqualTo("unified 5");
    assertThat(byCode).isEqualTo("legacy x");
    assertVerified();
  }

  @Test
  void refusesAnOverloadedNameWithoutParametersAndListsTheCandidates() throws Throwable {
    Object pricing =
        install("switch.s.legacy=" + PRICING + "#quote", "switch.s.unified=" + ENGINE + "#quote");

    Object byId = call(pricing, "quote", new Class<?>[] {long.class}, 5L);

    assertThat(byId).isEqualTo("legacy 5 EUR");
    assertThat(switches.get(0).state()).isEqualTo(SwitchState.INVALID);
    assertThat(switches.get(0).stateReason())
        .isEqualTo(
            "quote is overloaded on io.pathswitch.fixtures.Pricing: quote(long),"
                + " quote(java.lang.String); give the parameter list in switch.s.legacy, e.g."
                + " io.pathswitch.fixtures.Pricing#quote(long); calls stay on the legacy path");
  }

  @Test
  void refusesAUnifiedMethodWhoseReturnTypeDoesNotFit() throws Throwable {
    Object pricing =
        install(
            "switch.s.legacy=" + PRICING + "#price", "switch.s.unified=" + ENGINE + "#wrongType");

    Object price = call(pricing, "price", new Class<?>[] {long.class}, 3L);

    assertThat(price).isEqualTo(30L);
    assertThat(switches.get(0).stateReason())
        .contains("returns java.lang.Integer, legacy returns long")
        .endsWith("calls stay on the legacy path");
  }

  @Test
  void refusesAMissingMethodAndNamesTheNearestOnes() throws Throwable {
    Object pricing =
        install("switch.s.legacy=" + PRICING + "#pricee", "switch.s.unified=" + ENGINE + "#quote");

    call(pricing, "price", new Class<?>[] {long.class}, 3L);

    assertThat(switches.get(0).stateReason())
        .startsWith("no method pricee on io.pathswitch.fixtures.Pricing; nearest: price,");
  }

  @Test
  void fallsBackToTheLegacyResultWhenTheUnifiedPathThrows() throws Throwable {
    Object pricing =
        install(
            "switch.s.legacy=" + PRICING + "#failing", "switch.s.unified=" + ENGINE + "#failing");

    Object value = call(pricing, "failing", new Class<?>[] {int.class}, 7);

    assertThat(value).isEqualTo(7);
    assertThat(switches.get(0).fallbackStats().calls()).isEqualTo(1);
    assertThat(switches.get(0).unifiedErrors()).isEqualTo(1);
    assertThat(switches.get(0).unifiedStats().calls()).isZero();
    assertVerified();
  }

  @Test
  void letsTheCallerSeeTheFailureWithoutFallback() throws Throwable {
    Object pricing =
        install(
            "switch.s.legacy=" + PRICING + "#failing",
            "switch.s.unified=" + ENGINE + "#failing",
            "switch.s.fallback=false");

    assertThatThrownBy(() -> call(pricing, "failing", new Class<?>[] {int.class}, 7))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("unified engine is down");
    assertThat(switches.get(0).unifiedErrors()).isEqualTo(1);
    assertThat(switches.get(0).unifiedStats().calls()).isEqualTo(1);
  }

  @Test
  void returnsANullUnifiedResult() throws Throwable {
    Object pricing =
        install(
            "switch.s.legacy=" + PRICING + "#nothing", "switch.s.unified=" + ENGINE + "#nothing");

    Object value = call(pricing, "nothing", new Class<?>[0]);

    assertThat(value).isNull();
    assertThat(switches.get(0).unifiedStats().calls()).isEqualTo(1);
  }

  @Test
  void keepsTheLegacyPathAtZeroPercentAndCountsIt() throws Throwable {
    Object pricing =
        install(
            "switch.s.legacy=" + PRICING + "#price",
            "switch.s.unified=" + PRICING + "#priceUnified",
            "switch.s.percentage=0");

    Object price = call(pricing, "price", new Class<?>[] {long.class}, 3L);

    assertThat(price).isEqualTo(30L);
    assertThat(switches.get(0).legacyStats().calls()).isEqualTo(1);
    assertThat(switches.get(0).unifiedStats().calls()).isZero();
  }

  @Test
  void countsNothingWhileTheSwitchIsOff() throws Throwable {
    Object pricing =
        install(
            "switch.s.legacy=" + PRICING + "#price",
            "switch.s.unified=" + PRICING + "#priceUnified",
            "switch.s.enabled=false");

    Object price = call(pricing, "price", new Class<?>[] {long.class}, 3L);

    assertThat(price).isEqualTo(30L);
    assertThat(switches.get(0).legacyStats().calls()).isZero();
    assertThat(switches.get(0).state()).isEqualTo(SwitchState.OFF);
  }

  @Test
  void appliesAFlagChangeFromTheNextCallOn() throws Throwable {
    Object pricing =
        install(
            "switch.s.legacy=" + PRICING + "#price",
            "switch.s.unified=" + PRICING + "#priceUnified",
            "switch.s.percentage=0");
    Object before = call(pricing, "price", new Class<?>[] {long.class}, 3L);

    switches.get(0).setPercentage(100, "test");
    Object after = call(pricing, "price", new Class<?>[] {long.class}, 3L);

    assertThat(before).isEqualTo(30L);
    assertThat(after).isEqualTo(31L);
    assertThat(events).contains("s Percentage 0.0 -> 100.0 (test)");
  }

  @Test
  void readsTheRouteThroughAnInvokedynamicLinkedToTheRouteTable() throws Throwable {
    install(
        "switch.s.legacy=" + PRICING + "#price", "switch.s.unified=" + PRICING + "#priceUnified");

    String code = methodCode(transformed.get(PRICING));

    assertThat(code)
        .contains("INVOKEDYNAMIC route()Lio/pathswitch/bootstrap/Route;")
        .contains("io/pathswitch/bootstrap/Routes.link(")
        .doesNotContain("io/pathswitch/bootstrap/Routes.get");
  }

  @Test
  void keepsASmallLegacyMethodSmallEnoughForTheJitToInline() throws Throwable {
    install(
        "switch.s.legacy=" + PRICING + "#price", "switch.s.unified=" + PRICING + "#priceUnified");

    int before = codeLength(ChildFirstLoader.bytesOf(PRICING), "price", "(J)J");
    int after = codeLength(transformed.get(PRICING), "price", "(J)J");

    // HotSpot inlines a hot method of up to FreqInlineSize (325) bytes of bytecode. Over it, a
    // small method that the JIT inlined without the agent becomes a call, which is what an off
    // switch would then cost; under it, the off switch's code folds away once compiled.
    assertThat(before).isLessThan(20);
    assertThat(after).as("bytes of price(long) with the advice").isLessThan(325 - 10);
  }

  @Test
  void readsTheRouteWithAVolatileReadInAClassFileOlderThanJava7() throws Throwable {
    Object pricing =
        install(
            JAVA_6,
            new Java6Loader(),
            "switch.s.legacy=" + JAVA_6 + "#price",
            "switch.s.unified=" + JAVA_6 + "#priceUnified");
    Switch sw = switches.get(0);

    Object unified = call(pricing, "price", new Class<?>[] {long.class}, 3L);
    sw.setEnabled(false, "test");
    Object legacy = call(pricing, "price", new Class<?>[] {long.class}, 3L);

    assertThat(unified).isEqualTo(31L);
    assertThat(legacy).isEqualTo(30L);
    assertThat(transformed.get(JAVA_6)[7]).isEqualTo((byte) 50);
    assertThat(methodCode(transformed.get(JAVA_6)))
        .contains(
            "INVOKESTATIC io/pathswitch/bootstrap/Routes.get (I)Lio/pathswitch/bootstrap/Route;")
        .doesNotContain("INVOKEDYNAMIC");
    assertVerified(JAVA_6);
  }

  @Test
  void followsEnabledInCodeTheJitCompiledWithTheOldRoute() throws Throwable {
    Object pricing =
        install(
            "switch.s.legacy=" + PRICING + "#price",
            "switch.s.unified=" + PRICING + "#priceUnified");
    Method price = pricing.getClass().getMethod("price", long.class);
    Switch sw = switches.get(0);

    // Enough calls for the JIT to compile price with the route inlined as a constant.
    long unified = sumOfPrices(price, pricing, 20_000);
    sw.setEnabled(false, "test");
    long off = sumOfPrices(price, pricing, 20_000);
    long callsWhileOff = sw.unifiedStats().calls() + sw.legacyStats().calls();
    sw.setEnabled(true, "test");
    long on = sumOfPrices(price, pricing, 1);

    assertThat(unified).isEqualTo(20_000 * 31L);
    assertThat(off).isEqualTo(20_000 * 30L);
    assertThat(callsWhileOff).isEqualTo(20_000);
    assertThat(on).isEqualTo(31L);
    assertThat(sw.unifiedStats().calls()).isEqualTo(20_001);
  }

  private static long sumOfPrices(Method price, Object pricing, int calls) throws Exception {
    long sum = 0;
    for (int i = 0; i < calls; i++) {
      sum += (long) price.invoke(pricing, 3L);
    }
    return sum;
  }

  @Test
  void refusesMethodsOfTheJdk() throws Throwable {
    install("switch.s.legacy=java.lang.String#trim", "switch.s.unified=" + ENGINE + "#quote");

    assertThat(switches.get(0).state()).isEqualTo(SwitchState.INVALID);
    assertThat(switches.get(0).stateReason())
        .isEqualTo(
            "java.lang.String belongs to the JDK, whose methods pathswitch never switches; calls"
                + " stay on the legacy path");
  }

  @Test
  void restoresTheOriginalBytecodeOnUninstall() throws Throwable {
    Object pricing =
        install(
            "switch.s.legacy=" + PRICING + "#price",
            "switch.s.unified=" + PRICING + "#priceUnified");
    Class<?> type = pricing.getClass();

    installer.uninstall();
    installer = null;
    byte[][] now = new byte[1][];
    ClassFileTransformer reader =
        new ClassFileTransformer() {
          @Override
          public byte[] transform(
              ClassLoader loader,
              String name,
              Class<?> redefined,
              ProtectionDomain domain,
              byte[] bytes) {
            if (redefined == type) {
              now[0] = bytes.clone();
            }
            return null;
          }
        };
    instrumentation.addTransformer(reader, true);
    try {
      instrumentation.retransformClasses(type);
    } finally {
      instrumentation.removeTransformer(reader);
    }

    assertThat(call(pricing, "price", new Class<?>[] {long.class}, 3L)).isEqualTo(30L);
    assertThat(methodCode(now[0])).isEqualTo(methodCode(ChildFirstLoader.bytesOf(PRICING)));
  }

  private Object install(String... lines) throws Exception {
    return install(PRICING, new ChildFirstLoader(), lines);
  }

  private Object install(String className, ClassLoader loader, String... lines) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("switch.s.enabled", "true");
    for (String line : lines) {
      String[] pair = line.split("=", 2);
      properties.setProperty(pair[0], pair[1]);
    }
    AgentConfig config = AgentConfig.parse(properties, "test.properties");
    SwitchListener listener = new Recorder(events);
    switches = new ArrayList<>();
    config.switches().forEach(c -> switches.add(new Switch(c, Clock.SYSTEM, listener)));
    installer = new Installer(instrumentation, new Bindings());
    installer.install(switches);
    instrumentation.addTransformer(capture, true);
    Class<?> type = Class.forName(className, true, loader);
    return type.getConstructor().newInstance();
  }

  private static Object call(Object target, String name, Class<?>[] types, Object... args)
      throws Throwable {
    Method method = target.getClass().getMethod(name, types);
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private void assertVerified() {
    assertVerified(PRICING);
  }

  private void assertVerified(String className) {
    assertThat(transformed).containsKey(className);
    for (Map.Entry<String, byte[]> entry : transformed.entrySet()) {
      StringWriter problems = new StringWriter();
      CheckClassAdapter.verify(
          new ClassReader(entry.getValue()),
          new ChildFirstLoader(),
          false,
          new PrintWriter(problems));
      assertThat(problems.toString()).as("ASM verifier on %s", entry.getKey()).isEmpty();
    }
  }

  /** The length of a method's bytecode, read from its class file's Code attribute. */
  private static int codeLength(byte[] classFile, String name, String descriptor) {
    ClassReader reader = new ClassReader(classFile);
    char[] text = new char[reader.getMaxStringLength()];
    int offset = reader.header + 6;
    offset += 2 + 2 * reader.readUnsignedShort(offset);
    offset = skipMembers(reader, offset);
    int methods = reader.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < methods; i++) {
      boolean wanted =
          reader.readUTF8(offset + 2, text).equals(name)
              && reader.readUTF8(offset + 4, text).equals(descriptor);
      int attributes = reader.readUnsignedShort(offset + 6);
      offset += 8;
      for (int j = 0; j < attributes; j++) {
        if (wanted && reader.readUTF8(offset, text).equals("Code")) {
          return reader.readInt(offset + 10); // after the name, length, max stack and max locals
        }
        offset += 6 + reader.readInt(offset + 2);
      }
    }
    throw new AssertionError("no code for " + name + descriptor);
  }

  private static int skipMembers(ClassReader reader, int offset) {
    int members = reader.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < members; i++) {
      int attributes = reader.readUnsignedShort(offset + 6);
      offset += 8;
      for (int j = 0; j < attributes; j++) {
        offset += 6 + reader.readInt(offset + 2);
      }
    }
    return offset;
  }

  private static String methodCode(byte[] bytes) {
    StringWriter text = new StringWriter();
    new ClassReader(bytes)
        .accept(new org.objectweb.asm.util.TraceClassVisitor(new PrintWriter(text)), 0);
    return text.toString();
  }

  /** Defines {@link #JAVA_6} from its class file with the version set to 50, Java 6's. */
  private static final class Java6Loader extends ClassLoader {

    Java6Loader() {
      super(Java6Loader.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (!name.equals(JAVA_6)) {
          return super.loadClass(name, resolve);
        }
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          byte[] bytes = ChildFirstLoader.bytesOf(name);
          bytes[6] = 0; // major version, high byte
          bytes[7] = 50;
          loaded = defineClass(name, bytes, 0, bytes.length);
        }
        return loaded;
      }
    }
  }

  /** Keeps the bytes of fixture classes as the agent left them. */
  private final class Capture implements ClassFileTransformer {
    @Override
    public byte[] transform(
        ClassLoader loader,
        String name,
        Class<?> redefined,
        ProtectionDomain domain,
        byte[] bytes) {
      if (name != null && name.startsWith("io/pathswitch/fixtures/Pricing")) {
        transformed.put(name.replace('/', '.'), bytes.clone());
      }
      return null;
    }
  }

  /** Writes each change as one line, for assertions. */
  private static final class Recorder implements SwitchListener {
    private final List<String> events;

    Recorder(List<String> events) {
      this.events = events;
    }

    @Override
    public void changed(
        Switch sw, String attribute, Object oldValue, Object newValue, String cause) {
      events.add(
          sw.name() + " " + attribute + " " + oldValue + " -> " + newValue + " (" + cause + ")");
    }

    @Override
    public void stateChanged(Switch sw, SwitchState from, SwitchState to, String cause) {
      events.add(sw.name() + " " + from + " -> " + to + ": " + cause);
    }

    @Override
    public void unifiedFirstRan(Switch sw, long nanos, long statements) {
      events.add(sw.name() + " first unified run");
    }

    @Override
    public void unifiedFailedFirst(Switch sw, Throwable failure, boolean fellBack) {
      events.add(sw.name() + " first failure " + failure);
    }

    @Override
    public void mismatch(Switch sw, Object[] args, Object legacy, Object unified, long count) {
      events.add(sw.name() + " mismatch " + count);
    }
  }
}
