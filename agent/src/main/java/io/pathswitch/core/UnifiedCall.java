package io.pathswitch.core;

import static java.lang.invoke.MethodType.methodType;

import io.pathswitch.bootstrap.FallBack;
import io.pathswitch.bootstrap.Route;
import io.pathswitch.bootstrap.Routes;
import io.pathswitch.bootstrap.Statements;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * The typed call of a binding's unified method at one {@code invokedynamic} site of a legacy method
 * ({@code io.pathswitch.bootstrap.Routes#unified}): a chain of method handles that does what {@link
 * Binding#unified(Class, Object, Object[])} does, in the same order and with the same records, but
 * passes the receiver and arguments with their own types. The site is constant, so the JIT inlines
 * the chain into the legacy method, which makes neither an argument array nor a boxed argument;
 * called through a handle held in a field (the array path), it cannot.
 *
 * <p>In Java, the chain for a site {@code (Route route, R receiver, A a, B b)Object} reads
 *
 * <pre>{@code
 * if (route != binding) return route.unified(origin, receiver, new Object[] {a, b});
 * long frame = Statements.begin();
 * long start = System.nanoTime();
 * Object result;
 * try {
 *   result = unifiedMethod(receiver, a, b);          // NULL for null or void
 * } catch (Throwable failure) {
 *   result = binding.failed(failure, frame, start);  // USE_LEGACY, or rethrows
 * }
 * return binding.served(result, frame, start);
 * }</pre>
 *
 * <p>A site typed with a primitive result ({@code long}, say) gets it unboxed, and where the chain
 * above returns {@code USE_LEGACY} it throws {@link FallBack#INSTANCE}, which the woven method
 * catches around the call. A box would meet the sentinel where the two outcomes join, and HotSpot's
 * C2 before JDK 22 keeps an allocation on the heap when another value can take its place at such a
 * join: 24 bytes per diverted call of a {@code long} method, measured.
 *
 * <p>Stateless.
 */
final class UnifiedCall {

  private static final MethodHandle BEGIN;
  private static final MethodHandle NANO_TIME;
  private static final MethodHandle PRESENT;
  private static final MethodHandle IS;
  private static final MethodHandle SERVED;
  private static final MethodHandle FAILED;
  private static final MethodHandle COMPLETED;
  private static final MethodHandle ROUTE_UNIFIED;

  static {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    try {
      BEGIN = lookup.findStatic(Statements.class, "begin", methodType(long.class));
      NANO_TIME = lookup.findStatic(System.class, "nanoTime", methodType(long.class));
      PRESENT =
          lookup.findStatic(UnifiedCall.class, "present", methodType(Object.class, Object.class));
      IS = lookup.findVirtual(Binding.class, "is", methodType(boolean.class, Route.class));
      SERVED =
          lookup.findVirtual(
              Binding.class,
              "served",
              methodType(Object.class, Object.class, long.class, long.class));
      COMPLETED =
          lookup.findVirtual(
              Binding.class, "completed", methodType(void.class, long.class, long.class));
      FAILED =
          lookup.findVirtual(
              Binding.class,
              "failed",
              methodType(Object.class, Throwable.class, long.class, long.class));
      ROUTE_UNIFIED =
          lookup.findVirtual(
              Route.class,
              "unified",
              methodType(Object.class, Class.class, Object.class, Object[].class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private UnifiedCall() {}

  /**
   * The target of a site typed {@code site}, {@code (Route, receiver if any, arguments...)Object},
   * in the legacy class {@code origin}, for {@code binding}, whose unified method {@code invoker}
   * has resolved.
   */
  static MethodHandle of(Binding binding, Invoker invoker, Class<?> origin, MethodType site) {
    List<Class<?>> parameters = site.parameterList().subList(1, site.parameterCount());
    // Built on erased types, and typed as the site only at the end: catchException adapts a
    // handle the JDK shares between all callers (its argument collector) to the type of what it
    // guards, and the shared handle keeps that adaptation, so an application class in it would
    // keep the application's class loader from being collected.
    Class<?> result = site.returnType();
    MethodHandle call = withResult(erased(invoker.typed(parameters)), result);
    List<Class<?>> erased = call.type().parameterList();
    MethodHandle failed = FAILED.bindTo(binding);
    MethodHandle served = SERVED.bindTo(binding);
    if (result != Object.class) {
      // failed(...) returns USE_LEGACY or rethrows; typed, the legacy path's turn is thrown.
      failed =
          MethodHandles.filterReturnValue(
              failed,
              MethodHandles.dropArguments(
                  MethodHandles.throwException(result, FallBack.class).bindTo(FallBack.INSTANCE),
                  0,
                  Object.class));
      // served(result, frame, start): records the call and hands the result on.
      served =
          MethodHandles.foldArguments(
              MethodHandles.dropArguments(
                  MethodHandles.identity(result), 1, long.class, long.class),
              MethodHandles.dropArguments(COMPLETED.bindTo(binding), 0, result));
    }
    MethodHandle attempt =
        MethodHandles.catchException(
            MethodHandles.dropArguments(call, 0, long.class, long.class), Throwable.class, failed);
    MethodHandle ended =
        MethodHandles.foldArguments(MethodHandles.dropArguments(served, 3, erased), attempt);
    MethodHandle timed = MethodHandles.foldArguments(ended, 1, NANO_TIME);
    MethodHandle framed = MethodHandles.foldArguments(timed, BEGIN);
    return MethodHandles.guardWithTest(
        IS.bindTo(binding),
        MethodHandles.dropArguments(framed, 0, Route.class).asType(site),
        throughArray(origin, site, parameters.size() - binding.plan().legacyArity()));
  }

  /** {@code call} with every reference type taken as {@link Object}; primitives stay. */
  private static MethodHandle erased(MethodHandle call) {
    return call.asType(call.type().erase());
  }

  /**
   * The unified method returning what the woven method takes: a {@code primitive} result as it is,
   * otherwise an {@code Object}, {@link Route#NULL} for {@code null} and {@code void}.
   */
  private static MethodHandle withResult(MethodHandle call, Class<?> result) {
    if (result.isPrimitive()) {
      return call.asType(call.type().changeReturnType(result));
    }
    if (call.type().returnType() == void.class) {
      return MethodHandles.filterReturnValue(
          call, MethodHandles.constant(Object.class, Route.NULL));
    }
    return MethodHandles.filterReturnValue(
        call.asType(call.type().changeReturnType(Object.class)), PRESENT);
  }

  /**
   * The call of another route through its argument array, for an instruction that a route other
   * than its own reaches: {@code receivers} is 1 when the site passes the legacy receiver, else 0.
   */
  private static MethodHandle throughArray(Class<?> origin, MethodType site, int receivers) {
    MethodHandle call =
        receivers == 1
            ? MethodHandles.insertArguments(ROUTE_UNIFIED, 1, origin)
            : MethodHandles.insertArguments(ROUTE_UNIFIED, 1, origin, null);
    return Routes.asSite(
        call.asCollector(Object[].class, site.parameterCount() - 1 - receivers), site);
  }

  private static Object present(Object result) {
    return result == null ? Route.NULL : result;
  }
}
