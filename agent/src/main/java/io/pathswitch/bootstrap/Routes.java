package io.pathswitch.bootstrap;

import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The table every instrumented method reads first: one slot per binding of a switch to a loaded
 * class. An empty slot means the switch is off and the legacy code runs untouched.
 *
 * <p>An instrumented method reads its slot through an {@code invokedynamic} linked by {@link #link}
 * to a {@link MutableCallSite} whose target returns the slot's route as a constant. The JIT
 * compiles that constant into the method, so an off switch costs nothing once compiled: the null
 * check and everything behind it fold away. Publishing or withdrawing a route relinks the site,
 * which makes the JVM throw away the compiled code that inlined the old route; that happens when a
 * switch is enabled, disabled or found INVALID, never on a change of percentage or keys, and never
 * per call. Class files older than Java 7, which cannot hold {@code invokedynamic}, read the slot
 * with {@link #get} instead: one volatile array read.
 *
 * <p>A call the route diverts runs the unified path through a second {@code invokedynamic}, linked
 * by {@link #unified}, which passes the legacy method's receiver and arguments with their own
 * types. Once its route has relinked it, the JIT inlines the whole typed call into the legacy
 * method, which then makes neither an argument array nor a boxed argument.
 *
 * <p>Thread-safe. Lives on the bootstrap class path; holds no reference to any application class,
 * only to the agent's routes, which hold application classes weakly.
 */
public final class Routes {

  /**
   * The revision of the contract between the bootstrap classes and the agent's advice, raised
   * whenever one of them changes in a way the advice or the agent relies on (2: {@link #link} and
   * {@code Route.after}; 3: {@link #unified} and its {@code Route.unified}, and {@code
   * Statements.enter}, {@code exit} and {@code prepared} without a token; 4: {@link #unified} typed
   * with a primitive result, and {@link FallBack}). Bootstrap classes stay in the JVM for its life,
   * so an agent refuses to attach where another revision is already in place: its advice would call
   * methods that are not there, and fail in the application's own code.
   */
  public static final int REVISION = 4;

  /** How many bindings the table holds; a binding beyond it is refused with a warning. */
  public static final int CAPACITY = 8192;

  private static final MethodType ROUTE = MethodType.methodType(Route.class);

  /** {@link FallBack#unlessLegacy}, for a unified call typed with a primitive result. */
  private static final MethodHandle UNLESS_LEGACY = unlessLegacy();

  private static final AtomicReferenceArray<Route> TABLE = new AtomicReferenceArray<>(CAPACITY);

  /** The call sites linked so far, by binding; guarded by their own lock. */
  private static final MutableCallSite[] SITES = new MutableCallSite[CAPACITY];

  private Routes() {}

  /** The route of binding {@code id}, or {@code null} when its switch is off. */
  public static Route get(int id) {
    return TABLE.get(id);
  }

  /**
   * The bootstrap method of the {@code invokedynamic} that reads binding {@code id}'s route: one
   * call site per binding, shared by every instruction that reads it (a class retransformed again
   * links anew and gets the same site).
   */
  public static CallSite link(MethodHandles.Lookup caller, String name, MethodType type, int id) {
    if (!type.equals(ROUTE) || id < 0 || id >= CAPACITY) {
      throw new IllegalArgumentException(
          "a route is read as "
              + ROUTE
              + " with a binding below "
              + CAPACITY
              + ", not "
              + type
              + " with "
              + id);
    }
    synchronized (SITES) {
      MutableCallSite site = SITES[id];
      if (site == null) {
        site = new MutableCallSite(constant(TABLE.get(id)));
        SITES[id] = site;
      }
      return site;
    }
  }

  /**
   * The bootstrap method of the {@code invokedynamic} that runs the unified path of a call its
   * route diverted, typed {@code (Route, receiver, arguments...)Object} with the legacy method's
   * own types (no receiver for a static method), or returning the legacy method's primitive type:
   * such a call returns its result unboxed and throws {@link FallBack} where the other returns
   * {@link Route#USE_LEGACY}. Linked on the first such call of each instruction.
   *
   * <p>It resolves nothing, so no class of the application can make it fail, which would fail the
   * instruction for good ({@code BootstrapMethodError}). The site's first target hands each call,
   * its receiver and arguments in an array, to {@link Route#unified(MutableCallSite, Class,
   * Object[])}, which runs it as a class file older than Java 7 does (a unified method that cannot
   * be resolved fails that call, which falls back or rethrows as the switch says) and relinks the
   * site once the unified method has served. One site per instruction: a class transformed again,
   * or bound anew by a reload, links afresh.
   */
  public static CallSite unified(MethodHandles.Lookup caller, String name, MethodType type)
      throws ReflectiveOperationException {
    Class<?> result = type.returnType();
    if (type.parameterCount() == 0
        || type.parameterType(0) != Route.class
        || (result != Object.class && (!result.isPrimitive() || result == void.class))) {
      throw new IllegalArgumentException(
          "a unified call is typed (Route, ...) returning Object or a primitive, not " + type);
    }
    MutableCallSite site = new MutableCallSite(type);
    MethodHandle run =
        MethodHandles.lookup()
            .findVirtual(
                Route.class,
                "unified",
                MethodType.methodType(
                    Object.class, MutableCallSite.class, Class.class, Object[].class));
    MethodHandle call =
        MethodHandles.insertArguments(run, 1, site, caller.lookupClass())
            .asCollector(Object[].class, type.parameterCount() - 1);
    site.setTarget(asSite(call, type));
    return site;
  }

  /** Publishes or (with {@code null}) withdraws the route of binding {@code id}. */
  public static void set(int id, Route route) {
    synchronized (SITES) {
      if (TABLE.get(id) == route) {
        return; // unchanged: the compiled code that inlined the route stays valid
      }
      TABLE.set(id, route);
      MutableCallSite site = SITES[id];
      if (site != null) {
        site.setTarget(constant(route));
        MutableCallSite.syncAll(new MutableCallSite[] {site});
      }
    }
  }

  /**
   * {@code call}, a unified call that answers an {@code Object} ({@link Route#USE_LEGACY} when the
   * legacy path serves), typed as {@code site}: a primitive result unboxed, and {@link FallBack}
   * thrown where it answers {@code USE_LEGACY}.
   */
  public static MethodHandle asSite(MethodHandle call, MethodType site) {
    if (site.returnType() != Object.class) {
      call = MethodHandles.filterReturnValue(call, UNLESS_LEGACY);
    }
    return call.asType(site);
  }

  private static MethodHandle unlessLegacy() {
    try {
      return MethodHandles.lookup()
          .findStatic(
              FallBack.class, "unlessLegacy", MethodType.methodType(Object.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static MethodHandle constant(Route route) {
    return MethodHandles.constant(Route.class, route);
  }
}
