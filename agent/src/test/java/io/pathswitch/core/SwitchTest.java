package io.pathswitch.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.bootstrap.Keys;
import io.pathswitch.bootstrap.Route;
import io.pathswitch.bootstrap.Routes;
import io.pathswitch.config.AgentConfig;
import io.pathswitch.config.SwitchConfig;
import io.pathswitch.instrumentation.TargetCheck;
import io.pathswitch.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SwitchTest {

  private final FakeClock clock = new FakeClock();
  private final List<String> events = new ArrayList<>();

  @Test
  void bucketsAboutThePercentageOfKeysAndKeepsEachKeyOnItsPath() {
    Switch sw = switchOf("switch.s.percentage=30", "switch.s.key=arg0");

    Set<Long> first = unifiedKeys(sw);
    Set<Long> second = unifiedKeys(sw);

    assertThat(first.size()).isBetween(2_700, 3_300);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void onlyAddsKeysAsThePercentageGrows() {
    Switch sw = switchOf("switch.s.percentage=30", "switch.s.key=arg0");
    Set<Long> at30 = unifiedKeys(sw);

    sw.setPercentage(60, "test");
    Set<Long> at60 = unifiedKeys(sw);

    assertThat(at60.size()).isBetween(5_700, 6_300);
    assertThat(at60).containsAll(at30);
  }

  @Test
  void picksOtherKeysFirstForAnotherSwitch() {
    Set<Long> one = unifiedKeys(switchOf("switch.one.percentage=10", "switch.one.key=arg0"));
    Set<Long> other = unifiedKeys(switchOf("switch.other.percentage=10", "switch.other.key=arg0"));
    Set<Long> both = new HashSet<>(one);

    both.retainAll(other);

    assertThat(both.size()).isBetween(50, 160);
  }

  @Test
  void divertsAboutThePercentageOfCallsWhenTheSwitchHasNoKey() {
    Switch none = switchOf("switch.s.percentage=0");
    Switch some = switchOf("switch.s.percentage=30");
    Switch all = switchOf("switch.s.percentage=100");

    int[] diverted = new int[3];
    for (int i = 0; i < 10_000; i++) {
      diverted[0] += none.decide(i) == Route.DIVERT ? 1 : 0;
      diverted[1] += some.decide(i) == Route.DIVERT ? 1 : 0;
      diverted[2] += all.decide(i) == Route.DIVERT ? 1 : 0;
    }

    assertThat(diverted[0]).isZero();
    assertThat(diverted[1]).isBetween(2_700, 3_300);
    assertThat(diverted[2]).isEqualTo(10_000);
  }

  @Test
  void excludeWinsOverIncludeWhichWinsOverThePercentage() {
    Switch sw =
        switchOf(
            "switch.s.percentage=0",
            "switch.s.key=arg0",
            "switch.s.include=7,8",
            "switch.s.exclude=9");

    int seven = sw.decide(Keys.hash(7L));
    int eight = sw.decide(Keys.hash("8"));
    int nine = sw.decide(Keys.hash(9L));
    int ten = sw.decide(Keys.hash(10L));
    sw.setPercentage(100, "test");
    int nineAtHundred = sw.decide(Keys.hash(9L));

    assertThat(seven).isEqualTo(Route.DIVERT);
    assertThat(eight).isEqualTo(Route.DIVERT);
    assertThat(nine).isEqualTo(Route.LEGACY);
    assertThat(ten).isEqualTo(Route.LEGACY);
    assertThat(nineAtHundred).isEqualTo(Route.LEGACY);
  }

  @Test
  void sendsEveryCallToTheLegacyPathWhenDisabled() {
    Switch sw = switchOf("switch.s.enabled=false");

    int path = sw.decide(0);

    assertThat(path).isEqualTo(Route.LEGACY);
    assertThat(sw.state()).isEqualTo(SwitchState.OFF);
  }

  @Test
  void tripsWhenTheErrorRateIsReachedAndServesLegacyUntilTheCoolDownEnds() {
    Switch sw =
        switchOf(
            "switch.s.trip.window=10",
            "switch.s.trip.min-calls=10",
            "switch.s.trip.error-rate=20%",
            "switch.s.trip.cool-down=30s");

    for (int i = 0; i < 8; i++) {
      sw.unifiedCompleted(1_000, 1, 0, true);
    }
    sw.unifiedFailed(1_000, 1, 0, new IllegalStateException(), true, true);
    SwitchState belowMinCalls = sw.state();
    sw.unifiedFailed(1_000, 1, 0, new IllegalStateException(), true, true);
    int duringCoolDown = sw.decide(0);
    clock.advance(Duration.ofSeconds(30).minusNanos(1));
    int justBeforeItEnds = sw.decide(0);
    clock.advance(Duration.ofNanos(1));
    int whenItEnds = sw.decide(0);

    assertThat(belowMinCalls).isEqualTo(SwitchState.ON);
    assertThat(duringCoolDown).isEqualTo(Route.LEGACY);
    assertThat(justBeforeItEnds).isEqualTo(Route.LEGACY);
    assertThat(whenItEnds).isEqualTo(Route.DIVERT);
    assertThat(sw.state()).isEqualTo(SwitchState.PROBING);
    assertThat(events).anyMatch(e -> e.startsWith("s ON -> TRIPPED: 2 of 10 unified calls failed"));
  }

  @Test
  void countsAUnifiedCallAboveMaxQueriesAsFailed() {
    Switch sw =
        switchOf(
            "switch.s.trip.window=5",
            "switch.s.trip.min-calls=5",
            "switch.s.trip.error-rate=100%",
            "switch.s.trip.max-queries=5");

    for (int i = 0; i < 5; i++) {
      sw.unifiedCompleted(1_000, 6, 0, true);
    }

    assertThat(sw.state()).isEqualTo(SwitchState.TRIPPED);
    assertThat(sw.unifiedStats().errors()).isEqualTo(5);
  }

  @Test
  void pausesTheRolloutAtZeroWhenItTrips() {
    Switch sw =
        switchOf(
            "switch.s.rollout=10% for 1m, 50% for 1m, 100%",
            "switch.s.trip.window=5", "switch.s.trip.min-calls=5", "switch.s.trip.error-rate=20%");
    sw.startRollout(null, "test");

    sw.unifiedFailed(1_000, 1, 0, new IllegalStateException(), true, true);
    for (int i = 0; i < 4; i++) {
      sw.unifiedCompleted(1_000, 1, 0, true);
    }

    assertThat(sw.state()).isEqualTo(SwitchState.PAUSED);
    assertThat(sw.percentage()).isZero();
    assertThat(sw.rolloutStep()).startsWith("paused at step 1 of 3");
  }

  @Test
  void advancesTheRolloutWhenTheStepIsUpAndHealthHeld() {
    Switch sw = switchOf("switch.s.rollout=10% for 1m, 50% for 1m, 100%");
    sw.startRollout(null, "test");
    sw.unifiedCompleted(1_000_000, 1, 0, true);

    clock.advance(Duration.ofMinutes(1).minusMillis(1));
    sw.rollout().tick();
    double before = sw.percentage();
    clock.advance(Duration.ofMillis(1));
    sw.rollout().tick();

    assertThat(before).isEqualTo(10.0);
    assertThat(sw.percentage()).isEqualTo(50.0);
    assertThat(events).anyMatch(e -> e.startsWith("s Percentage 10.0 -> 50.0 (rollout step 2"));
  }

  @Test
  void pausesTheRolloutWhenAnOperatorSetsThePercentage() {
    Switch sw = switchOf("switch.s.rollout=10% for 1m, 50% for 1m, 100%");
    sw.startRollout(null, "test");

    sw.setPercentage(30, "JMX");

    assertThat(sw.state()).isEqualTo(SwitchState.PAUSED);
    assertThat(sw.percentage()).isEqualTo(30.0);
    assertThat(sw.stateReason())
        .contains("Percentage set to 30.0 by hand (JMX); resume() restarts the step");
  }

  @Test
  void saysATripThatHappensWhileAnOperatorHasPausedTheRollout() {
    Switch sw =
        switchOf(
            "switch.s.rollout=10% for 1m, 50% for 1m, 100%",
            "switch.s.trip.window=5", "switch.s.trip.min-calls=5", "switch.s.trip.error-rate=20%");
    sw.startRollout(null, "test");
    sw.setPercentage(100, "JMX");

    sw.unifiedFailed(1_000, 1, 0, new IllegalStateException(), true, true);
    for (int i = 0; i < 4; i++) {
      sw.unifiedCompleted(1_000, 1, 0, true);
    }

    assertThat(sw.state()).isEqualTo(SwitchState.PAUSED);
    assertThat(sw.decide(0)).isEqualTo(Route.LEGACY);
    assertThat(sw.stateReason())
        .contains("by hand (JMX)")
        .contains("; thresholds TRIPPED: 1 of 5 unified calls failed (20.0 % ≥ 20.0 %)");
    assertThat(events).contains("s thresholds ON -> TRIPPED");
  }

  @Test
  void tripsWithoutPausingOnceTheRolloutIsDone() {
    Switch sw =
        switchOf(
            "switch.s.rollout=10% for 1m, 100%",
            "switch.s.trip.window=5", "switch.s.trip.min-calls=5", "switch.s.trip.error-rate=20%");
    sw.startRollout(null, "test");
    sw.advance("JMX");

    sw.unifiedFailed(1_000, 1, 0, new IllegalStateException(), true, true);
    for (int i = 0; i < 4; i++) {
      sw.unifiedCompleted(1_000, 1, 0, true);
    }

    assertThat(sw.state()).isEqualTo(SwitchState.TRIPPED);
    assertThat(sw.percentage()).isEqualTo(100.0);
  }

  @Test
  void resumeRestartsTheStepAndAdvanceMovesOn() {
    Switch sw = switchOf("switch.s.rollout=10% for 1m, 50% for 1m, 100%");
    sw.startRollout(null, "test");
    sw.rollback("JMX");
    double rolledBack = sw.percentage();

    sw.resume("JMX");
    double resumed = sw.percentage();
    sw.advance("JMX");

    assertThat(rolledBack).isZero();
    assertThat(resumed).isEqualTo(10.0);
    assertThat(sw.percentage()).isEqualTo(50.0);
    assertThat(sw.state()).isEqualTo(SwitchState.ON);
  }

  @Test
  void keepsAndRestoresItsFlagsAndRolloutStep() {
    Switch first = switchOf("switch.s.rollout=10% for 1m, 50% for 1h, 100%");
    first.startRollout(null, "test");
    first.advance("JMX");
    clock.advance(Duration.ofMinutes(20));

    Switch second = switchOf("switch.s.rollout=10% for 1m, 50% for 1h, 100%");
    second.restore(first.keptState(), first.mode(), "state file");
    second.startRollout(first.keptState().rollout().get(), "state file");

    assertThat(second.percentage()).isEqualTo(50.0);
    assertThat(second.rolloutStep()).isEqualTo("step 2 of 3: 50% for 1h, 40m left");
  }

  @Test
  void withdrawsTheRoutesOfCopiesBoundBeforeWhenAnotherCopyMakesItInvalid() {
    Switch sw = switchOf("switch.s.percentage=100");
    Bindings bindings = new Bindings();
    Invoker.Plan plan =
        new Invoker.Plan(
            "a.B", "d", List.of(), TargetCheck.Shape.SAME_INSTANCE, 0, Optional.empty());
    Binding fits = bindings.bind(sw, new ClassLoader() {}, "a.B", plan).orElseThrow();
    Route before = Routes.get(fits.id());

    sw.invalidate("a.B in another class loader does not fit");
    Route after = Routes.get(fits.id());
    bindings.clear();

    assertThat(before).isSameAs(fits);
    assertThat(after).isNull();
    assertThat(sw.state()).isEqualTo(SwitchState.INVALID);
  }

  private Set<Long> unifiedKeys(Switch sw) {
    Set<Long> unified = new HashSet<>();
    for (long key = 0; key < 10_000; key++) {
      if (sw.decide(Keys.hash(key)) == Route.DIVERT) {
        unified.add(key);
      }
    }
    return unified;
  }

  private Switch switchOf(String... lines) {
    Properties properties = new Properties();
    String name = lines.length > 0 ? lines[0].split("\\.")[1] : "s";
    properties.setProperty("switch." + name + ".legacy", "a.B#c");
    properties.setProperty("switch." + name + ".unified", "a.B#d");
    properties.setProperty("switch." + name + ".enabled", "true");
    for (String line : lines) {
      String[] pair = line.split("=", 2);
      properties.setProperty(pair[0], pair[1]);
    }
    try {
      SwitchConfig config = AgentConfig.parse(properties, "test").switches().get(0);
      return new Switch(config, clock, new Events(events));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** One line per event, for assertions. */
  private static final class Events implements SwitchListener {
    private final List<String> lines;

    Events(List<String> lines) {
      this.lines = lines;
    }

    @Override
    public void changed(Switch sw, String attribute, Object old, Object now, String cause) {
      lines.add(sw.name() + " " + attribute + " " + old + " -> " + now + " (" + cause + ")");
    }

    @Override
    public void stateChanged(Switch sw, SwitchState from, SwitchState to, String cause) {
      lines.add(sw.name() + " " + from + " -> " + to + ": " + cause);
    }

    @Override
    public void thresholdsMoved(Switch sw, String from, String to, String reason) {
      lines.add(sw.name() + " thresholds " + from + " -> " + to);
    }

    @Override
    public void unifiedFirstRan(Switch sw, long nanos, long statements) {}

    @Override
    public void unifiedFailedFirst(Switch sw, Throwable failure, boolean fellBack) {}

    @Override
    public void mismatch(Switch sw, Object[] args, Object legacy, Object unified, long count) {}
  }
}
