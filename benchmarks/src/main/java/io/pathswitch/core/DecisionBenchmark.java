package io.pathswitch.core;

import io.pathswitch.config.AgentConfig;
import io.pathswitch.config.ConfigException;
import io.pathswitch.time.Clock;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The decision alone, {@code Switch.decide}, without the measuring that the instrumented call does
 * around it: what "the decision under 15 ns" is held against. It lives in the agent's package
 * because {@code decide} is package-private; the agent is not loaded, its classes are constructed
 * directly.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class DecisionBenchmark {

  private Switch zeroPercent;
  private Switch fullPercent;
  private Switch keyedPartly;
  private long keyHash;

  @Setup(Level.Trial)
  public void setUp() throws ConfigException {
    zeroPercent = enabledAt(0);
    fullPercent = enabledAt(100);
    keyedPartly = enabledAt(30, "switch.price.key", "arg0");
    keyHash = System.nanoTime();
  }

  @Benchmark
  public int decideOnZeroPercent() {
    return zeroPercent.decide(keyHash);
  }

  @Benchmark
  public int decideOnFullPercent() {
    return fullPercent.decide(keyHash);
  }

  /**
   * A switch with a key argument at 30 %: the key's bucket is computed (a salted mix and a
   * remainder), which 0 % and 100 % skip.
   */
  @Benchmark
  public int decideKeyedAtThirtyPercent() {
    return keyedPartly.decide(keyHash);
  }

  private static Switch enabledAt(int percentage, String... more) throws ConfigException {
    Properties properties = new Properties();
    for (int i = 0; i + 1 < more.length; i += 2) {
      properties.setProperty(more[i], more[i + 1]);
    }
    properties.setProperty(
        "switch.price.legacy", "io.pathswitch.benchmarks.callcost.Pricing#zeroPrice");
    properties.setProperty(
        "switch.price.unified", "io.pathswitch.benchmarks.callcost.Pricing#unifiedPrice");
    properties.setProperty("switch.price.enabled", "true");
    properties.setProperty("switch.price.percentage", Integer.toString(percentage));
    AgentConfig config = AgentConfig.parse(properties, "DecisionBenchmark");
    return new Switch(config.switches().get(0), Clock.SYSTEM, new Silent());
  }

  /** Hears nothing: the benchmark changes no state. */
  private static final class Silent implements SwitchListener {

    @Override
    public void changed(Switch sw, String attribute, Object oldValue, Object newValue, String c) {}

    @Override
    public void stateChanged(Switch sw, SwitchState from, SwitchState to, String cause) {}

    @Override
    public void unifiedFirstRan(Switch sw, long nanos, long statements) {}

    @Override
    public void unifiedFailedFirst(Switch sw, Throwable failure, boolean fellBack) {}

    @Override
    public void mismatch(Switch sw, Object[] args, Object legacy, Object unified, long count) {}
  }
}
