package io.pathswitch.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.bootstrap.Route;
import io.pathswitch.config.AgentConfig;
import io.pathswitch.config.SwitchConfig;
import io.pathswitch.time.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What a switch tells about its own calls: never called, N+1 patterns, statements per call. */
class SwitchFiguresTest {

  private final FakeClock clock = new FakeClock();
  private final List<String> events = new CopyOnWriteArrayList<>();

  @Test
  void warnsOnceWhenItsLegacyMethodIsNotCalledForAMinuteAfterEnabling() throws Exception {
    Switch sw = enabled("percentage=5");
    long enabledAt = clock.currentTimeMillis();

    clock.advance(Duration.ofSeconds(59));
    sw.checkCalled();
    List<String> beforeAMinute = List.copyOf(events);
    clock.advance(Duration.ofSeconds(1));
    sw.checkCalled();
    clock.advance(Duration.ofMinutes(10));
    sw.checkCalled();

    assertThat(beforeAMinute).isEmpty();
    assertThat(events).containsExactly("s never called since " + enabledAt);
  }

  @Test
  void staysQuietWhenTheLegacyMethodIsCalled() throws Exception {
    Switch sw = enabled("percentage=5");
    clock.advance(Duration.ofSeconds(30));

    sw.decide(0);
    clock.advance(Duration.ofMinutes(5));
    sw.checkCalled();

    assertThat(events).isEmpty();
  }

  @Test
  void staysQuietWhileOffOrAtZeroPercent() throws Exception {
    Switch off = create("enabled=false");
    Switch zero = enabled("percentage=0");

    clock.advance(Duration.ofMinutes(5));
    off.checkCalled();
    zero.checkCalled();

    assertThat(events).isEmpty();
  }

  @Test
  void warnsAgainAfterBeingEnabledAgain() throws Exception {
    Switch sw = enabled("percentage=100");
    clock.advance(Duration.ofMinutes(2));
    sw.checkCalled();

    sw.setEnabled(false, "test");
    sw.setEnabled(true, "test");
    long reenabledAt = clock.currentTimeMillis();
    sw.checkCalled();
    clock.advance(Duration.ofMinutes(1));
    sw.checkCalled();

    assertThat(events.stream().filter(e -> e.contains("never called")))
        .containsExactly(
            "s never called since " + (reenabledAt - Duration.ofMinutes(2).toMillis()),
            "s never called since " + reenabledAt);
  }

  @Test
  void countsCallsWithAnNPlusOnePatternPerPathAndReportsTheFirstOfEach() throws Exception {
    Switch sw = enabled("percentage=100");

    sw.repeatedStatements(false, 300, () -> "SELECT a FROM t WHERE id = ?");
    sw.repeatedStatements(false, 301, () -> "never asked for");
    sw.repeatedStatements(true, 12, () -> "SELECT b FROM u WHERE id = ?");

    assertThat(sw.legacyRepeatedCalls()).isEqualTo(2);
    assertThat(sw.unifiedRepeatedCalls()).isEqualTo(1);
    assertThat(events)
        .containsExactly(
            "s legacy repeated 300: SELECT a FROM t WHERE id = ?",
            "s unified repeated 12: SELECT b FROM u WHERE id = ?");
  }

  @Test
  void reportsTheQueryReductionOfTheUnifiedPath() throws Exception {
    Switch sw = enabled("percentage=100");
    double before = sw.queryReduction();

    sw.legacyCompleted(Route.LEGACY, 1_000, 1201, clock.nanoTime(), false);
    sw.unifiedCompleted(1_000, 1, clock.nanoTime(), true);

    assertThat(before).isNaN();
    assertThat(sw.legacyQueriesPerCall()).isEqualTo(1201);
    assertThat(sw.unifiedQueriesPerCall()).isEqualTo(1);
    assertThat(sw.queryReduction())
        .isCloseTo(1 - 1 / 1201.0, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void countsStatementsPerCallOfEachMethodWhicheverPathRanIt() throws Exception {
    Switch sw = enabled("percentage=100", "mode=shadow");

    sw.legacyCompleted(Route.LEGACY, 1_000, 9, clock.nanoTime(), false);
    sw.legacyCompleted(Route.FALLBACK, 1_000, 11, clock.nanoTime(), false);
    sw.liveLegacyCompleted(1_000, 13, clock.nanoTime(), false);
    sw.legacyCompleted(Route.LEGACY, 1_000, 500, clock.nanoTime(), true);
    sw.unifiedCompleted(1_000, 2, clock.nanoTime(), false);
    sw.unifiedCompleted(1_000, 4, clock.nanoTime(), true);

    assertThat(sw.legacyQueriesPerCall()).isEqualTo(11);
    assertThat(sw.unifiedQueriesPerCall()).isEqualTo(3);
    assertThat(sw.unifiedStats().statements()).isEqualTo(4);
    assertThat(sw.unifiedStats().calls()).isEqualTo(1);
    assertThat(sw.shadowStats().statements()).isEqualTo(2 + 13);
    assertThat(sw.shadowStats().calls()).isEqualTo(2);
  }

  @Test
  void keepsTheLast64CallsInTheWindow() throws Exception {
    Switch sw = enabled("percentage=100");

    for (int i = 0; i < 100; i++) {
      sw.legacyCompleted(Route.LEGACY, 1_000, 1000, clock.nanoTime(), false);
    }
    for (int i = 0; i < 64; i++) {
      sw.legacyCompleted(Route.LEGACY, 1_000, 10, clock.nanoTime(), false);
    }

    assertThat(sw.legacyQueriesPerCall()).isEqualTo(10);
  }

  @Test
  void countsAUnifiedCallAboveTripMaxQueriesAsFailed() throws Exception {
    Switch sw = enabled("percentage=100", "trip.max-queries=5");

    sw.unifiedCompleted(1_000, 5, clock.nanoTime(), true);
    sw.unifiedCompleted(1_000, 6, clock.nanoTime(), true);

    assertThat(sw.unifiedStats().errors()).isEqualTo(1);
    assertThat(sw.breaker().snapshot().failed()).isEqualTo(1);
  }

  private Switch enabled(String... lines) throws Exception {
    String[] all = new String[lines.length + 1];
    all[0] = "enabled=true";
    System.arraycopy(lines, 0, all, 1, lines.length);
    return create(all);
  }

  private Switch create(String... lines) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("switch.s.legacy", "com.example.Service#legacy");
    properties.setProperty("switch.s.unified", "com.example.Service#unified");
    for (String line : lines) {
      String[] pair = line.split("=", 2);
      properties.setProperty("switch.s." + pair[0], pair[1]);
    }
    SwitchConfig config = AgentConfig.parse(properties, "test.properties").switches().get(0);
    return new Switch(config, clock, new Events(events));
  }

  /** Writes what the switch reports as one line each. */
  private static final class Events implements SwitchListener {

    private final List<String> events;

    Events(List<String> events) {
      this.events = events;
    }

    @Override
    public void changed(Switch sw, String attribute, Object from, Object to, String cause) {}

    @Override
    public void stateChanged(Switch sw, SwitchState from, SwitchState to, String cause) {}

    @Override
    public void unifiedFirstRan(Switch sw, long nanos, long statements) {}

    @Override
    public void unifiedFailedFirst(Switch sw, Throwable failure, boolean fellBack) {}

    @Override
    public void mismatch(Switch sw, Object[] args, Object legacy, Object unified, long count) {}

    @Override
    public void repeatedStatements(Switch sw, String path, String shape, int times) {
      events.add(sw.name() + " " + path + " repeated " + times + ": " + shape);
    }

    @Override
    public void neverCalled(Switch sw, long enabledAtMillis) {
      events.add(sw.name() + " never called since " + enabledAtMillis);
    }
  }
}
