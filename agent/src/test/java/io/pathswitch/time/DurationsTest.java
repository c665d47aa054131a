package io.pathswitch.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void writesEveryNonZeroPartToTheMillisecond() {
    assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h");
    assertThat(Durations.format(Duration.ofMinutes(150))).isEqualTo("2h 30m");
    assertThat(Durations.format(Duration.ofSeconds(60))).isEqualTo("1m");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1s 500ms");
    assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0ns");
  }

  @Test
  void writesDurationsBelowAMillisecondInTheirOwnUnit() {
    assertThat(Durations.format(Duration.ofNanos(250_000))).isEqualTo("250µs");
    assertThat(Durations.format(Duration.ofNanos(1))).isEqualTo("1ns");
  }

  @Test
  void approximatesLongWaitsToTheMinuteAndShortOnesToTheSecond() {
    assertThat(Durations.approximately(Duration.ofMinutes(41).plusSeconds(12))).isEqualTo("41m");
    assertThat(Durations.approximately(Duration.ofMinutes(101).plusSeconds(31)))
        .isEqualTo("1h 42m");
    assertThat(Durations.approximately(Duration.ofMinutes(3).plusMillis(12_400)))
        .isEqualTo("3m 12s");
    assertThat(Durations.approximately(Duration.ofMillis(11_600))).isEqualTo("12s");
    assertThat(Durations.approximately(Duration.ofNanos(84_400_000))).isEqualTo("84ms");
  }

  @Test
  void countsDurationsBeyondTheNanosecondRangeAsNever() {
    assertThat(Durations.saturatedNanos(Duration.ofDays(365L * 1000))).isEqualTo(Long.MAX_VALUE);
    assertThat(Durations.saturatedNanos(Duration.ofSeconds(2))).isEqualTo(2_000_000_000L);
    assertThatThrownBy(() -> Durations.saturatedNanos(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration must not be negative, but was PT-1S");
  }
}
