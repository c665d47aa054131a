package io.pathswitch.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathswitch.config.AgentConfig;
import io.pathswitch.core.Bindings;
import io.pathswitch.core.Switch;
import io.pathswitch.core.SwitchListener;
import io.pathswitch.fixtures.ChildFirstLoader;
import io.pathswitch.time.Clock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.TraceClassVisitor;

/**
 * A diverted call reaches the unified method through an {@code invokedynamic} typed with the legacy
 * method's own parameters: through an argument array until the unified method has served once, then
 * straight from the legacy method, with the same results and the same records either way.
 */
class TypedCallTest {

  private static final String KINDS = "io.pathswitch.fixtures.Kinds";
  private static final String PRICING = "io.pathswitch.fixtures.Pricing";
  private static final String ENGINE = "io.pathswitch.fixtures.PricingEngine";
  private static final String THROUGH_ARRAY = "io.pathswitch.core.Invoker#invoke";

  private final Instrumentation instrumentation = TestInstrumentation.get();
  private final List<String> events = new ArrayList<>();
  private final AtomicReference<byte[]> transformed = new AtomicReference<>();
  private final ClassFileTransformer capture = new Capture();
  private final Bindings bindings = new Bindings();
  private Installer installer;
  private Switch sw;
  private Object legacy;

  @AfterEach
  void uninstall() {
    instrumentation.removeTransformer(capture);
    if (installer != null) {
      installer.uninstall();
    }
    if (sw != null) {
      sw.withdraw();
    }
    bindings.clear();
  }

  @Test
  void callsTheUnifiedMethodStraightFromTheLegacyMethodOnceItHasServed() throws Throwable {
    install(KINDS, "nextLong", "nextLongUnified");

    Object first = call("nextLong", 41L);
    Object second = call("nextLong", 41L);

    assertThat(first).isEqualTo(42L);
    assertThat(second).isEqualTo(42L);
    assertThat(callers()).containsExactly(THROUGH_ARRAY, KINDS + "#nextLong");
    assertThat(sw.unifiedStats().calls()).isEqualTo(2);
    assertThat(events).containsExactly("first unified run");
  }

  @Test
  void passesAndReturnsEveryPrimitiveKind() throws Throwable {
    Object[][] cases = {
      {"flip", true, false},
      {"nextByte", (byte) 7, (byte) 8},
      {"nextChar", 'a', 'b'},
      {"nextShort", (short) -3, (short) -2},
      {"nextInt", Integer.MAX_VALUE - 1, Integer.MAX_VALUE},
      {"nextLong", Long.MIN_VALUE, Long.MIN_VALUE + 1},
      {"half", 3f, 1.5f},
      {"halfDouble", -5d, -2.5d},
    };
    for (Object[] kind : cases) {
      String method = (String) kind[0];
      install(KINDS, method, method + "Unified");

      Object first = call(method, kind[1]);
      Object typed = call(method, kind[1]);

      assertThat(first).as(method).isEqualTo(kind[2]);
      assertThat(typed).as(method).isEqualTo(kind[2]);
      assertThat(callers()).as(method).containsExactly(THROUGH_ARRAY, KINDS + "#" + method);
      uninstall();
    }
  }

  @Test
  void keepsEachArgumentInItsOwnSlotWhenKindsAreMixed() throws Throwable {
    install(KINDS, "all", "allUnified");
    Object[] args = {true, (byte) 1, 'c', (short) 2, 3, 4L, 5.5f, 6.25d, "text"};

    call("all", args);
    Object typed = call("all", args);

    assertThat(typed).isEqualTo("true 1 c 2 3 4 5.5 6.25 text");
    assertThat(callers()).containsExactly(THROUGH_ARRAY, KINDS + "#all");
  }

  @Test
  void passesNoReceiverForAStaticLegacyMethod() throws Throwable {
    install(KINDS, "twice", "twiceUnified");

    call("twice", 4L);
    Object typed = call("twice", 4L);

    assertThat(typed).isEqualTo(8L);
    assertThat(callers()).containsExactly(THROUGH_ARRAY, KINDS + "#twice");
    assertThat(methodCode())
        .contains("INVOKEDYNAMIC unified(Lio/pathswitch/bootstrap/Route;J)J")
        .contains("TRYCATCHBLOCK")
        .contains("io/pathswitch/bootstrap/FallBack");
  }

  @Test
  void passesTheReceiverFirstForAnInstanceMethod() throws Throwable {
    install(KINDS, "nextInt", "nextIntUnified");

    call("nextInt", 1);

    assertThat(methodCode())
        .contains(
            "INVOKEDYNAMIC unified(Lio/pathswitch/bootstrap/Route;Lio/pathswitch/fixtures/Kinds;"
                + "I)I")
        .contains("io/pathswitch/bootstrap/Routes.unified(");
  }

  @Test
  void runsAVoidUnifiedMethodAndReturnsNothing() throws Throwable {
    install(KINDS, "log", "logUnified");
    List<String> log = new ArrayList<>();

    call("log", log);
    call("log", log);

    assertThat(log).containsExactly("unified", "unified");
    assertThat(callers()).containsExactly(THROUGH_ARRAY, KINDS + "#log");
    assertThat(sw.unifiedStats().calls()).isEqualTo(2);
  }

  @Test
  void returnsANullUnifiedResultAsNull() throws Throwable {
    install(KINDS, "nothing", "nothingUnified");

    Object first = call("nothing");
    Object typed = call("nothing");

    assertThat(first).isNull();
    assertThat(typed).isNull();
    assertThat(callers()).containsExactly(THROUGH_ARRAY, KINDS + "#nothing");
  }

  @Test
  void divertsEachShapeOfUnifiedMethodThroughTheTypedCall() throws Throwable {
    List<String> log = new ArrayList<>();

    install(PRICING, "label", ENGINE + "#label");
    call("label", "a", 2);
    Object staticToStatic = call("label", "a", 2);
    uninstall();
    install(PRICING, "touch", ENGINE + "#touch");
    call("touch", log);
    call("touch", log);
    uninstall();
    install(PRICING, "quote(long)", ENGINE + "#quote");
    call("quote", 5L);
    Object newInstance = call("quote", 5L);
    uninstall();
    install(PRICING, "price", "priceUnified");
    call("price", 3L);
    Object sameInstance = call("price", 3L);

    assertThat(staticToStatic).isEqualTo("unified:a:2");
    assertThat(log).containsExactly("unified EUR", "unified EUR");
    assertThat(newInstance).isEqualTo("unified 5");
    assertThat(sameInstance).isEqualTo(31L);
  }

  @Test
  void fallsBackOnEveryCallWhileTheUnifiedClassCannotBeInitialised() throws Throwable {
    install(KINDS, "doomed", "io.pathswitch.fixtures.DoomedEngine#doomed");

    Object first = call("doomed", 7);
    Object second = call("doomed", 7);

    assertThat(first).isEqualTo(7);
    assertThat(second).isEqualTo(7);
    assertThat(sw.fallbackStats().calls()).isEqualTo(2);
    assertThat(sw.unifiedErrors()).isEqualTo(2);
    assertThat(sw.unifiedStats().calls()).isZero();
    assertThat(events)
        .containsExactly("first failure java.lang.ExceptionInInitializerError (fell back: true)");
  }

  @Test
  void letsTheCallerSeeWhyTheUnifiedClassCannotBeInitialisedWithoutFallback() throws Throwable {
    install(KINDS, "doomed", "io.pathswitch.fixtures.DoomedEngine#doomed", "fallback=false");

    assertThatThrownBy(() -> call("doomed", 7))
        .isInstanceOf(ExceptionInInitializerError.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> call("doomed", 7))
        .isInstanceOf(NoClassDefFoundError.class)
        .hasMessageContaining("DoomedEngine");
    assertThat(sw.unifiedErrors()).isEqualTo(2);
    assertThat(sw.unifiedStats().calls()).isEqualTo(2);
  }

  @Test
  void followsTheSwitchOffAndOnAgainAfterTheCallIsTyped() throws Throwable {
    install(KINDS, "nextInt", "nextIntUnified");
    call("nextInt", 1);
    call("nextInt", 1);

    sw.setEnabled(false, "test");
    Object off = call("nextInt", 1);
    sw.setEnabled(true, "test");
    Object on = call("nextInt", 1);

    assertThat(off).isEqualTo(1);
    assertThat(on).isEqualTo(2);
    assertThat(callers()).containsExactly(THROUGH_ARRAY, KINDS + "#nextInt", KINDS + "#nextInt");
    assertThat(sw.unifiedStats().calls()).isEqualTo(3);
    assertThat(sw.legacyStats().calls()).isZero();
  }

  @Test
  void servesAReloadedBindingThroughItsOwnTypedCall() throws Throwable {
    install(KINDS, "nextInt", "nextIntUnified");
    call("nextInt", 1);
    call("nextInt", 1);
    Switch before = sw;

    // What a reload does: the old installation undone, every binding dropped, the class
    // transformed again for a new switch that the first slots go to.
    reinstall(KINDS, "nextInt", "nextIntOther");
    Object first = call("nextInt", 1);
    Object typed = call("nextInt", 1);

    assertThat(first).isEqualTo(101);
    assertThat(typed).isEqualTo(101);
    assertThat(callers())
        .containsExactly(THROUGH_ARRAY, KINDS + "#nextInt", THROUGH_ARRAY, KINDS + "#nextInt");
    assertThat(before.unifiedStats().calls()).isEqualTo(2);
    assertThat(sw.unifiedStats().calls()).isEqualTo(2);
  }

  @Test
  void fallsBackFromTheTypedCallOfAPrimitiveResultToTheLegacyBody() throws Throwable {
    install(KINDS, "even", "evenUnified", "fallback=true");
    call("even", 2L);

    Object typed = call("even", 4L);
    Object fellBack = call("even", 5L);
    Object again = call("even", 6L);

    assertThat(typed).isEqualTo(1004L);
    assertThat(fellBack).isEqualTo(5L);
    assertThat(again).isEqualTo(1006L);
    assertThat(callers())
        .containsExactly(THROUGH_ARRAY, KINDS + "#even", KINDS + "#even", KINDS + "#even");
    assertThat(sw.fallbackStats().calls()).isEqualTo(1);
    assertThat(sw.unifiedErrors()).isEqualTo(1);
    assertThat(sw.unifiedStats().calls()).isEqualTo(3);
  }

  @Test
  void fallsBackFromTheLiveModesTypedCallOfAPrimitiveResult() throws Throwable {
    install(KINDS, "even", "evenUnified", "mode=live", "fallback=true");
    call("even", 2L);

    Object fellBack = call("even", 5L);

    assertThat(fellBack).isEqualTo(5L);
    assertThat(sw.fallbackStats().calls()).isEqualTo(1);
    assertThat(sw.unifiedErrors()).isEqualTo(1);
  }

  @Test
  void runsTheLiveModesUnifiedPathThroughTheTypedCall() throws Throwable {
    install(KINDS, "nextInt", "nextIntUnified", "mode=live");

    Object first = call("nextInt", 1);
    Object typed = call("nextInt", 1);

    assertThat(first).isEqualTo(2);
    assertThat(typed).isEqualTo(2);
    assertThat(callers()).containsExactly(THROUGH_ARRAY, KINDS + "#nextInt");
    assertThat(sw.unifiedStats().calls()).isEqualTo(2);
    assertThat(sw.shadowStats().calls()).isEqualTo(2);
    assertThat(sw.mismatches()).isEqualTo(2);
  }

  /**
   * Installs switch {@code s} from {@code className#legacyMethod} to {@code unified} (a method of
   * the same class when it has no {@code #}), then loads the class afresh and makes an instance.
   */
  private void install(String className, String legacyMethod, String unified, String... more)
      throws Exception {
    installSwitch(className, legacyMethod, unified, more);
    Class<?> type = Class.forName(className, true, new ChildFirstLoader());
    legacy = type.getConstructor().newInstance();
    callersOf(type).clear();
  }

  /** Undoes the installation as a reload does, and installs again over the loaded class. */
  private void reinstall(String className, String legacyMethod, String unified) throws Exception {
    instrumentation.removeTransformer(capture);
    installer.uninstall();
    sw.withdraw();
    bindings.clear();
    installSwitch(className, legacyMethod, unified);
  }

  private void installSwitch(String className, String legacyMethod, String unified, String... more)
      throws Exception {
    Properties properties = new Properties();
    properties.setProperty("switch.s.enabled", "true");
    properties.setProperty("switch.s.legacy", className + "#" + legacyMethod);
    properties.setProperty(
        "switch.s.unified", unified.contains("#") ? unified : className + "#" + unified);
    for (String line : more) {
      String[] pair = line.split("=", 2);
      properties.setProperty("switch.s." + pair[0], pair[1]);
    }
    AgentConfig config = AgentConfig.parse(properties, "test.properties");
    sw = new Switch(config.switches().get(0), Clock.SYSTEM, new Recorder(events));
    installer = new Installer(instrumentation, bindings);
    installer.install(List.of(sw));
    instrumentation.addTransformer(capture, true);
  }

  private Object call(String name, Object... args) throws Throwable {
    for (Method method : legacy.getClass().getMethods()) {
      if (method.getName().equals(name) && accepts(method, args)) {
        try {
          return method.invoke(legacy, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }
    }
    throw new AssertionError("no method " + name + " takes " + List.of(args));
  }

  private static boolean accepts(Method method, Object[] args) {
    Class<?>[] types =
        MethodType.methodType(void.class, method.getParameterTypes()).wrap().parameterArray();
    if (types.length != args.length) {
      return false;
    }
    for (int i = 0; i < types.length; i++) {
      if (args[i] != null && !types[i].isInstance(args[i])) {
        return false;
      }
    }
    return true;
  }

  private List<String> callers() throws ReflectiveOperationException {
    return callersOf(legacy.getClass());
  }

  @SuppressWarnings("unchecked")
  private static List<String> callersOf(Class<?> type) throws ReflectiveOperationException {
    if (!type.getName().equals(KINDS)) {
      return new ArrayList<>();
    }
    return (List<String>) type.getField("CALLERS").get(null);
  }

  private String methodCode() {
    StringWriter text = new StringWriter();
    new ClassReader(transformed.get()).accept(new TraceClassVisitor(new PrintWriter(text)), 0);
    return text.toString();
  }

  /** Keeps the bytes of the fixture class last transformed, as the agent left them. */
  private final class Capture implements ClassFileTransformer {

    @Override
    public byte[] transform(
        ClassLoader loader,
        String name,
        Class<?> redefined,
        ProtectionDomain domain,
        byte[] bytes) {
      if (name != null && name.startsWith("io/pathswitch/fixtures/")) {
        transformed.set(bytes.clone());
      }
      return null;
    }
  }

  /** Writes the first runs and failures, for assertions. */
  private static final class Recorder implements SwitchListener {

    private final List<String> events;

    Recorder(List<String> events) {
      this.events = events;
    }

    @Override
    public void unifiedFirstRan(Switch sw, long nanos, long statements) {
      events.add("first unified run");
    }

    @Override
    public void unifiedFailedFirst(Switch sw, Throwable failure, boolean fellBack) {
      events.add(
          "first failure " + failure.getClass().getName() + " (fell back: " + fellBack + ")");
    }

    @Override
    public void agentProblem(Switch sw, String problem) {
      events.add("agent problem: " + problem);
    }
  }
}
