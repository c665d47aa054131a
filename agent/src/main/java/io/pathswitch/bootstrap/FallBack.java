package io.pathswitch.bootstrap;

/**
 * Thrown by the typed call of a unified path whose legacy method returns a primitive, when the
 * legacy body must serve the call instead ({@link Route#USE_LEGACY} on the untyped call). The woven
 * method catches it around that one instruction and goes on to the legacy body.
 *
 * <p>Such a call returns its result unboxed: with a box in between, the box would meet the sentinel
 * where the two outcomes join, and HotSpot before JDK 22 then keeps the box on the heap (24 bytes
 * per diverted call of a {@code long} method). One instance, without a stack trace, so throwing it
 * allocates nothing.
 */
public final class FallBack extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The only instance. */
  public static final FallBack INSTANCE = new FallBack();

  private FallBack() {
    super("the legacy path serves this call", null, false, false);
  }

  /** {@code result}, unless it is {@link Route#USE_LEGACY}: then throws {@link #INSTANCE}. */
  public static Object unlessLegacy(Object result) {
    if (result == Route.USE_LEGACY) {
      throw INSTANCE;
    }
    return result;
  }
}
