package io.pathswitch.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.config.AgentConfig;
import io.pathswitch.core.Bindings;
import io.pathswitch.core.Switch;
import io.pathswitch.core.SwitchListener;
import io.pathswitch.core.SwitchState;
import io.pathswitch.fixtures.ChildFirstLoader;
import io.pathswitch.time.FakeClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shadow and live modes on real instrumented classes: the caller sees one path only. */
class ComparisonTest {

  private static final String LEDGER = "io.pathswitch.fixtures.Ledger";
  private static final String ENGINE = "io.pathswitch.fixtures.LedgerEngine";
  private static final Class<?>[] TOTAL = {long.class, List.class};
  private static final Class<?>[] TRAILED = {String.class, List.class};

  private final FakeClock clock = new FakeClock();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private Installer installer;
  private Switch sw;

  @AfterEach
  void uninstall() {
    if (installer != null) {
      installer.uninstall();
    }
    if (sw != null) {
      sw.withdraw();
    }
  }

  @Test
  void shadowServesTheLegacyResultAndRunsTheUnifiedPathAfterItOnTheSameThread() throws Throwable {
    Object ledger = install("total", "mode=shadow");
    List<String> trail = new ArrayList<>();

    Object total = call(ledger, "total", TOTAL, 3L, trail);

    String thread = Thread.currentThread().getName();
    assertThat(total).isEqualTo(6L);
    assertThat(trail).containsExactly("legacy@" + thread, "unified@" + thread);
    assertThat(sw.legacyStats().calls()).isEqualTo(1);
    assertThat(sw.shadowStats().calls()).isEqualTo(1);
    assertThat(sw.unifiedStats().calls()).isZero();
    assertThat(sw.mismatches()).isZero();
  }

  @Test
  void shadowCountsAndLogsAMismatchWithTheArgumentsAndBothResults() throws Throwable {
    Object ledger = install("total", "mode=shadow");

    for (long id = 1; id <= 10; id++) {
      assertThat(call(ledger, "total", TOTAL, id, new ArrayList<>())).isEqualTo(id * 2);
    }

    assertThat(sw.mismatches()).isEqualTo(1);
    assertThat(events)
        .containsExactly("mismatch #1 args [7, [legacy@main, unified@main]] legacy 14 unified 15");
  }

  @Test
  void shadowKeepsWhatTheUnifiedPathThrowsFromTheCaller() throws Throwable {
    Object ledger = install("failingUnified", "mode=shadow", "fallback=false");
    List<String> trail = new ArrayList<>();

    Object result = call(ledger, "failingUnified", TRAILED, "a", trail);

    assertThat(result).isEqualTo("a");
    assertThat(trail).containsExactly("legacy", "unified");
    assertThat(sw.unifiedErrors()).isEqualTo(1);
    assertThat(sw.mismatches()).isEqualTo(1);
    assertThat(events)
        .containsExactly(
            "mismatch #1 args [a, [legacy, unified]] legacy a unified threw"
                + " java.lang.IllegalStateException: engine down");
  }

  @Test
  void shadowKeepsTheTimeOfTheUnifiedPathOutOfTheLegacyFigures() throws Throwable {
    Object ledger = install("slow", "mode=shadow");

    Object result = call(ledger, "slow", new Class<?>[] {String.class}, "a");

    assertThat(result).isEqualTo("a");
    assertThat(sw.legacyStats().totalNanos()).isLessThan(Duration.ofMillis(200).toNanos());
    assertThat(sw.shadowStats().totalNanos()).isGreaterThan(Duration.ofMillis(250).toNanos());
  }

  @Test
  void shadowRunsTheUnifiedPathEvenWhenTheLegacyPathThrowsAndTheCallerGetsTheLegacyFailure()
      throws Throwable {
    Object ledger = install("failingLegacy", "mode=shadow");
    List<String> trail = new ArrayList<>();

    Throwable thrown = failure(() -> call(ledger, "failingLegacy", TRAILED, "a", trail));

    assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessage("legacy cannot a");
    assertThat(trail).containsExactly("legacy", "unified");
    assertThat(sw.mismatches()).isEqualTo(1);
    assertThat(sw.shadowStats().calls()).isEqualTo(1);
  }

  @Test
  void comparesArraysByTheirContents() throws Throwable {
    Object ledger = install("series", "mode=shadow");

    Object series = call(ledger, "series", new Class<?>[] {int.class}, 5);

    assertThat(series).isEqualTo(new long[] {0, 1, 2, 3, 4});
    assertThat(sw.shadowStats().calls()).isEqualTo(1);
    assertThat(sw.mismatches()).isZero();
  }

  @Test
  void comparesWithTheConfiguredComparator() throws Throwable {
    Object ledger = install("name", "mode=shadow", "compare.with=" + ENGINE + "#sameIgnoringCase");

    Object name = call(ledger, "name", new Class<?>[] {String.class}, "Ada");

    assertThat(name).isEqualTo("ADA");
    assertThat(sw.shadowStats().calls()).isEqualTo(1);
    assertThat(sw.mismatches()).isZero();
  }

  @Test
  void countsAComparatorThatThrowsAsAMismatchAndLeavesTheCallerAlone() throws Throwable {
    Object ledger = install("name", "mode=shadow", "compare.with=" + ENGINE + "#explode");

    Object name = call(ledger, "name", new Class<?>[] {String.class}, "Ada");

    assertThat(name).isEqualTo("ADA");
    assertThat(sw.mismatches()).isEqualTo(1);
  }

  @Test
  void saysOnceThatAComparatorCannotBeFoundAndComparesNothing() throws Throwable {
    Object ledger = install("name", "mode=shadow", "compare.with=" + ENGINE + "#missing");

    Object first = call(ledger, "name", new Class<?>[] {String.class}, "Ada");
    call(ledger, "name", new Class<?>[] {String.class}, "Bo");

    assertThat(first).isEqualTo("ADA");
    assertThat(sw.mismatches()).isZero();
    assertThat(sw.unifiedErrors()).isZero();
    assertThat(sw.shadowStats().calls()).isEqualTo(2);
    assertThat(events)
        .singleElement()
        .asString()
        .startsWith("problem: compare.with = '" + ENGINE + "#missing' cannot be used:")
        .endsWith("; results are not compared");
  }

  @Test
  void divertsEvenWhenTheComparatorCannotBeFound() throws Throwable {
    Object ledger = install("name", "compare.with=" + ENGINE + "#missing");

    Object name = call(ledger, "name", new Class<?>[] {String.class}, "Ada");

    assertThat(name).isEqualTo("ada");
    assertThat(sw.unifiedStats().calls()).isEqualTo(1);
    assertThat(sw.unifiedErrors()).isZero();
  }

  @Test
  void keepsResultsWhoseEqualsAndToStringThrowFromTheCaller() throws Throwable {
    Object ledger = install("awkward", "mode=shadow");

    Object result = call(ledger, "awkward", new Class<?>[] {int.class}, 4);

    assertThat(result.getClass().getName()).isEqualTo(LEDGER + "$Awkward");
    assertThat(sw.mismatches()).isEqualTo(1);
    assertThat(events)
        .singleElement()
        .asString()
        .startsWith("problem: the shadow run of the unified path failed outside it:");
  }

  @Test
  void comparesOnTheConfiguredShareOfCalls() throws Throwable {
    Object ledger = install("total", "mode=shadow", "compare.ratio=25%");

    for (long id = 0; id < 2000; id++) {
      call(ledger, "total", TOTAL, id + 100, new ArrayList<>());
    }

    assertThat(sw.legacyStats().calls()).isEqualTo(2000);
    assertThat(sw.shadowStats().calls()).isBetween(400L, 600L);
  }

  @Test
  void liveServesTheUnifiedResultThenRunsTheLegacyPathAndCompares() throws Throwable {
    Object ledger = install("total", "mode=live");
    List<String> trail = new ArrayList<>();

    Object seven = call(ledger, "total", TOTAL, 7L, trail);

    String thread = Thread.currentThread().getName();
    assertThat(seven).isEqualTo(15L);
    assertThat(trail).containsExactly("unified@" + thread, "legacy@" + thread);
    assertThat(sw.unifiedStats().calls()).isEqualTo(1);
    assertThat(sw.shadowStats().calls()).isEqualTo(1);
    assertThat(sw.mismatches()).isEqualTo(1);
    assertThat(events).singleElement().asString().startsWith("mismatch #1 args [7, ");
  }

  @Test
  void liveKeepsWhatTheLegacyPathThrowsFromTheCaller() throws Throwable {
    Object ledger = install("failingLegacy", "mode=live");
    List<String> trail = new ArrayList<>();

    Object result = call(ledger, "failingLegacy", TRAILED, "a", trail);

    assertThat(result).isEqualTo("unified a");
    assertThat(trail).containsExactly("unified", "legacy");
    assertThat(sw.mismatches()).isEqualTo(1);
    assertThat(sw.shadowStats().errors()).isEqualTo(1);
    assertThat(events)
        .containsExactly(
            "mismatch #1 args [a, [unified, legacy]] legacy threw"
                + " java.lang.IllegalArgumentException: legacy cannot a unified unified a");
  }

  @Test
  void shadowFailuresTripTheSwitchLikeAnyUnifiedCall() throws Throwable {
    Object ledger = install("failingUnified", "mode=shadow", "trip.min-calls=5", "trip.window=5");

    for (int i = 0; i < 8; i++) {
      assertThat(call(ledger, "failingUnified", TRAILED, "a", new ArrayList<>())).isEqualTo("a");
    }

    assertThat(sw.state()).isEqualTo(SwitchState.TRIPPED);
    assertThat(sw.unifiedErrors()).isEqualTo(5);
    assertThat(sw.legacyStats().calls()).isEqualTo(8);
  }

  @Test
  void liveFailuresTripTheSwitchLikeAnyUnifiedCall() throws Throwable {
    Object ledger = install("failingUnified", "mode=live", "trip.min-calls=5", "trip.window=5");

    for (int i = 0; i < 8; i++) {
      assertThat(call(ledger, "failingUnified", TRAILED, "a", new ArrayList<>())).isEqualTo("a");
    }

    assertThat(sw.state()).isEqualTo(SwitchState.TRIPPED);
    assertThat(sw.unifiedErrors()).isEqualTo(5);
    assertThat(sw.fallbackStats().calls()).isEqualTo(5);
    assertThat(sw.legacyStats().calls()).isEqualTo(3);
  }

  @Test
  void probesInShadowModeWithASampledShareAreNeverLost() throws Throwable {
    Object ledger =
        install(
            "flaky",
            "mode=shadow",
            "compare.ratio=50%",
            "trip.min-calls=5",
            "trip.window=5",
            "trip.cool-down=10s",
            "trip.probes=3");
    AtomicBoolean broken = new AtomicBoolean(true);
    Class<?>[] types = {String.class, AtomicBoolean.class};
    for (int i = 0; i < 60 && sw.state() != SwitchState.TRIPPED; i++) {
      call(ledger, "flaky", types, "a", broken);
    }
    SwitchState tripped = sw.state();

    broken.set(false);
    clock.advance(Duration.ofSeconds(11));
    for (int i = 0; i < 60; i++) {
      call(ledger, "flaky", types, "a", broken);
    }

    assertThat(tripped).isEqualTo(SwitchState.TRIPPED);
    assertThat(sw.state()).as(sw.stateReason()).isEqualTo(SwitchState.ON);
  }

  private Object install(String method, String... lines) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("switch.s.enabled", "true");
    properties.setProperty("switch.s.legacy", LEDGER + "#" + method);
    properties.setProperty("switch.s.unified", ENGINE + "#" + method);
    properties.setProperty("switch.s.trip.min-calls", "100");
    for (String line : lines) {
      String[] pair = line.split("=", 2);
      properties.setProperty("switch.s." + pair[0], pair[1]);
    }
    AgentConfig config = AgentConfig.parse(properties, "test.properties");
    sw = new Switch(config.switches().get(0), clock, new Recorder(events));
    installer = new Installer(TestInstrumentation.get(), new Bindings());
    installer.install(List.of(sw));
    Class<?> type = Class.forName(LEDGER, true, new ChildFirstLoader());
    return type.getConstructor().newInstance();
  }

  private static Object call(Object target, String name, Class<?>[] types, Object... args)
      throws Throwable {
    Method method = target.getClass().getMethod(name, types);
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static Throwable failure(Call call) {
    try {
      call.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected the call to throw");
  }

  @FunctionalInterface
  private interface Call {
    void run() throws Throwable;
  }

  /** Writes mismatches as the operator's log would show them, which reads both results. */
  private static final class Recorder implements SwitchListener {
    private final List<String> events;

    Recorder(List<String> events) {
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
    public void mismatch(Switch sw, Object[] args, Object legacy, Object unified, long count) {
      events.add(
          "mismatch #"
              + count
              + " args "
              + Arrays.deepToString(args)
              + " legacy "
              + legacy
              + " unified "
              + unified);
    }

    @Override
    public void agentProblem(Switch sw, String problem) {
      events.add("problem: " + problem);
    }
  }
}
