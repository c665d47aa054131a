package io.pathswitch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "25, 25",
    "25%, 25",
    "12.5, 12.5",
    "12.5 %, 12.5",
    "' 100 ', 100",
    "100%, 100"
  })
  void readsPercentages(String text, double expected) {
    double percentage = Values.percentage(text);

    assertThat(percentage).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"100.01", "150", "-1", "", "abc", "1e2", "NaN", "25%%", ".5", "5."})
  void rejectsPercentagesOutsideZeroToHundred(String text) {
    assertThatThrownBy(() -> Values.percentage(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected a percentage from 0 to 100");
  }

  @ParameterizedTest
  @CsvSource({
    "1%, 0.01",
    "0.1%, 0.001",
    "50%, 0.5",
    "100%, 1",
    "0%, 0",
    "0.05, 0.05",
    "0, 0",
    "1, 1"
  })
  void readsSharesAsPercentagesOrFractions(String text, double expected) {
    double share = Values.share(text);

    assertThat(share).isCloseTo(expected, offset(1e-12));
  }

  @ParameterizedTest
  @ValueSource(strings = {"50", "1.01", "100.1%", "-0.1", "", "half", "5 percent"})
  void rejectsSharesAboveOneOrUnreadable(String text) {
    assertThatThrownBy(() -> Values.share(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected a share such as 1%, 0.1% or 50%, or a fraction from 0 to 1");
  }

  @ParameterizedTest
  @CsvSource({
    "0, PT0S",
    "0ms, PT0S",
    "500ms, PT0.5S",
    "2s, PT2S",
    "5m, PT5M",
    "1h, PT1H",
    "1d, PT24H",
    "1h30m, PT1H30M",
    "1d2h3m4s5ms, PT26H3M4.005S",
    "' 90s ', PT1M30S"
  })
  void readsDurationsWithUnits(String text, Duration expected) {
    Duration duration = Values.duration(text);

    assertThat(duration).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "500",
        "2",
        "",
        "2 s",
        "2S",
        "1.5s",
        "-1s",
        "30m1h",
        "1h1h",
        "2sec",
        "ms",
        "99999999999999999999d"
      })
  void rejectsBareNumbersAndUnknownDurations(String text) {
    assertThatThrownBy(() -> Values.duration(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected a duration such as 500ms, 2s, 5m, 1h, 1d or 1h30m");
  }

  @Test
  void rejectsDurationTooLongForJava() {
    assertThatThrownBy(() -> Values.duration("999999999999999999d"))
        .hasMessage("expected a duration such as 500ms, 2s, 5m, 1h, 1d or 1h30m");
  }

  @Test
  void rejectsZeroWherePositiveDurationIsExpected() {
    assertThatThrownBy(() -> Values.positiveDuration("0s"))
        .hasMessage("expected a duration above 0, such as 500ms, 2s or 1h30m");
  }

  @ParameterizedTest
  @CsvSource({"divert, DIVERT", "SHADOW, SHADOW", "' Live ', LIVE"})
  void readsModesInAnyCase(String text, Mode expected) {
    Mode mode = Values.mode(text);

    assertThat(mode).isEqualTo(expected);
  }

  @Test
  void rejectsUnknownMode() {
    assertThatThrownBy(() -> Values.mode("canary"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected divert, shadow or live");
  }

  @ParameterizedTest
  @CsvSource({"true, true", "TRUE, true", "False, false", "' false ', false"})
  void readsBooleansInAnyCase(String text, boolean expected) {
    boolean value = Values.bool(text);

    assertThat(value).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "no", "on", "1", "0", "", "t"})
  void rejectsBooleanWordsOtherThanTrueAndFalse(String text) {
    assertThatThrownBy(() -> Values.bool(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected true or false");
  }

  @ParameterizedTest
  @CsvSource({
    "123456, 123456",
    "1024k, 1048576",
    "512m, 536870912",
    "512M, 536870912",
    "2g, 2147483648",
    "1t, 1099511627776"
  })
  void readsSizesWithJvmSuffixes(String text, long expected) {
    long bytes = Values.bytes(text);

    assertThat(bytes).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0m", "90%", "2gb", "-1", "", "1.5g", "9999999999t", "2 g"})
  void rejectsSizesThatAreNotPositiveBytes(String text) {
    assertThatThrownBy(() -> Values.bytes(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected a size in bytes above 0, such as 512m, 2g, 1024k or 123456");
  }

  @Test
  void readsRolloutSteps() {
    List<RolloutStep> steps = Values.rollout("5% for 1h, 25% for 2h, 50% for 4h, 75% for 6h, 100%");

    assertThat(steps)
        .containsExactly(
            new RolloutStep(5, Optional.of(Duration.ofHours(1))),
            new RolloutStep(25, Optional.of(Duration.ofHours(2))),
            new RolloutStep(50, Optional.of(Duration.ofHours(4))),
            new RolloutStep(75, Optional.of(Duration.ofHours(6))),
            new RolloutStep(100, Optional.empty()));
  }

  @Test
  void readsSingleStepRollout() {
    List<RolloutStep> steps = Values.rollout(" 40 ");

    assertThat(steps).containsExactly(new RolloutStep(40, Optional.empty()));
  }

  @Test
  void readsRolloutWithEqualStepsAndCompoundDurations() {
    List<RolloutStep> steps = Values.rollout("10% FOR 1h30m,10% for 30s,20%");

    assertThat(steps).extracting(RolloutStep::percentage).containsExactly(10.0, 10.0, 20.0);
    assertThat(steps.get(0).duration()).contains(Duration.ofMinutes(90));
  }

  @Test
  void rejectsRolloutWhosePercentagesGoDown() {
    assertThatThrownBy(() -> Values.rollout("5% for 1h, 25% for 1h, 20% for 1h, 100%"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "expected percentages that never go down, but step 3 (20%) is below step 2 (25%)");
  }

  @Test
  void rejectsRolloutWhoseLastStepHasDuration() {
    assertThatThrownBy(() -> Values.rollout("5% for 1h, 100% for 1h"))
        .hasMessage(
            "expected no duration in the last step ('100% for 1h'); the rollout stays there");
  }

  @Test
  void rejectsRolloutWhoseEarlierStepLacksDuration() {
    assertThatThrownBy(() -> Values.rollout("5% for 1h, 25%, 100%"))
        .hasMessage(
            "expected 'for <duration>' in step 2 ('25%'); every step but the last says how long"
                + " it lasts");
  }

  @Test
  void rejectsRolloutStepWithBadPercentage() {
    assertThatThrownBy(() -> Values.rollout("5% for 1h, lots for 2h, 100%"))
        .hasMessage("expected a percentage from 0 to 100 at the start of step 2 ('lots for 2h')");
  }

  @ParameterizedTest
  @ValueSource(strings = {"25% for 2x", "25% for", "25% for 0", "25% for 2"})
  void rejectsRolloutStepWithBadDuration(String step) {
    assertThatThrownBy(() -> Values.rollout("5% for 1h, " + step + ", 100%"))
        .hasMessage(
            "expected a duration above 0, such as 500ms, 2s or 1h30m, after 'for' in step 2 ('"
                + step
                + "')");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"5% for 1h,, 100% | 2", "5% for 1h, 100%, | 3", ", 100% | 1"})
  void rejectsRolloutWithEmptyStep(String text, int step) {
    assertThatThrownBy(() -> Values.rollout(text))
        .hasMessage(
            "expected rollout steps separated by single commas, such as 5% for 1h, 25% for 2h,"
                + " 100%; step "
                + step
                + " is empty");
  }

  @Test
  void rejectsBlankRollout() {
    assertThatThrownBy(() -> Values.rollout(" "))
        .hasMessage("expected rollout steps such as 5% for 1h, 25% for 2h, 100%");
  }

  @ParameterizedTest
  @CsvSource({"arg0, 0", "arg3, 3", "arg254, 254"})
  void readsArgumentIndex(String text, int expected) {
    int index = Values.argument(text);

    assertThat(index).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"arg255", "arg-1", "0", "ARG0", "argument0", "arg", "arg1000"})
  void rejectsArgumentOtherThanArgN(String text) {
    assertThatThrownBy(() -> Values.argument(text))
        .hasMessage("expected argN, the position N from 0 to 254 of the argument");
  }

  @ParameterizedTest
  @CsvSource({"25, 25", "12.5, 12.5", "0.001, 0.001", "100, 100"})
  void formatsNumbersWithoutTrailingZeros(double number, String expected) {
    assertThat(Values.format(number)).isEqualTo(expected);
  }
}
