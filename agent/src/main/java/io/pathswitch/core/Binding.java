package io.pathswitch.core;

import io.pathswitch.bootstrap.Route;
import io.pathswitch.bootstrap.Routes;
import io.pathswitch.bootstrap.Statements;
import java.util.Objects;

/**
 * Ties a switch to one loaded legacy class: the route its instrumented method reads from {@link
 * Routes}. It holds no strong reference to the class or its loader; the unified method is resolved
 * per class through a {@link ClassValue}, which lives and dies with the class.
 */
public final class Binding implements Route {

  private final int id;
  private final Switch sw;
  private final String className;
  private final Invoker.Plan plan;
  private final ClassValue<Invoker> invokers =
      new ClassValue<>() {
        @Override
        protected Invoker computeValue(Class<?> legacyClass) {
          return Invoker.resolve(plan, legacyClass);
        }
      };

  Binding(int id, Switch sw, String className, Invoker.Plan plan) {
    this.id = id;
    this.sw = sw;
    this.className = className;
    this.plan = plan;
  }

  public int id() {
    return id;
  }

  public String className() {
    return className;
  }

  void publish(boolean live) {
    Routes.set(id, live ? this : null);
  }

  void withdraw() {
    Routes.set(id, null);
  }

  @Override
  public int decide(long keyHash) {
    return sw.decide(keyHash);
  }

  @Override
  public long begin() {
    return System.nanoTime();
  }

  @Override
  public long queryMark() {
    return Statements.mark();
  }

  @Override
  public Object unified(Class<?> origin, Object self, Object[] args) throws Throwable {
    long mark = Statements.mark();
    long start = System.nanoTime();
    Object result;
    try {
      result = invokers.get(origin).invoke(self, args);
    } catch (Throwable failure) {
      long end = System.nanoTime();
      boolean fallBack = !(failure instanceof VirtualMachineError) && sw.fallbackEnabled();
      sw.unifiedFailed(end - start, Statements.since(mark), end, failure, true, fallBack);
      if (!fallBack) {
        throw failure;
      }
      return USE_LEGACY;
    }
    long end = System.nanoTime();
    sw.unifiedCompleted(end - start, Statements.since(mark), end, true);
    return result == null ? NULL : result;
  }

  @Override
  public void legacy(int path, long begin, long queryMark, Throwable thrown) {
    long end = System.nanoTime();
    sw.legacyCompleted(path, end - begin, Statements.since(queryMark), end, thrown != null);
  }

  @Override
  public void shadow(
      Class<?> origin,
      Object self,
      Object[] args,
      Object legacyResult,
      long begin,
      long queryMark,
      Throwable thrown) {
    legacy(LEGACY, begin, queryMark, thrown);
    if (thrown != null) {
      return;
    }
    long mark = Statements.mark();
    long start = System.nanoTime();
    Invoker invoker;
    Object unifiedResult;
    try {
      invoker = invokers.get(origin);
      unifiedResult = invoker.invoke(self, args);
    } catch (Throwable failure) {
      long end = System.nanoTime();
      sw.unifiedFailed(end - start, Statements.since(mark), end, failure, false, false);
      return;
    }
    long end = System.nanoTime();
    sw.unifiedCompleted(end - start, Statements.since(mark), end, false);
    sw.compared(invoker.same(legacyResult, unifiedResult), args, legacyResult, unifiedResult);
  }

  @Override
  public void live(
      Class<?> origin,
      Object[] args,
      Object unifiedResult,
      Object legacyResult,
      long begin,
      long queryMark,
      Throwable thrown) {
    long end = System.nanoTime();
    sw.shadowStats().record(end - begin, thrown != null, Statements.since(queryMark), end);
    if (thrown != null) {
      sw.compared(false, args, thrown, unifiedResult);
      return;
    }
    Object unifiedValue = unifiedResult == NULL ? null : unifiedResult;
    boolean same;
    try {
      same = invokers.get(origin).same(legacyResult, unifiedValue);
    } catch (RuntimeException | LinkageError e) {
      same = Objects.equals(legacyResult, unifiedValue);
    }
    sw.compared(same, args, legacyResult, unifiedValue);
  }
}
