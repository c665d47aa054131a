package io.pathswitch.instrumentation;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * A class file transformer that judges a class by its name alone and hands the few it wants to a
 * {@link Rewriter}. Every class the JVM loads passes through it, so it names no ASM type: the
 * rewriter, which does, can be built after {@code premain} on the agent's thread, while the
 * application starts.
 *
 * <p>Until {@link #start} gives it a rewriter, a wanted class either waits for one (a switch's
 * legacy class, so that its first call is already switched) or loads unchanged (a JDBC class,
 * rewritten by {@code start} afterwards). Registered as able to retransform, so that {@link #close}
 * can restore the original bytecode of what it rewrote.
 *
 * <p>Thread-safe.
 */
public final class ClassDispatcher implements ClassFileTransformer {

  /** Rewrites one wanted class; returns null to leave it as it is. Must not throw. */
  @FunctionalInterface
  public interface Rewriter {
    byte[] rewrite(
        ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes);
  }

  /** How long a wanted class waits at most for the rewriter before it loads unchanged. */
  static final long WAIT_SECONDS = 10;

  private final Predicate<String> wants;
  private final boolean waits;
  private final CountDownLatch started = new CountDownLatch(1);
  private final Set<String> rewritten = ConcurrentHashMap.newKeySet();
  private final ThreadLocal<Boolean> rewriting = new ThreadLocal<>();
  private volatile Rewriter rewriter;
  private volatile Thread starting;
  private volatile boolean closed;

  /**
   * @param wants whether a class, by its binary name ({@code a.b.C}), is one to rewrite
   * @param waits whether a wanted class that loads before {@link #start} waits for it
   */
  public ClassDispatcher(Predicate<String> wants, boolean waits) {
    this.wants = wants;
    this.waits = waits;
  }

  /** Registers this transformer; it rewrites nothing until {@link #start}. */
  public ClassDispatcher register(Instrumentation instrumentation) {
    instrumentation.addTransformer(this, true);
    return this;
  }

  /**
   * Marks the calling thread as the one building the rewriter: a wanted class it loads meanwhile
   * must not wait for itself.
   */
  void starting() {
    starting = Thread.currentThread();
  }

  /**
   * Starts rewriting: classes loaded from now on, and those loaded already that it wants, which are
   * retransformed here. A class the JVM refuses to retransform is passed to {@code refused}.
   */
  public void start(
      Rewriter next, Instrumentation instrumentation, BiConsumer<String, Throwable> refused) {
    rewriter = next;
    started.countDown();
    starting = null;
    retransform(loadedAndWanted(instrumentation), instrumentation, refused);
  }

  /**
   * Retransforms {@code classes} in one go, which stops the JVM once instead of once per class, and
   * one by one only when that fails, to tell which class was refused.
   */
  private static void retransform(
      List<Class<?>> classes,
      Instrumentation instrumentation,
      BiConsumer<String, Throwable> refused) {
    if (classes.isEmpty()) {
      return;
    }
    try {
      instrumentation.retransformClasses(classes.toArray(new Class<?>[0]));
      return;
    } catch (Throwable t) {
      rethrowIfFatal(t);
    }
    for (Class<?> type : classes) {
      try {
        instrumentation.retransformClasses(type);
      } catch (Throwable t) {
        rethrowIfFatal(t);
        refused.accept(type.getName(), t);
      }
    }
  }

  private static void rethrowIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
      throw (VirtualMachineError) t;
    }
  }

  /**
   * Stops rewriting and restores the original bytecode of every class it rewrote. Returns whether
   * every one of them could be restored.
   */
  public boolean close(Instrumentation instrumentation) {
    closed = true;
    started.countDown();
    instrumentation.removeTransformer(this);
    List<Class<?>> changed = new ArrayList<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      if (rewritten.contains(type.getName())) {
        changed.add(type);
      }
    }
    boolean[] restored = {true};
    retransform(changed, instrumentation, (name, failure) -> restored[0] = false);
    rewritten.clear();
    return restored[0];
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String internalName,
      Class<?> redefined,
      ProtectionDomain domain,
      byte[] bytes) {
    if (internalName == null || closed) {
      return null;
    }
    String name = internalName.replace('/', '.');
    if (!wants.test(name) || rewriting.get() != null) {
      return null;
    }
    Rewriter current = rewriter;
    if (current == null && redefined == null && waits && starting != Thread.currentThread()) {
      current = awaitRewriter();
    }
    if (current == null || closed) {
      return null;
    }
    rewriting.set(Boolean.TRUE);
    try {
      byte[] result = current.rewrite(loader, name, redefined, domain, bytes);
      if (result != null) {
        rewritten.add(name);
      }
      return result;
    } catch (RuntimeException | LinkageError e) {
      return null; // a rewriter must not throw; the class loads unchanged if it does
    } finally {
      rewriting.remove();
    }
  }

  private Rewriter awaitRewriter() {
    try {
      started.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return rewriter;
  }

  private List<Class<?>> loadedAndWanted(Instrumentation instrumentation) {
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      if (wants.test(type.getName()) && instrumentation.isModifiableClass(type)) {
        loaded.add(type);
      }
    }
    return loaded;
  }
}
