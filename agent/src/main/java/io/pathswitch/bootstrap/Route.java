package io.pathswitch.bootstrap;

import java.lang.invoke.MutableCallSite;

/**
 * What an instrumented method asks when its switch is enabled. Implemented inside the agent; this
 * interface lives on the bootstrap class path so that code inlined into any class loader can see
 * it.
 *
 * <p>Implementations are thread-safe and must not throw from any method except the two {@code
 * unified} methods, which rethrow the unified path's failure only when the switch says the caller
 * should see it.
 */
public interface Route {

  /** The legacy path serves the call and is measured. */
  int LEGACY = 1;

  /** The unified path serves the call. */
  int DIVERT = 2;

  /** The legacy path serves the call, then the unified path runs and is compared. */
  int SHADOW = 3;

  /** The unified path serves the call, then the legacy path runs and is compared. */
  int LIVE = 4;

  /** The unified path failed and the legacy path serves the call instead. */
  int FALLBACK = 5;

  /** Returned by {@link #unified} when the legacy body must serve the call. */
  Object USE_LEGACY = new Object();

  /** Stands for a {@code null} or {@code void} result of the unified path. */
  Object NULL = new Object();

  /** Decides the path of one call; {@code keyHash} is {@link Keys}' hash of the key argument. */
  int decide(long keyHash);

  /** Opens the measurement of a call on the legacy path; the value goes back to {@link #legacy}. */
  long begin();

  /** Opens the JDBC statement frame of the legacy run; the token goes back at the call's end. */
  long queryMark();

  /**
   * Runs the unified path for a call decided {@link #DIVERT} or {@link #LIVE}: its result, {@link
   * #NULL} for a null result, or {@link #USE_LEGACY} when it failed and the legacy path answers.
   */
  Object unified(Class<?> origin, Object self, Object[] args) throws Throwable;

  /**
   * Runs the unified path, as {@link #unified(Class, Object, Object[])} does, for a call made
   * through an {@code invokedynamic} that {@link Routes#unified} linked to {@code site}: {@code
   * arguments} are the legacy receiver, when the legacy method has one, then its arguments. Once
   * the unified method has served a call, the route relinks {@code site} so that later calls reach
   * it with their own types, with neither an argument array nor boxed arguments.
   */
  Object unified(MutableCallSite site, Class<?> origin, Object[] arguments) throws Throwable;

  /** Ends a call served by the legacy path ({@link #LEGACY} or {@link #FALLBACK}). */
  void legacy(int path, long begin, long queryMark, Throwable thrown);

  /** Ends a {@link #SHADOW} call: runs the unified path and compares; never throws. */
  void shadow(
      Class<?> origin,
      Object self,
      Object[] args,
      Object legacyResult,
      long begin,
      long queryMark,
      Throwable thrown);

  /**
   * Ends a {@link #SHADOW} or {@link #LIVE} call, whose second path runs now: the result the caller
   * gets ({@code legacyResult} in shadow mode, {@code unifiedResult} in live mode, {@link #NULL}
   * turned back into {@code null}). One call for both modes keeps the code inlined into every
   * legacy method short, so that a small method stays small enough for the JIT to inline. Never
   * throws.
   */
  default Object after(
      int path,
      Class<?> origin,
      Object self,
      Object[] args,
      Object legacyResult,
      Object unifiedResult,
      long begin,
      long queryMark,
      Throwable thrown) {
    if (path == SHADOW) {
      shadow(origin, self, args, legacyResult, begin, queryMark, thrown);
      return legacyResult;
    }
    live(origin, args, unifiedResult, legacyResult, begin, queryMark, thrown);
    return unifiedResult == NULL ? null : unifiedResult;
  }

  /**
   * Ends a {@link #LIVE} call: compares the legacy run against the unified result; never throws.
   */
  void live(
      Class<?> origin,
      Object[] args,
      Object unifiedResult,
      Object legacyResult,
      long begin,
      long queryMark,
      Throwable thrown);
}
