package io.pathswitch.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pathswitch.bootstrap.Keys;
import io.pathswitch.bootstrap.Route;
import io.pathswitch.bootstrap.Routes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MutableCallSite;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * The code {@link SwitchWeaver} weaves, on class files made here byte by byte: the shapes javac
 * does not write (a return over a fuller stack, a loop at the very start, class files without
 * frames), the ones it refuses, and each path a route can choose. Every woven class is checked by
 * ASM's verifier and then loaded and run.
 */
class SwitchWeaverTest {

  private static final int BINDING = Routes.CAPACITY - 3;
  private static final int OUTER = Routes.CAPACITY - 4;
  private static final String OWNER = "io/pathswitch/woven/Legacy";

  @AfterEach
  void withdraw() {
    Routes.set(BINDING, null);
    Routes.set(OUTER, null);
  }

  @Test
  void anOffSwitchLeavesTheBodyToAnswer() throws Throwable {
    Class<?> type = load(Opcodes.V17, twice(), target("twice", "(J)J", -1));

    assertThat(call(type, "twice", 21L)).isEqualTo(42L);
  }

  @Test
  void aLegacyCallIsMeasuredAndAnswersFromTheBody() throws Throwable {
    Class<?> type = load(Opcodes.V17, twice(), target("twice", "(J)J", -1));
    FakeRoute route = route(BINDING, Route.LEGACY, null);

    assertThat(call(type, "twice", 21L)).isEqualTo(42L);
    assertThat(route.events).containsExactly("decide 0", "legacy 1 null");
  }

  @Test
  void aDivertedCallAnswersFromTheUnifiedPathWithoutRunningTheBody() throws Throwable {
    Class<?> type = load(Opcodes.V17, twice(), target("twice", "(J)J", -1));
    FakeRoute route = route(BINDING, Route.DIVERT, 7L);

    assertThat(call(type, "twice", 21L)).isEqualTo(7L);
    assertThat(route.events).containsExactly("decide 0", "typed [21]");
  }

  @Test
  void aFailedUnifiedRunFallsBackToTheBody() throws Throwable {
    Class<?> type = load(Opcodes.V17, twice(), target("twice", "(J)J", -1));
    FakeRoute route = route(BINDING, Route.DIVERT, Route.USE_LEGACY);

    assertThat(call(type, "twice", 21L)).isEqualTo(42L);
    assertThat(route.events).containsExactly("decide 0", "typed [21]", "legacy 5 null");
  }

  @Test
  void liveModeAnswersWithWhatTheRouteReturnsAfterTheBodyRan() throws Throwable {
    Class<?> type = load(Opcodes.V17, twice(), target("twice", "(J)J", -1));
    FakeRoute route = route(BINDING, Route.LIVE, 5L);
    route.after = 9L;

    assertThat(call(type, "twice", 21L)).isEqualTo(9L);
    assertThat(route.events).containsExactly("decide 0", "typed [21]", "after 4 [21] 42 5 null");
  }

  @Test
  void shadowModeHandsTheRouteTheBodysResultAndThrowable() throws Throwable {
    Class<?> type = load(Opcodes.V17, failing(), target("fail", "(Ljava/lang/String;)V", 0));
    FakeRoute route = route(BINDING, Route.SHADOW, null);

    assertThatThrownBy(() -> call(type, "fail", "boom")).hasMessage("boom");
    assertThat(route.events)
        .containsExactly(
            "decide " + Keys.hash((Object) "boom"),
            "after 3 [boom] null NULL java.lang.IllegalStateException: boom");
  }

  @Test
  void theBodyStillCatchesWhatItCatchesItself() throws Throwable {
    Class<?> type = load(Opcodes.V17, catching(), target("safe", "()I", -1));
    FakeRoute route = route(BINDING, Route.LEGACY, null);

    assertThat(call(type, "safe")).isEqualTo(7);
    assertThat(route.events).containsExactly("decide 0", "legacy 1 null");
  }

  @Test
  void aReturnOverAFullerStackPopsTheRestBeforeItLeaves() throws Throwable {
    Class<?> type = load(Opcodes.V17, fullStack(), target("full", "(DI)D", 0));
    FakeRoute route = route(BINDING, Route.LEGACY, null);

    assertThat(call(type, "full", 2.5d, 3)).isEqualTo(2.5d);
    assertThat(route.events).containsExactly("decide " + Keys.hash(2.5d), "legacy 1 null");
  }

  @Test
  void aLoopAtTheVeryStartKeepsItsFrame() throws Throwable {
    Class<?> type = load(Opcodes.V17, countdown(), target("countdown", "(I)I", 0));
    FakeRoute route = route(BINDING, Route.LEGACY, null);

    assertThat(call(type, "countdown", 5)).isEqualTo(0);
    assertThat(route.events).containsExactly("decide " + Keys.hash(5), "legacy 1 null");
  }

  @Test
  void anInstanceMethodPassesItsReceiverToTheUnifiedPath() throws Throwable {
    Class<?> type = load(Opcodes.V17, instance(), target("name", "(C)Ljava/lang/String;", 0));
    FakeRoute route = route(BINDING, Route.DIVERT, Route.NULL);

    assertThat(call(type, "name", 'x')).isNull();
    assertThat(route.events).containsExactly("decide " + Keys.hash('x'), "typed [Legacy, x]");
  }

  @Test
  void aClassFileWithoutFramesReadsItsRouteFromTheTableAndBoxesItsArguments() throws Throwable {
    Class<?> type = load(Opcodes.V1_5, countdown(), target("countdown", "(I)I", -1));
    FakeRoute route = route(BINDING, Route.DIVERT, 3);

    assertThat(call(type, "countdown", 5)).isEqualTo(3);
    assertThat(route.events).containsExactly("decide 0", "array [5]");
  }

  @Test
  void twoSwitchesOnOneMethodNest() throws Throwable {
    Class<?> type =
        load(
            Opcodes.V17,
            twice(),
            target("twice", "(J)J", -1),
            new SwitchWeaver.Target("twice", "(J)J", OUTER, -1));
    FakeRoute inner = route(BINDING, Route.LEGACY, null);
    FakeRoute outer = route(OUTER, Route.LEGACY, null);

    assertThat(call(type, "twice", 21L)).isEqualTo(42L);
    assertThat(outer.events).containsExactly("decide 0", "legacy 1 null");
    assertThat(inner.events).containsExactly("decide 0", "legacy 1 null");
  }

  @Test
  void refusesAStoreOfAnotherKindIntoAParameter() {
    byte[] bytes =
        classFile(
            Opcodes.V17,
            cw -> {
              MethodVisitor m = method(cw, Opcodes.ACC_STATIC, "reuse", "(I)I");
              m.visitInsn(Opcodes.ACONST_NULL);
              m.visitVarInsn(Opcodes.ASTORE, 0);
              m.visitInsn(Opcodes.ICONST_1);
              m.visitInsn(Opcodes.IRETURN);
              end(m);
            });

    assertThatThrownBy(() -> SwitchWeaver.weave(bytes, List.of(target("reuse", "(I)I", -1))))
        .isInstanceOf(SwitchWeaver.Refused.class)
        .hasMessageContaining("stores a value of another kind into the slot of a parameter (0)");
  }

  @Test
  void refusesSubroutines() {
    byte[] bytes =
        classFile(
            Opcodes.V1_5,
            cw -> {
              MethodVisitor m = method(cw, Opcodes.ACC_STATIC, "old", "()I");
              Label sub = new Label();
              m.visitJumpInsn(Opcodes.JSR, sub);
              m.visitInsn(Opcodes.ICONST_1);
              m.visitInsn(Opcodes.IRETURN);
              m.visitLabel(sub);
              m.visitVarInsn(Opcodes.ASTORE, 0);
              m.visitVarInsn(Opcodes.RET, 0);
              end(m);
            });

    assertThatThrownBy(() -> SwitchWeaver.weave(bytes, List.of(target("old", "()I", -1))))
        .isInstanceOf(SwitchWeaver.Refused.class)
        .hasMessageContaining("subroutines");
  }

  @Test
  void aFrameThatLeavesAnUnreadParameterAsTopGetsItsTypeBack() throws Throwable {
    byte[] bytes = classFileAsWritten(droppedParameter());
    Class<?> type = load(bytes, target("pick", "(II)I", 0));
    FakeRoute route = route(BINDING, Route.LEGACY, null);

    assertThat(call(type, "pick", 0, 9)).isEqualTo(0);
    assertThat(call(type, "pick", 4, 9)).isEqualTo(1);
    assertThat(route.events)
        .containsExactly(
            "decide " + Keys.hash(0), "legacy 1 null", "decide " + Keys.hash(4), "legacy 1 null");
  }

  @Test
  void aParameterTheBodyRetypesIsHandedToTheRouteAsWhatItHolds() throws Throwable {
    byte[] bytes = classFileAsWritten(retypedParameter());
    Class<?> type = load(bytes, target("retype", "(Ljava/lang/String;)Ljava/lang/String;", -1));
    FakeRoute route = route(BINDING, Route.SHADOW, null);

    assertThat(call(type, "retype", "s")).isEqualTo("some");
    assertThat(route.events).containsExactly("decide 0", "after 3 [7] some null null");
  }

  @Test
  void refusesAFrameThatLeavesAsTopAParameterTheBodyStoresInto() {
    byte[] bytes =
        classFileAsWritten(
            cw -> {
              MethodVisitor m = method(cw, Opcodes.ACC_STATIC, "drop", "(I)I");
              Label zero = new Label();
              m.visitIincInsn(0, -1);
              m.visitVarInsn(Opcodes.ILOAD, 0);
              m.visitJumpInsn(Opcodes.IFLE, zero);
              m.visitInsn(Opcodes.ICONST_1);
              m.visitInsn(Opcodes.IRETURN);
              m.visitLabel(zero);
              m.visitFrame(Opcodes.F_NEW, 1, new Object[] {Opcodes.TOP}, 0, null);
              m.visitInsn(Opcodes.ICONST_0);
              m.visitInsn(Opcodes.IRETURN);
              end(m);
            });

    assertThatThrownBy(() -> SwitchWeaver.weave(bytes, List.of(target("drop", "(I)I", -1))))
        .isInstanceOf(SwitchWeaver.Refused.class)
        .hasMessage(
            "drop has a stack map frame that holds nothing (TOP) in the slot of a parameter (0)"
                + " declared an int, which pathswitch does not weave");
  }

  @Test
  void refusesAMethodThatWouldOutgrowTheCodeAMethodMayHave() {
    byte[] bytes =
        classFile(
            Opcodes.V17,
            cw -> {
              MethodVisitor m = method(cw, Opcodes.ACC_STATIC, "huge", "()V");
              for (int i = 0; i < 65_500; i++) {
                m.visitInsn(Opcodes.NOP);
              }
              m.visitInsn(Opcodes.RETURN);
              end(m);
            });

    assertThatThrownBy(() -> SwitchWeaver.weave(bytes, List.of(target("huge", "()V", -1))))
        .isInstanceOf(SwitchWeaver.Refused.class)
        .hasMessageStartingWith("huge would have ")
        .hasMessageEndingWith(
            " bytes of code once woven, more than the 65535 a method may have, which pathswitch"
                + " does not weave");
  }

  @Test
  void leavesEveryOtherMethodByteForByte() {
    byte[] bytes = classFile(Opcodes.V17, twice().andThen(countdown()));

    byte[] woven = SwitchWeaver.weave(bytes, List.of(target("twice", "(J)J", -1)));

    assertThat(methodCode(woven, "countdown")).isEqualTo(methodCode(bytes, "countdown"));
    assertThat(methodCode(woven, "twice")).isNotEqualTo(methodCode(bytes, "twice"));
  }

  // --- class files ---

  private static SwitchWeaver.Target target(String name, String descriptor, int key) {
    return new SwitchWeaver.Target(name, descriptor, BINDING, key);
  }

  /** {@code static long twice(long x) { return x * 2; }} */
  private static Consumer<ClassWriter> twice() {
    return cw -> {
      MethodVisitor m = method(cw, Opcodes.ACC_STATIC, "twice", "(J)J");
      m.visitVarInsn(Opcodes.LLOAD, 0);
      m.visitLdcInsn(2L);
      m.visitInsn(Opcodes.LMUL);
      m.visitInsn(Opcodes.LRETURN);
      end(m);
    };
  }

  /** {@code static void fail(String message) { throw new IllegalStateException(message); }} */
  private static Consumer<ClassWriter> failing() {
    return cw -> {
      MethodVisitor m = method(cw, Opcodes.ACC_STATIC, "fail", "(Ljava/lang/String;)V");
      m.visitTypeInsn(Opcodes.NEW, "java/lang/IllegalStateException");
      m.visitInsn(Opcodes.DUP);
      m.visitVarInsn(Opcodes.ALOAD, 0);
      m.visitMethodInsn(
          Opcodes.INVOKESPECIAL,
          "java/lang/IllegalStateException",
          "<init>",
          "(Ljava/lang/String;)V",
          false);
      m.visitInsn(Opcodes.ATHROW);
      end(m);
    };
  }

  /**
   * {@code static int safe() { try { throw new RuntimeException(); } catch (RuntimeException e) {
   * return 7; } }}
   */
  private static Consumer<ClassWriter> catching() {
    return cw -> {
      MethodVisitor m = method(cw, Opcodes.ACC_STATIC, "safe", "()I");
      Label start = new Label();
      Label end = new Label();
      Label handler = new Label();
      m.visitTryCatchBlock(start, end, handler, "java/lang/RuntimeException");
      m.visitLabel(start);
      m.visitTypeInsn(Opcodes.NEW, "java/lang/RuntimeException");
      m.visitInsn(Opcodes.DUP);
      m.visitMethodInsn(
          Opcodes.INVOKESPECIAL, "java/lang/RuntimeException", "<init>", "()V", false);
      m.visitInsn(Opcodes.ATHROW);
      m.visitLabel(end);
      m.visitLabel(handler);
      m.visitVarInsn(Opcodes.ASTORE, 0);
      m.visitIntInsn(Opcodes.BIPUSH, 7);
      m.visitInsn(Opcodes.IRETURN);
      end(m);
    };
  }

  /**
   * {@code static double full(double d, int i)}: returns {@code d} over an int and a long left
   * below it.
   */
  private static Consumer<ClassWriter> fullStack() {
    return cw -> {
      MethodVisitor m = method(cw, Opcodes.ACC_STATIC, "full", "(DI)D");
      m.visitVarInsn(Opcodes.ILOAD, 2);
      m.visitInsn(Opcodes.LCONST_1);
      m.visitVarInsn(Opcodes.DLOAD, 0);
      m.visitInsn(Opcodes.DRETURN);
      end(m);
    };
  }

  /** {@code static int countdown(int n) { while (n > 0) n--; return n; }}, the loop at offset 0. */
  private static Consumer<ClassWriter> countdown() {
    return cw -> {
      MethodVisitor m = method(cw, Opcodes.ACC_STATIC, "countdown", "(I)I");
      Label loop = new Label();
      Label done = new Label();
      m.visitLabel(loop);
      m.visitVarInsn(Opcodes.ILOAD, 0);
      m.visitJumpInsn(Opcodes.IFLE, done);
      m.visitIincInsn(0, -1);
      m.visitJumpInsn(Opcodes.GOTO, loop);
      m.visitLabel(done);
      m.visitVarInsn(Opcodes.ILOAD, 0);
      m.visitInsn(Opcodes.IRETURN);
      end(m);
    };
  }

  /**
   * {@code static int pick(int n, int unused) { return n > 0 ? 1 : 0; }} with the frame of the
   * second return leaving {@code unused} as TOP, as tools other than javac may write it.
   */
  private static Consumer<ClassWriter> droppedParameter() {
    return cw -> {
      MethodVisitor m = method(cw, Opcodes.ACC_STATIC, "pick", "(II)I");
      Label zero = new Label();
      m.visitVarInsn(Opcodes.ILOAD, 0);
      m.visitJumpInsn(Opcodes.IFLE, zero);
      m.visitInsn(Opcodes.ICONST_1);
      m.visitInsn(Opcodes.IRETURN);
      m.visitLabel(zero);
      m.visitFrame(Opcodes.F_NEW, 2, new Object[] {Opcodes.INTEGER, Opcodes.TOP}, 0, null);
      m.visitInsn(Opcodes.ICONST_0);
      m.visitInsn(Opcodes.IRETURN);
      end(m);
    };
  }

  /**
   * {@code static String retype(String s)} that stores the {@code Integer} 7 into {@code s}'s slot,
   * which the JVM allows and javac never writes, and declares it so in a frame.
   */
  private static Consumer<ClassWriter> retypedParameter() {
    return cw -> {
      MethodVisitor m =
          method(cw, Opcodes.ACC_STATIC, "retype", "(Ljava/lang/String;)Ljava/lang/String;");
      Label none = new Label();
      m.visitIntInsn(Opcodes.BIPUSH, 7);
      m.visitMethodInsn(
          Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
      m.visitVarInsn(Opcodes.ASTORE, 0);
      m.visitVarInsn(Opcodes.ALOAD, 0);
      m.visitJumpInsn(Opcodes.IFNULL, none);
      m.visitLdcInsn("some");
      m.visitInsn(Opcodes.ARETURN);
      m.visitLabel(none);
      m.visitFrame(Opcodes.F_NEW, 1, new Object[] {"java/lang/Integer"}, 0, null);
      m.visitInsn(Opcodes.ACONST_NULL);
      m.visitInsn(Opcodes.ARETURN);
      end(m);
    };
  }

  /** A constructor and {@code String name(char c) { return String.valueOf(c); }}. */
  private static Consumer<ClassWriter> instance() {
    return cw -> {
      MethodVisitor init = method(cw, Opcodes.ACC_PUBLIC, "<init>", "()V");
      init.visitVarInsn(Opcodes.ALOAD, 0);
      init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
      init.visitInsn(Opcodes.RETURN);
      end(init);
      MethodVisitor m = method(cw, 0, "name", "(C)Ljava/lang/String;");
      m.visitVarInsn(Opcodes.ILOAD, 1);
      m.visitMethodInsn(
          Opcodes.INVOKESTATIC, "java/lang/String", "valueOf", "(C)Ljava/lang/String;", false);
      m.visitInsn(Opcodes.ARETURN);
      end(m);
    };
  }

  private static MethodVisitor method(ClassWriter cw, int access, String name, String descriptor) {
    MethodVisitor m = cw.visitMethod(access | Opcodes.ACC_PUBLIC, name, descriptor, null, null);
    m.visitCode();
    return m;
  }

  private static void end(MethodVisitor m) {
    m.visitMaxs(0, 0);
    m.visitEnd();
  }

  private static byte[] classFile(int version, Consumer<ClassWriter> methods) {
    int flags = version >= Opcodes.V1_6 ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS;
    ClassWriter cw = new ClassWriter(flags);
    cw.visit(
        version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, OWNER, null, "java/lang/Object", null);
    methods.accept(cw);
    cw.visitEnd();
    return cw.toByteArray();
  }

  /** A Java 17 class file with the frames {@code methods} declare, none computed. */
  private static byte[] classFileAsWritten(Consumer<ClassWriter> methods) {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(
        Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, OWNER, null, "java/lang/Object", null);
    methods.accept(cw);
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static Class<?> load(
      int version, Consumer<ClassWriter> methods, SwitchWeaver.Target... targets) {
    return load(classFile(version, methods), targets);
  }

  /** Weaves, checks with ASM's verifier, and loads the class in a loader of its own. */
  private static Class<?> load(byte[] classFile, SwitchWeaver.Target... targets) {
    byte[] woven = SwitchWeaver.weave(classFile, List.of(targets));
    StringWriter problems = new StringWriter();
    CheckClassAdapter.verify(
        new ClassReader(woven),
        SwitchWeaverTest.class.getClassLoader(),
        false,
        new PrintWriter(problems));
    assertThat(problems.toString()).isEmpty();
    ClassLoader loader =
        new ClassLoader(SwitchWeaverTest.class.getClassLoader()) {
          @Override
          protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (name.equals(OWNER.replace('/', '.'))) {
              return defineClass(name, woven, 0, woven.length);
            }
            throw new ClassNotFoundException(name);
          }
        };
    try {
      return Class.forName(OWNER.replace('/', '.'), true, loader);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  private static Object call(Class<?> type, String name, Object... arguments) throws Throwable {
    Method method =
        Arrays.stream(type.getMethods())
            .filter(m -> m.getName().equals(name))
            .findFirst()
            .orElseThrow();
    Object receiver =
        java.lang.reflect.Modifier.isStatic(method.getModifiers())
            ? null
            : type.getConstructor().newInstance();
    try {
      return method.invoke(receiver, arguments);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static byte[] methodCode(byte[] classFile, String name) {
    org.objectweb.asm.tree.ClassNode node = new org.objectweb.asm.tree.ClassNode();
    new ClassReader(classFile).accept(node, 0);
    org.objectweb.asm.tree.MethodNode method =
        node.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
    org.objectweb.asm.util.Textifier text = new org.objectweb.asm.util.Textifier();
    method.accept(new org.objectweb.asm.util.TraceMethodVisitor(text));
    StringWriter out = new StringWriter();
    text.print(new PrintWriter(out));
    return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static FakeRoute route(int binding, int path, Object unified) {
    FakeRoute route = new FakeRoute(path, unified);
    Routes.set(binding, route);
    return route;
  }

  /** A route that takes one path and writes down what the woven code asked of it. */
  private static final class FakeRoute implements Route {

    final List<String> events = new ArrayList<>();
    private final int path;
    private final Object unified;
    Object after;

    FakeRoute(int path, Object unified) {
      this.path = path;
      this.unified = unified;
    }

    @Override
    public int decide(long keyHash) {
      events.add("decide " + keyHash);
      return path;
    }

    @Override
    public long begin() {
      return 0;
    }

    @Override
    public long queryMark() {
      return 0;
    }

    @Override
    public Object unified(Class<?> origin, Object self, Object[] args) {
      events.add("array " + Arrays.toString(args));
      return unified;
    }

    @Override
    public Object unified(MutableCallSite site, Class<?> origin, Object[] arguments) {
      List<String> shown = new ArrayList<>();
      for (Object argument : arguments) {
        shown.add(argument != null && argument.getClass() == origin ? "Legacy" : "" + argument);
      }
      events.add("typed " + shown);
      return unified;
    }

    @Override
    public void legacy(int path, long begin, long queryMark, Throwable thrown) {
      events.add("legacy " + path + " " + thrown);
    }

    @Override
    public Object after(
        int path,
        Class<?> origin,
        Object self,
        Object[] args,
        Object legacyResult,
        Object unifiedResult,
        long begin,
        long queryMark,
        Throwable thrown) {
      events.add(
          "after "
              + path
              + " "
              + Arrays.toString(args)
              + " "
              + legacyResult
              + " "
              + (unifiedResult == Route.NULL ? "NULL" : unifiedResult)
              + " "
              + thrown);
      return after;
    }

    @Override
    public void shadow(
        Class<?> origin,
        Object self,
        Object[] args,
        Object legacyResult,
        long begin,
        long queryMark,
        Throwable thrown) {}

    @Override
    public void live(
        Class<?> origin,
        Object[] args,
        Object unifiedResult,
        Object legacyResult,
        long begin,
        long queryMark,
        Throwable thrown) {}
  }
}
