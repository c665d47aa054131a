package io.pathswitch.bootstrap;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The table every instrumented method reads first: one slot per binding of a switch to a loaded
 * class. An empty slot means the switch is off and the legacy code runs untouched, which is why an
 * off switch costs one volatile array read.
 *
 * <p>Thread-safe. Lives on the bootstrap class path; holds no reference to any application class,
 * only to the agent's routes, which hold application classes weakly.
 */
public final class Routes {

  /** How many bindings the table holds; a binding beyond it is refused with a warning. */
  public static final int CAPACITY = 8192;

  private static final AtomicReferenceArray<Route> TABLE = new AtomicReferenceArray<>(CAPACITY);

  private Routes() {}

  /** The route of binding {@code id}, or {@code null} when its switch is off. */
  public static Route get(int id) {
    return TABLE.get(id);
  }

  /** Publishes or (with {@code null}) withdraws the route of binding {@code id}. */
  public static void set(int id, Route route) {
    TABLE.set(id, route);
  }
}
