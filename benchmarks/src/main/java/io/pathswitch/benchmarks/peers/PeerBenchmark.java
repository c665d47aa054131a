package io.pathswitch.benchmarks.peers;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.pathswitch.benchmarks.callcost.Pricing;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.togglz.core.manager.FeatureManager;
import org.togglz.core.manager.FeatureManagerBuilder;
import org.togglz.core.repository.FeatureState;
import org.togglz.core.repository.mem.InMemoryStateRepository;
import org.togglz.core.user.NoOpUserProvider;

/**
 * The same decision made with the libraries a team would reach for instead of the agent, in code:
 * each benchmark decides "unified or legacy" and then calls the same trivial method as {@code
 * CallCostBenchmark}, so the two sets of figures compare directly. Every peer is set to choose the
 * unified path, as a switch on at 100 % does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class PeerBenchmark {

  private static final String FLAG = "unified-pricing";

  private final Pricing pricing = new Pricing();
  private long amount;

  private CircuitBreaker breaker;
  private Supplier<Long> decorated;
  private Client openFeature;
  private FeatureManager togglz;

  @Setup(Level.Trial)
  public void setUp() {
    amount = ThreadLocalRandom.current().nextLong(1, 1_000_000);

    breaker = CircuitBreaker.ofDefaults("unified-pricing");
    decorated = CircuitBreaker.decorateSupplier(breaker, () -> pricing.unifiedPrice(amount));

    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait(
        new InMemoryProvider(
            Map.of(
                FLAG,
                Flag.<Boolean>builder()
                    .variant("on", true)
                    .variant("off", false)
                    .defaultVariant("on")
                    .build())));
    openFeature = api.getClient();

    togglz =
        FeatureManagerBuilder.begin()
            .featureEnum(PricingFeature.class)
            .stateRepository(new InMemoryStateRepository())
            .userProvider(new NoOpUserProvider())
            .build();
    togglz.setFeatureState(new FeatureState(PricingFeature.UNIFIED_PRICING, true));
  }

  /** The usual Resilience4j idiom: a supplier decorated once, called every time. */
  @Benchmark
  public long resilience4jDecorated() {
    return decorated.get();
  }

  /** Resilience4j without the decorator's boxing: permission, call, outcome by hand. */
  @Benchmark
  public long resilience4jPermission() {
    if (!breaker.tryAcquirePermission()) {
      return pricing.plainPrice(amount);
    }
    long start = breaker.getCurrentTimestamp();
    long result = pricing.unifiedPrice(amount);
    breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
    return result;
  }

  @Benchmark
  public long openFeatureInMemory() {
    return openFeature.getBooleanValue(FLAG, false)
        ? pricing.unifiedPrice(amount)
        : pricing.plainPrice(amount);
  }

  @Benchmark
  public long togglzInMemory() {
    return togglz.isActive(PricingFeature.UNIFIED_PRICING)
        ? pricing.unifiedPrice(amount)
        : pricing.plainPrice(amount);
  }

  @TearDown(Level.Trial)
  public void checkUnifiedChosen() {
    // Every peer must have chosen the unified path, or it measured a different decision.
    if (breaker.getState() != CircuitBreaker.State.CLOSED
        || !openFeature.getBooleanValue(FLAG, false)
        || !togglz.isActive(PricingFeature.UNIFIED_PRICING)) {
      throw new IllegalStateException("a peer did not choose the unified path");
    }
    OpenFeatureAPI.getInstance().shutdown();
  }
}
