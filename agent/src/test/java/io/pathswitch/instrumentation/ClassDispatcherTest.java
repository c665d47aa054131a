package io.pathswitch.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pathswitch.fixtures.ChildFirstLoader;
import io.pathswitch.fixtures.Greeting;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The transformer that judges classes by name and hands the wanted ones to a rewriter. */
class ClassDispatcherTest {

  private static final String GREETING = Greeting.class.getName();

  private final Instrumentation instrumentation = TestInstrumentation.get();
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private ClassDispatcher dispatcher;

  @AfterEach
  void close() {
    if (dispatcher != null) {
      dispatcher.close(instrumentation);
    }
  }

  @Test
  void rewritesOnlyTheClassesItWants() throws Exception {
    dispatcher = new ClassDispatcher(GREETING::equals, true).register(instrumentation);
    dispatcher.start(this::rewrite, instrumentation, (name, failure) -> {});

    assertThat(textOf(freshGreeting())).isEqualTo("rewritten");
    new ChildFirstLoader().loadClass("io.pathswitch.fixtures.Pricing");

    // Copies of Greeting that earlier tests loaded are retransformed at the start as well.
    assertThat(asked).contains(GREETING).containsOnly(GREETING);
  }

  @Test
  void holdsBackAWantedClassUntilItStarts() throws Exception {
    dispatcher = new ClassDispatcher(GREETING::equals, true).register(instrumentation);
    CompletableFuture<String> loading =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return textOf(freshGreeting());
              } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
              }
            });
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> threadWaitingIn(ClassDispatcher.class.getName()));
    assertThat(loading).isNotDone();

    dispatcher.start(this::rewrite, instrumentation, (name, failure) -> {});

    assertThat(loading.get()).isEqualTo("rewritten");
  }

  @Test
  void letsAClassThatNeedNotWaitLoadAndRetransformsItAtTheStart() throws Exception {
    dispatcher = new ClassDispatcher(GREETING::equals, false).register(instrumentation);
    Class<?> greeting = freshGreeting();
    assertThat(textOf(greeting)).isEqualTo("legacy");

    dispatcher.start(this::rewrite, instrumentation, (name, failure) -> {});

    assertThat(textOf(greeting)).isEqualTo("rewritten");
  }

  @Test
  void restoresTheOriginalBytecodeOnClose() throws Exception {
    dispatcher = new ClassDispatcher(GREETING::equals, true).register(instrumentation);
    dispatcher.start(this::rewrite, instrumentation, (name, failure) -> {});
    Class<?> greeting = freshGreeting();
    assertThat(textOf(greeting)).isEqualTo("rewritten");

    assertThat(dispatcher.close(instrumentation)).isTrue();
    dispatcher = null;

    assertThat(textOf(greeting)).isEqualTo("legacy");
  }

  @Test
  void loadsAClassUnchangedWhenItsRewriterThrows() throws Exception {
    dispatcher = new ClassDispatcher(GREETING::equals, true).register(instrumentation);
    dispatcher.start(
        (loader, name, redefined, domain, bytes) -> {
          throw new IllegalStateException("broken rewriter");
        },
        instrumentation,
        (name, failure) -> {});

    assertThat(textOf(freshGreeting())).isEqualTo("legacy");
  }

  private static Class<?> freshGreeting() throws ClassNotFoundException {
    return new ChildFirstLoader().loadClass(GREETING);
  }

  private static String textOf(Class<?> greeting) throws ReflectiveOperationException {
    return (String) greeting.getMethod("text").invoke(null);
  }

  private static boolean threadWaitingIn(String className) {
    return Thread.getAllStackTraces().values().stream()
        .anyMatch(
            stack ->
                java.util.Arrays.stream(stack)
                    .anyMatch(frame -> frame.getClassName().equals(className)));
  }

  /** Replaces the constant "legacy" by "rewritten". */
  private byte[] rewrite(
      ClassLoader loader,
      String name,
      Class<?> redefined,
      java.security.ProtectionDomain domain,
      byte[] bytes) {
    asked.add(name);
    ClassReader reader = new ClassReader(bytes);
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public MethodVisitor visitMethod(
              int access, String method, String descriptor, String signature, String[] thrown) {
            return new MethodVisitor(
                Opcodes.ASM9, super.visitMethod(access, method, descriptor, signature, thrown)) {
              @Override
              public void visitLdcInsn(Object value) {
                super.visitLdcInsn("legacy".equals(value) ? "rewritten" : value);
              }
            };
          }
        },
        0);
    return writer.toByteArray();
  }
}
