package io.pathswitch.instrumentation;

import io.pathswitch.bootstrap.Route;
import io.pathswitch.bootstrap.Routes;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The code inlined into every legacy method. Byte Buddy copies these bodies into the instrumented
 * method, so they may name only bootstrap-visible types ({@link Routes}, {@link Route}, the JDK).
 *
 * <p>Reads of advice parameters are inlined where the body reads them: the key hash, the run of the
 * unified path and the argument array are computed only on the branches that use them, which keeps
 * an off switch at a null check of a constant once compiled and the decision free of allocation.
 * The unified path of a diverted call takes the arguments with their own types ({@link
 * UnifiedRun}); only the shadow and live modes, which compare after the call, box them.
 */
final class SwitchAdvice {

  private SwitchAdvice() {}

  /**
   * The route of the binding's slot in {@link Routes}, read through its call site ({@link
   * RouteMapping}): null while the switch is off.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface CurrentRoute {}

  /** The {@code Keys} hash of the switch's key argument, or 0 when the switch has none. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface KeyHash {}

  /**
   * The unified path run for this call ({@link UnifiedMapping}), read once the local {@code route}
   * holds the route that decided it: its result, {@link Route#NULL} for a null or void one, or
   * {@link Route#USE_LEGACY} when it failed and the legacy path answers; or it throws the failure
   * when the caller should see it.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface UnifiedRun {}

  /** For methods that return a value. */
  static final class ForValue {

    private ForValue() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static Object enter(
        @CurrentRoute Route current,
        @KeyHash long keyHash,
        @UnifiedRun Object unifiedRun,
        @Advice.Local("route") Route route,
        @Advice.Local("path") int path,
        @Advice.Local("begin") long begin,
        @Advice.Local("queries") long queries,
        @Advice.Local("unified") Object unified)
        throws Throwable {
      route = current;
      if (route == null) {
        return null;
      }
      path = route.decide(keyHash);
      if (path == Route.DIVERT || path == Route.LIVE) {
        Object result = unifiedRun;
        if (result == Route.USE_LEGACY) {
          path = Route.FALLBACK;
        } else if (path == Route.DIVERT) {
          return result;
        } else {
          unified = result;
        }
      }
      queries = route.queryMark();
      begin = route.begin();
      return null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(
        @Advice.Enter Object served,
        @Advice.Origin Class<?> origin,
        @Advice.This(optional = true) Object self,
        @Advice.AllArguments Object[] args,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
        @Advice.Thrown(readOnly = false) Throwable thrown,
        @Advice.Local("route") Route route,
        @Advice.Local("path") int path,
        @Advice.Local("begin") long begin,
        @Advice.Local("queries") long queries,
        @Advice.Local("unified") Object unified) {
      if (served != null) {
        returned = served == Route.NULL ? null : served;
      } else if (path == Route.LEGACY || path == Route.FALLBACK) {
        route.legacy(path, begin, queries, thrown);
      } else if (path == Route.SHADOW || path == Route.LIVE) {
        Object result =
            route.after(path, origin, self, args, returned, unified, begin, queries, thrown);
        if (path == Route.LIVE) {
          returned = result;
          thrown = null;
        }
      }
    }
  }

  /** For {@code void} methods, which have no result to replace. */
  static final class ForVoid {

    private ForVoid() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean enter(
        @CurrentRoute Route current,
        @KeyHash long keyHash,
        @UnifiedRun Object unifiedRun,
        @Advice.Local("route") Route route,
        @Advice.Local("path") int path,
        @Advice.Local("begin") long begin,
        @Advice.Local("queries") long queries)
        throws Throwable {
      route = current;
      if (route == null) {
        return false;
      }
      path = route.decide(keyHash);
      if (path == Route.DIVERT || path == Route.LIVE) {
        Object result = unifiedRun;
        if (result == Route.USE_LEGACY) {
          path = Route.FALLBACK;
        } else if (path == Route.DIVERT) {
          return true;
        }
      }
      queries = route.queryMark();
      begin = route.begin();
      return false;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(
        @Advice.Enter boolean served,
        @Advice.Origin Class<?> origin,
        @Advice.This(optional = true) Object self,
        @Advice.AllArguments Object[] args,
        @Advice.Thrown(readOnly = false) Throwable thrown,
        @Advice.Local("route") Route route,
        @Advice.Local("path") int path,
        @Advice.Local("begin") long begin,
        @Advice.Local("queries") long queries) {
      if (served) {
        return;
      }
      if (path == Route.LEGACY || path == Route.FALLBACK) {
        route.legacy(path, begin, queries, thrown);
      } else if (path == Route.SHADOW || path == Route.LIVE) {
        route.after(path, origin, self, args, null, Route.NULL, begin, queries, thrown);
        if (path == Route.LIVE) {
          thrown = null;
        }
      }
    }
  }
}
