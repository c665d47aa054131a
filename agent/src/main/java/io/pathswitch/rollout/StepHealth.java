package io.pathswitch.rollout;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The health of both paths during one rollout step: calls, unified failures, latency percentiles
 * and the JDBC statements each call ran.
 *
 * <p>Thread-safe. Recording is lock-free and allocates nothing: a handful of atomic increments.
 * Readings taken while calls are recorded may count a call in one figure and not yet in another;
 * each figure on its own is exact once recording stops. Percentiles carry the histogram's
 * precision: never below the true value, less than 6.25 % above it.
 */
public final class StepHealth {

  private static final double P95 = 0.95;

  private final LatencyHistogram unifiedLatency = new LatencyHistogram();
  private final LatencyHistogram legacyLatency = new LatencyHistogram();
  private final AtomicLong unifiedCalls = new AtomicLong();
  private final AtomicLong unifiedFailures = new AtomicLong();
  private final QueryCount unifiedQueries = new QueryCount();
  private final AtomicLong legacyCalls = new AtomicLong();
  private final QueryCount legacyQueries = new QueryCount();

  /**
   * Records a call served by the unified path.
   *
   * @param nanos how long it took
   * @param failed whether it threw or broke a rule such as the query limit
   * @param queries the JDBC statements it ran, or -1 when statements are not counted
   */
  public void recordUnified(long nanos, boolean failed, int queries) {
    unifiedCalls.incrementAndGet();
    if (failed) {
      unifiedFailures.incrementAndGet();
    }
    unifiedLatency.record(nanos);
    unifiedQueries.record(queries);
  }

  /**
   * Records a call served by the legacy path.
   *
   * @param nanos how long it took
   * @param queries the JDBC statements it ran, or -1 when statements are not counted
   */
  public void recordLegacy(long nanos, int queries) {
    legacyCalls.incrementAndGet();
    legacyLatency.record(nanos);
    legacyQueries.record(queries);
  }

  public long unifiedCalls() {
    return unifiedCalls.get();
  }

  public long unifiedFailures() {
    return unifiedFailures.get();
  }

  public long legacyCalls() {
    return legacyCalls.get();
  }

  /** Failed unified calls as a share of unified calls; 0 when there were none. */
  public double errorRate() {
    long calls = unifiedCalls.get();
    return calls == 0 ? 0 : (double) unifiedFailures.get() / calls;
  }

  /** The 95th percentile of unified latency; empty when there were no unified calls. */
  public OptionalLong unifiedP95Nanos() {
    return percentile(unifiedLatency);
  }

  /** The 95th percentile of legacy latency; empty when there were no legacy calls. */
  public OptionalLong legacyP95Nanos() {
    return percentile(legacyLatency);
  }

  /** Statements per unified call, over the calls whose statements were counted. */
  public OptionalDouble unifiedQueriesPerCall() {
    return unifiedQueries.perCall();
  }

  /** Statements per legacy call, over the calls whose statements were counted. */
  public OptionalDouble legacyQueriesPerCall() {
    return legacyQueries.perCall();
  }

  /**
   * How many fewer statements per call the unified path ran than the legacy path, as a share of the
   * legacy figure ({@code 1 - unified / legacy}; 0.9 means 90 % fewer, negative means more). Empty
   * unless both paths have counted calls and the legacy path ran at least one statement.
   */
  public OptionalDouble queryReduction() {
    OptionalDouble unified = unifiedQueriesPerCall();
    OptionalDouble legacy = legacyQueriesPerCall();
    if (unified.isEmpty() || legacy.isEmpty() || legacy.getAsDouble() == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(1 - unified.getAsDouble() / legacy.getAsDouble());
  }

  private static OptionalLong percentile(LatencyHistogram histogram) {
    long nanos = histogram.percentile(P95);
    return nanos < 0 ? OptionalLong.empty() : OptionalLong.of(nanos);
  }

  /** Statements over the calls that counted them. */
  private static final class QueryCount {

    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong queries = new AtomicLong();

    void record(int count) {
      if (count >= 0) {
        queries.addAndGet(count);
        calls.incrementAndGet();
      }
    }

    OptionalDouble perCall() {
      long counted = calls.get();
      return counted == 0
          ? OptionalDouble.empty()
          : OptionalDouble.of((double) queries.get() / counted);
    }
  }
}
