package io.pathswitch.benchmarks.callcost;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The cost per call of an instrumented method, in a fork that runs the real shaded agent ({@code
 * -javaagent}, added by {@link io.pathswitch.benchmarks.BenchmarkMain}): the same trivial body
 * uninstrumented, with its switch off, on at 0 % and on at 100 %.
 *
 * <p>After the measurement each benchmark checks, over JMX, that the path it claims to measure is
 * the one that ran: a number for "on at 100 %" from a method that was never diverted would be worse
 * than none.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class CallCostBenchmark {

  static final String OFF = "price-off";
  static final String ZERO = "price-zero";
  static final String FULL = "price-full";

  private final Pricing pricing = new Pricing();
  private final AgentSwitches switches = new AgentSwitches();

  /** Read on every call, so the JIT cannot fold the body into a constant. */
  private long amount;

  @Setup(Level.Trial)
  public void setUp() throws JMException, InterruptedException {
    AgentSwitches.requireShadedAgent();
    switches.await(List.of(OFF, ZERO, FULL), Duration.ofSeconds(10));
    switches.set(OFF, false, 100);
    switches.set(ZERO, true, 0);
    switches.set(FULL, true, 100);
    amount = ThreadLocalRandom.current().nextLong(1, 1_000_000);
  }

  @Benchmark
  public long uninstrumented() {
    return pricing.plainPrice(amount);
  }

  @Benchmark
  public long switchOff() {
    return pricing.offPrice(amount);
  }

  @Benchmark
  public long switchOnZeroPercent() {
    return pricing.zeroPrice(amount);
  }

  @Benchmark
  public long switchOnFullPercent() {
    return pricing.fullPrice(amount);
  }

  @TearDown(Level.Trial)
  public void checkPathTaken(BenchmarkParams params) throws JMException {
    String benchmark = params.getBenchmark();
    if (benchmark.endsWith(".switchOff")) {
      require(OFF, "LegacyCalls", 0, 0);
      require(OFF, "UnifiedCalls", 0, 0);
      // Off must mean "instrumented and idle", not "never instrumented": one call with the switch
      // on, after the measurement, proves the advice is there.
      switches.set(OFF, true, 100);
      pricing.offPrice(amount);
      require(OFF, "UnifiedCalls", 1, 1);
      switches.set(OFF, false, 100);
    } else if (benchmark.endsWith(".switchOnZeroPercent")) {
      require(ZERO, "LegacyCalls", 1, Long.MAX_VALUE);
      require(ZERO, "UnifiedCalls", 0, 0);
    } else if (benchmark.endsWith(".switchOnFullPercent")) {
      require(FULL, "UnifiedCalls", 1, Long.MAX_VALUE);
      require(FULL, "LegacyCalls", 0, 0);
      require(FULL, "FallbackCalls", 0, 0);
    }
  }

  private void require(String name, String attribute, long min, long max) throws JMException {
    long value = switches.count(name, attribute);
    if (value < min || value > max) {
      throw new IllegalStateException(
          "switch "
              + name
              + ": "
              + attribute
              + " is "
              + value
              + ", expected "
              + (min == max ? String.valueOf(min) : min + " to " + max)
              + "; the benchmark did not measure the path it names");
    }
  }
}
