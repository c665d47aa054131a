package io.pathswitch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentConfigTest {

  private static final String SOURCE = "pathswitch.properties";
  private static final String LEGACY = "switch.dashboard.legacy=com.example.Dashboard#build";
  private static final String UNIFIED = "switch.dashboard.unified=com.example.Engine#build";

  @TempDir Path directory;

  @Test
  void readsSwitchWithEveryDefault() throws ConfigException {
    AgentConfig config = parse(LEGACY, UNIFIED);

    SwitchConfig dashboard = config.switchNamed("dashboard").orElseThrow();
    assertThat(dashboard.name()).isEqualTo("dashboard");
    assertThat(dashboard.legacy()).isEqualTo(MethodRef.parse("com.example.Dashboard#build"));
    assertThat(dashboard.unified()).isEqualTo(MethodRef.parse("com.example.Engine#build"));
    assertThat(dashboard.enabled()).isFalse();
    assertThat(dashboard.percentage()).isEqualTo(100);
    assertThat(dashboard.keyArgument()).isEmpty();
    assertThat(dashboard.include()).isEmpty();
    assertThat(dashboard.exclude()).isEmpty();
    assertThat(dashboard.mode()).isEqualTo(Mode.DIVERT);
    assertThat(dashboard.compareRatio()).isEqualTo(1);
    assertThat(dashboard.compareWith()).isEmpty();
    assertThat(dashboard.fallback()).isTrue();
    assertThat(dashboard.tripLatency()).isEqualTo(Duration.ofSeconds(2));
    assertThat(dashboard.tripSlowRate()).isEqualTo(0.5);
    assertThat(dashboard.tripErrorRate()).isEqualTo(0.01);
    assertThat(dashboard.tripMaxQueries()).isEmpty();
    assertThat(dashboard.tripWindow()).isEqualTo(100);
    assertThat(dashboard.tripMinCalls()).isEqualTo(20);
    assertThat(dashboard.tripCoolDown()).isEqualTo(Duration.ofSeconds(60));
    assertThat(dashboard.tripProbes()).isEqualTo(5);
    assertThat(dashboard.healthLatency()).isEqualTo(Duration.ofMillis(500));
    assertThat(dashboard.healthErrorRate()).isEqualTo(0.001);
    assertThat(dashboard.healthQueryReduction()).isEmpty();
    assertThat(dashboard.rollout()).isEmpty();
  }

  @Test
  void readsAgentWideDefaults() throws ConfigException {
    AgentConfig config = parse();

    assertThat(config.source()).isEqualTo(SOURCE);
    assertThat(config.stateFile()).isEmpty();
    assertThat(config.guardMaxHeapBytes()).isEmpty();
    assertThat(config.jdbcCount()).isTrue();
    assertThat(config.jdbcRepeatWarning()).isEqualTo(10);
    assertThat(config.logLevel()).isEqualTo("info");
    assertThat(config.switches()).isEmpty();
  }

  @Test
  void readsEverySwitchKey() throws ConfigException {
    AgentConfig config =
        parse(
            LEGACY,
            UNIFIED,
            "switch.dashboard.enabled=TRUE",
            "switch.dashboard.percentage=5%",
            "switch.dashboard.key=arg1",
            "switch.dashboard.include= tenant-1, ,tenant-2 ,",
            "switch.dashboard.exclude=tenant-3",
            "switch.dashboard.mode=shadow",
            "switch.dashboard.compare.ratio=10%",
            "switch.dashboard.compare.with=com.example.Compare#same",
            "switch.dashboard.fallback=false",
            "switch.dashboard.trip.latency=800ms",
            "switch.dashboard.trip.slow-rate=0.25",
            "switch.dashboard.trip.error-rate=5%",
            "switch.dashboard.trip.max-queries=0",
            "switch.dashboard.trip.window=50",
            "switch.dashboard.trip.min-calls=50",
            "switch.dashboard.trip.cool-down=0",
            "switch.dashboard.trip.probes=1",
            "switch.dashboard.health.latency=1s",
            "switch.dashboard.health.error-rate=1%",
            "switch.dashboard.health.query-reduction=90%");

    SwitchConfig dashboard = config.switches().get(0);
    assertThat(dashboard.enabled()).isTrue();
    assertThat(dashboard.percentage()).isEqualTo(5);
    assertThat(dashboard.keyArgument()).hasValue(1);
    assertThat(dashboard.include()).containsExactly("tenant-1", "tenant-2");
    assertThat(dashboard.exclude()).containsExactly("tenant-3");
    assertThat(dashboard.mode()).isEqualTo(Mode.SHADOW);
    assertThat(dashboard.compareRatio()).isEqualTo(0.1);
    assertThat(dashboard.compareWith()).contains(MethodRef.parse("com.example.Compare#same"));
    assertThat(dashboard.fallback()).isFalse();
    assertThat(dashboard.tripLatency()).isEqualTo(Duration.ofMillis(800));
    assertThat(dashboard.tripSlowRate()).isEqualTo(0.25);
    assertThat(dashboard.tripErrorRate()).isEqualTo(0.05);
    assertThat(dashboard.tripMaxQueries()).hasValue(0);
    assertThat(dashboard.tripWindow()).isEqualTo(50);
    assertThat(dashboard.tripMinCalls()).isEqualTo(50);
    assertThat(dashboard.tripCoolDown()).isZero();
    assertThat(dashboard.tripProbes()).isEqualTo(1);
    assertThat(dashboard.healthLatency()).isEqualTo(Duration.ofSeconds(1));
    assertThat(dashboard.healthErrorRate()).isEqualTo(0.01);
    assertThat(dashboard.healthQueryReduction()).hasValue(0.9);
  }

  @Test
  void readsEveryAgentWideKey() throws ConfigException {
    AgentConfig config =
        parse(
            "state.file=/var/lib/pathswitch/state.properties",
            "guard.max-heap=2g",
            "jdbc.count=false",
            "jdbc.repeat-warning=2",
            "log.level=DEBUG");

    assertThat(config.stateFile()).contains(Path.of("/var/lib/pathswitch/state.properties"));
    assertThat(config.guardMaxHeapBytes()).hasValue(2L << 30);
    assertThat(config.jdbcCount()).isFalse();
    assertThat(config.jdbcRepeatWarning()).isEqualTo(2);
    assertThat(config.logLevel()).isEqualTo("debug");
  }

  @Test
  void takesStartingPercentageFromRolloutsFirstStep() throws ConfigException {
    AgentConfig config =
        parse(LEGACY, UNIFIED, "switch.dashboard.rollout=5% for 1h, 25% for 2h, 100%");

    SwitchConfig dashboard = config.switches().get(0);
    assertThat(dashboard.percentage()).isEqualTo(5);
    assertThat(dashboard.rollout())
        .containsExactly(
            new RolloutStep(5, Optional.of(Duration.ofHours(1))),
            new RolloutStep(25, Optional.of(Duration.ofHours(2))),
            new RolloutStep(100, Optional.empty()));
  }

  @Test
  void lowersMinCallsDefaultToSmallerWindow() throws ConfigException {
    AgentConfig config = parse(LEGACY, UNIFIED, "switch.dashboard.trip.window=10");

    assertThat(config.switches().get(0).tripMinCalls()).isEqualTo(10);
  }

  @Test
  void treatsEmptyOptionalValueAsNotGiven() throws ConfigException {
    AgentConfig config =
        parse(LEGACY, UNIFIED, "switch.dashboard.percentage=", "log.level=  ", "jdbc.count=");

    assertThat(config.switches().get(0).percentage()).isEqualTo(100);
    assertThat(config.logLevel()).isEqualTo("info");
    assertThat(config.jdbcCount()).isTrue();
  }

  @Test
  void stripsValues() throws ConfigException {
    AgentConfig config = parse(LEGACY + "  ", UNIFIED + "\\t", "switch.dashboard.mode=live \\t");

    assertThat(config.switches().get(0).legacy().toString())
        .isEqualTo("com.example.Dashboard#build");
    assertThat(config.switches().get(0).mode()).isEqualTo(Mode.LIVE);
  }

  @Test
  void listsSwitchesSortedByName() throws ConfigException {
    AgentConfig config =
        parse(
            "switch.zeta.legacy=a.B#c",
            "switch.zeta.unified=a.B#d",
            "switch.alpha-2.legacy=a.B#c",
            "switch.alpha-2.unified=a.B#d",
            "switch.0.legacy=a.B#c",
            "switch.0.unified=a.B#d");

    assertThat(config.switches())
        .extracting(SwitchConfig::name)
        .containsExactly("0", "alpha-2", "zeta");
    assertThat(config.switchNamed("alpha-2")).isPresent();
    assertThat(config.switchNamed("beta")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "enabled | yes | expected true or false",
        "percentage | 150 | expected a percentage from 0 to 100",
        "percentage | -5 | expected a percentage from 0 to 100",
        "key | 1 | expected argN, the position N from 0 to 254 of the argument",
        "mode | canary | expected divert, shadow or live",
        "compare.ratio | 50 | expected a share such as 1%, 0.1% or 50%, or a fraction from 0 to 1",
        "compare.with | equals | expected a method such as pkg.Class#method or"
            + " pkg.Class#method(long,java.lang.String); write one '#' between the class and the"
            + " method",
        "fallback | no | expected true or false",
        "trip.latency | 0 | expected a duration above 0, such as 500ms, 2s or 1h30m",
        "trip.latency | 2000 | expected a duration above 0, such as 500ms, 2s or 1h30m",
        "trip.slow-rate | 101% | expected a share such as 1%, 0.1% or 50%, or a fraction from 0 to"
            + " 1",
        "trip.error-rate | 1.5 | expected a share such as 1%, 0.1% or 50%, or a fraction from 0 to"
            + " 1",
        "trip.max-queries | -1 | expected a whole number of at least 0",
        "trip.window | 0 | expected a whole number from 1 to 100000",
        "trip.window | 100001 | expected a whole number from 1 to 100000",
        "trip.min-calls | 0 | expected a whole number from 1 to 100, the trip.window",
        "trip.min-calls | 101 | expected a whole number from 1 to 100, the trip.window",
        "trip.cool-down | 60 | expected a duration such as 500ms, 2s, 5m, 1h, 1d or 1h30m",
        "trip.probes | 0 | expected a whole number of at least 1",
        "trip.probes | five | expected a whole number of at least 1",
        "health.latency | 0ms | expected a duration above 0, such as 500ms, 2s or 1h30m",
        "health.error-rate | 2 | expected a share such as 1%, 0.1% or 50%, or a fraction from 0 to"
            + " 1",
        "health.query-reduction | 90 | expected a share such as 1%, 0.1% or 50%, or a fraction"
            + " from 0 to 1",
        "rollout | 5% for 1h, 100% for 1h | expected no duration in the last step ('100% for 1h');"
            + " the rollout stays there"
      })
  void rejectsBadSwitchValue(String key, String value, String expected) {
    List<String> problems = problems(LEGACY, UNIFIED, "switch.dashboard." + key + "=" + value);

    assertThat(problems)
        .containsExactly(SOURCE + ": switch.dashboard." + key + " = '" + value + "': " + expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "guard.max-heap | 90% | expected a size in bytes above 0, such as 512m, 2g, 1024k or"
            + " 123456",
        "jdbc.count | 1 | expected true or false",
        "jdbc.repeat-warning | 1 | expected a whole number of at least 2",
        "log.level | verbose | expected one of error, warn, info, debug, trace",
        "state.file | a\\u0000b | expected a file path"
      })
  void rejectsBadAgentWideValue(String key, String value, String expected) {
    List<ConfigProblem> problems = problemsOf(key + "=" + value);

    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).key()).isEqualTo(key);
    assertThat(problems.get(0).expected()).isEqualTo(expected);
  }

  @Test
  void rejectsPercentageAboveHundred() {
    List<String> problems = problems(LEGACY, UNIFIED, "switch.dashboard.percentage=150");

    assertThat(problems)
        .containsExactly(
            "pathswitch.properties: switch.dashboard.percentage = '150': expected a percentage"
                + " from 0 to 100");
  }

  @Test
  void rejectsMinCallsAboveGivenWindow() {
    List<String> problems =
        problems(
            LEGACY,
            UNIFIED,
            "switch.dashboard.trip.window=10",
            "switch.dashboard.trip.min-calls=20");

    assertThat(problems)
        .containsExactly(
            SOURCE
                + ": switch.dashboard.trip.min-calls = '20': expected a whole number from 1 to 10,"
                + " the trip.window");
  }

  @Test
  void rejectsPercentageAndRolloutTogether() {
    List<String> problems =
        problems(
            LEGACY,
            UNIFIED,
            "switch.dashboard.percentage=5",
            "switch.dashboard.rollout=5% for 1h, 100%");

    assertThat(problems)
        .containsExactly(
            SOURCE
                + ": switch.dashboard.percentage = '5': expected either percentage or rollout, not"
                + " both: the rollout's first step sets the starting percentage");
  }

  @Test
  void rejectsKeysBothIncludedAndExcluded() {
    List<String> problems =
        problems(
            LEGACY,
            UNIFIED,
            "switch.dashboard.include=a, b, c",
            "switch.dashboard.exclude=c, d, a");

    assertThat(problems)
        .containsExactly(
            SOURCE
                + ": switch.dashboard.exclude = 'c, d, a': expected keys not also in include, but"
                + " c, a are in both");
  }

  @Test
  void rejectsOneKeyBothIncludedAndExcluded() {
    List<String> problems =
        problems(LEGACY, UNIFIED, "switch.dashboard.include=a", "switch.dashboard.exclude=a");

    assertThat(problems)
        .containsExactly(
            SOURCE
                + ": switch.dashboard.exclude = 'a': expected keys not also in include, but a is in"
                + " both");
  }

  @Test
  void rejectsSwitchWithoutLegacyOrUnified() {
    List<String> problems = problems("switch.dashboard.enabled=true");

    assertThat(problems)
        .containsExactly(
            SOURCE
                + ": switch.dashboard.legacy is missing: expected the method whose calls are"
                + " diverted, such as pkg.Class#method or pkg.Class#method(long,java.lang.String)",
            SOURCE
                + ": switch.dashboard.unified is missing: expected the method calls are diverted"
                + " to, such as pkg.Class#method or pkg.Class#method(long,java.lang.String)");
  }

  @Test
  void treatsEmptyRequiredValueAsMissing() {
    List<ConfigProblem> problems = problemsOf(LEGACY, "switch.dashboard.unified=  ");

    assertThat(problems)
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.key()).isEqualTo("switch.dashboard.unified");
              assertThat(problem.value()).isNull();
            });
  }

  @Test
  void rejectsBadLegacyMethod() {
    List<String> problems = problems("switch.dashboard.legacy=Dashboard.build", UNIFIED);

    assertThat(problems)
        .containsExactly(
            SOURCE
                + ": switch.dashboard.legacy = 'Dashboard.build': expected a method such as"
                + " pkg.Class#method or pkg.Class#method(long,java.lang.String); write one '#'"
                + " between the class and the method");
  }

  @Test
  void suggestsNearestKeyForMisspelledSwitchKey() {
    List<String> problems = problems(LEGACY, UNIFIED, "switch.dashboard.percentag=5");

    assertThat(problems)
        .containsExactly(
            SOURCE
                + ": switch.dashboard.percentag = '5': unknown key; did you mean"
                + " switch.dashboard.percentage?");
  }

  @ParameterizedTest
  @CsvSource({
    "switch.dashboard.trip.latncy, switch.dashboard.trip.latency",
    "switch.dashboard.Enabled, switch.dashboard.enabled",
    "switch.dashboard.trip_window, switch.dashboard.trip.window",
    "switch.dashboard.rollouts, switch.dashboard.rollout",
    "swich.dashboard.legacy, switch.dashboard.legacy",
    "switches.dashboard.enabled, switch.dashboard.enabled",
    "log-level, log.level",
    "jdbc.counts, jdbc.count",
    "state.files, state.file"
  })
  void suggestsNearestKnownKey(String key, String suggestion) {
    List<ConfigProblem> problems = problemsOf(LEGACY, UNIFIED, key + "=x");

    assertThat(problems)
        .extracting(ConfigProblem::expected)
        .containsExactly("unknown key; did you mean " + suggestion + "?");
  }

  @Test
  void listsSwitchKeysWhenNoneIsNear() {
    List<String> problems = problems(LEGACY, UNIFIED, "switch.dashboard.colour=blue");

    assertThat(problems)
        .containsExactly(
            SOURCE
                + ": switch.dashboard.colour = 'blue': unknown key; expected switch.<name>.<key>"
                + " with <key> one of legacy, unified, enabled, percentage, key, include, exclude,"
                + " mode, compare.ratio, compare.with, fallback, trip.latency, trip.slow-rate,"
                + " trip.error-rate, trip.max-queries, trip.window, trip.min-calls, trip.cool-down,"
                + " trip.probes, health.latency, health.error-rate, health.query-reduction,"
                + " rollout");
  }

  @Test
  void rejectsUnknownTopLevelKey() {
    List<String> problems = problems("server.port=8080");

    assertThat(problems)
        .containsExactly(
            SOURCE
                + ": server.port = '8080': unknown key; expected switch.<name>.<key> or one of"
                + " state.file, guard.max-heap, jdbc.count, jdbc.repeat-warning, log.level");
  }

  @Test
  void rejectsLineWithoutKey() {
    List<String> problems = problems("=5", LEGACY, UNIFIED);

    assertThat(problems)
        .containsExactly(SOURCE + ": (no key) = '5': expected a key before the '=' or ':'");
  }

  @Test
  void rejectsSwitchKeyWithoutName() {
    List<String> problems = problems("switch.dashboard=on");

    assertThat(problems)
        .containsExactly(
            SOURCE
                + ": switch.dashboard = 'on': unknown key; expected switch.<name>.<key>, such as"
                + " switch.dashboard.legacy");
  }

  @Test
  void reportsInvalidSwitchNameOnceAtItsFirstKey() {
    List<String> problems =
        problems(
            "switch.Dash_Board.legacy=a.B#c",
            "switch.Dash_Board.unified=a.B#d",
            "switch.Dash_Board.enabled=true");

    assertThat(problems)
        .containsExactly(
            SOURCE
                + ": switch.Dash_Board.enabled = 'true': expected a switch name of lower-case"
                + " letters, digits and dashes, such as dash-board");
  }

  @Test
  void suggestsExampleNameWhenInvalidNameHasNothingToKeep() {
    List<ConfigProblem> problems = problemsOf("switch.__.legacy=a.B#c", "switch..legacy=a.B#c");

    assertThat(problems)
        .extracting(ConfigProblem::key, ConfigProblem::expected)
        .containsExactly(
            tuple(
                "switch..legacy",
                "expected a switch name of lower-case letters, digits and dashes, such as"
                    + " dashboard"),
            tuple(
                "switch.__.legacy",
                "expected a switch name of lower-case letters, digits and dashes, such as"
                    + " dashboard"));
  }

  @Test
  void reportsOnlyUnknownKeysForSwitchWithNoKnownKey() {
    List<ConfigProblem> problems = problemsOf("switch.dashbaord.percentag=5");

    assertThat(problems)
        .extracting(ConfigProblem::key)
        .containsExactly("switch.dashbaord.percentag");
  }

  @Test
  void collectsEveryProblemSortedByKey() {
    ConfigException exception =
        failure(
            "switch.b.legacy=a.B#c",
            "switch.b.unified=a.B#d",
            "switch.b.mode=fast",
            "switch.a.enabled=maybe",
            "log.level=loud",
            "switch.a.percentag=5");

    assertThat(exception.problems())
        .extracting(ConfigProblem::key)
        .containsExactly(
            "log.level",
            "switch.a.enabled",
            "switch.a.legacy",
            "switch.a.percentag",
            "switch.a.unified",
            "switch.b.mode");
    assertThat(exception.getMessage())
        .startsWith("6 problems in pathswitch.properties; nothing installed\n")
        .contains(
            "\npathswitch.properties: switch.b.mode = 'fast': expected divert, shadow or live")
        .hasLineCount(7);
  }

  @Test
  void saysOneProblemInSingular() {
    ConfigException exception = failure("log.level=loud");

    assertThat(exception.getMessage())
        .isEqualTo(
            "1 problem in pathswitch.properties; nothing installed\n"
                + "pathswitch.properties: log.level = 'loud': expected one of error, warn, info,"
                + " debug, trace");
  }

  @Test
  void carriesNoStackTrace() {
    ConfigException exception = failure("log.level=loud");

    assertThat(exception.getStackTrace()).isEmpty();
    assertThat(exception.getCause()).isNull();
  }

  @Test
  void loadsUtf8FileAndNamesItAsSource() throws Exception {
    Path file = write("pathswitch.properties", "# é\n" + LEGACY + "\n" + UNIFIED + "\n");

    AgentConfig config = AgentConfig.load(file);

    assertThat(config.source()).isEqualTo(file.toString());
    assertThat(config.switches()).hasSize(1);
  }

  @Test
  void namesFileInEveryProblem() throws IOException {
    Path file = write("bad.properties", "log.level=loud\n");

    ConfigException exception =
        catchThrowableOfType(ConfigException.class, () -> AgentConfig.load(file));

    assertThat(exception.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            file + ": log.level = 'loud': expected one of error, warn, info, debug, trace");
  }

  @Test
  void readsUnicodeValuesAndIgnoresByteOrderMark() throws Exception {
    Path file =
        write(
            "bom.properties",
            "\uFEFF" + LEGACY + "\n" + UNIFIED + "\nswitch.dashboard.include=zoë\n");

    AgentConfig config = AgentConfig.load(file);

    assertThat(config.switches().get(0).include()).containsExactly("zoë");
  }

  @Test
  void rejectsKeyGivenMoreThanOnceInFile() throws IOException {
    Path file =
        write(
            "twice.properties",
            String.join(
                "\n",
                LEGACY,
                UNIFIED,
                "switch.dashboard.percentage=5",
                "switch.dashboard.percentage = 10 ",
                "switch.dashboard.percentage=25"));

    ConfigException exception =
        catchThrowableOfType(ConfigException.class, () -> AgentConfig.load(file));

    assertThat(exception.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            file
                + ": switch.dashboard.percentage = '25': expected each key once, but it is also"
                + " given as '5' and '10'");
  }

  @Test
  void resolvesRelativeStateFileAgainstConfigDirectory() throws Exception {
    Path file = write("pathswitch.properties", "state.file=state/pathswitch.state\n");

    AgentConfig config = AgentConfig.load(file);

    assertThat(config.stateFile())
        .contains(directory.toAbsolutePath().resolve("state/pathswitch.state"));
  }

  @Test
  void keepsRelativeStateFileRelativeWhenParsingProperties() throws ConfigException {
    AgentConfig config = parse("state.file=state/pathswitch.state");

    assertThat(config.stateFile()).contains(Path.of("state/pathswitch.state"));
  }

  @Test
  void reportsMissingFile() {
    Path file = directory.resolve("absent.properties");

    ConfigException exception =
        catchThrowableOfType(ConfigException.class, () -> AgentConfig.load(file));

    assertThat(exception.getMessage())
        .isEqualTo(
            "1 problem in "
                + file
                + "; nothing installed\n"
                + file
                + ": cannot read the file: no such file");
    assertThat(exception.problems().get(0).key()).isEmpty();
  }

  @Test
  void reportsDirectoryGivenAsFile() {
    ConfigException exception =
        catchThrowableOfType(ConfigException.class, () -> AgentConfig.load(directory));

    assertThat(exception.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(directory + ": cannot read the file: it is a directory");
  }

  @Test
  void reportsFileThatIsNotUtf8() throws IOException {
    Path file = directory.resolve("latin1.properties");
    Files.write(file, "log.level=d\u00e9bug\n".getBytes(StandardCharsets.ISO_8859_1));

    ConfigException exception =
        catchThrowableOfType(ConfigException.class, () -> AgentConfig.load(file));

    assertThat(exception.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(file + ": cannot read the file: it is not UTF-8 text");
  }

  @Test
  void reportsMalformedUnicodeEscape() throws IOException {
    Path file = write("escape.properties", "log.level=\\u12\n");

    ConfigException exception =
        catchThrowableOfType(ConfigException.class, () -> AgentConfig.load(file));

    assertThat(exception.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(file + ": cannot read the file: it has a malformed \\uXXXX escape");
  }

  @Test
  void escapesControlCharactersSoEachProblemStaysOneLine() {
    ConfigProblem problem =
        new ConfigProblem(SOURCE, "log.level", "a\nb\tc\u0001", "expected one of error");

    String line = problem.toString();

    assertThat(line)
        .isEqualTo(SOURCE + ": log.level = 'a\\nb\\tc\\u0001': expected one of error")
        .doesNotContain("\n");
  }

  @Test
  void escapesValueQuotedInWhatWasExpected() {
    List<String> problems = problems(LEGACY, "switch.dashboard.unified=a.B#c\\nd");

    assertThat(problems)
        .containsExactly(
            SOURCE
                + ": switch.dashboard.unified = 'a.B#c\\nd': expected a method such as"
                + " pkg.Class#method or pkg.Class#method(long,java.lang.String); 'c\\nd' is not a"
                + " method name");
  }

  @Test
  void keepsSwitchListImmutable() throws ConfigException {
    AgentConfig config = parse(LEGACY, UNIFIED);

    assertThatThrownBy(() -> config.switches().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.switches().get(0).include().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(directory.resolve(name), text, StandardCharsets.UTF_8);
  }

  static Properties properties(String... lines) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(String.join("\n", lines)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  private static AgentConfig parse(String... lines) throws ConfigException {
    return AgentConfig.parse(properties(lines), SOURCE);
  }

  private static ConfigException failure(String... lines) {
    return catchThrowableOfType(ConfigException.class, () -> parse(lines));
  }

  private static List<ConfigProblem> problemsOf(String... lines) {
    ConfigException exception = failure(lines);
    assertThat(exception).as("ConfigException").isNotNull();
    return exception.problems();
  }

  private static List<String> problems(String... lines) {
    return problemsOf(lines).stream().map(ConfigProblem::toString).toList();
  }
}
