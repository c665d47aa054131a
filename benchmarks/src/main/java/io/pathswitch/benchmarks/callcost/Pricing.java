package io.pathswitch.benchmarks.callcost;

/**
 * The legacy class of the call-cost benchmarks. Every method has the same trivial body, so the
 * benchmarks differ only in what the agent put around it: {@link #plainPrice} is targeted by no
 * switch, the others each by their own switch in {@code callcost-pathswitch.properties}, and all
 * three switches divert to {@link #unifiedPrice}. Stateless and thread-safe.
 */
public class Pricing {

  /** Targeted by no switch: the baseline. */
  public long plainPrice(long amount) {
    return amount * 31 + 7;
  }

  /** Switch {@code price-off}: instrumented, not enabled. */
  public long offPrice(long amount) {
    return amount * 31 + 7;
  }

  /** Switch {@code price-zero}: enabled at 0 %, so every call is decided and stays legacy. */
  public long zeroPrice(long amount) {
    return amount * 31 + 7;
  }

  /** Switch {@code price-full}: enabled at 100 %, so every call is diverted. */
  public long fullPrice(long amount) {
    return amount * 31 + 7;
  }

  /** The unified method of all three switches. */
  public long unifiedPrice(long amount) {
    return amount * 31 + 7;
  }
}
