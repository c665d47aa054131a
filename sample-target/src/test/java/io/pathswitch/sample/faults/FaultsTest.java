package io.pathswitch.sample.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultsTest {

  @AfterEach
  void clearFaults() {
    Faults.clear();
  }

  @Test
  void noFaultIsSetByDefault() {
    Faults.Settings settings = Faults.settings();

    assertThat(settings).isEqualTo(Faults.NONE);
    assertThat(settings.none()).isTrue();
  }

  @Test
  void delaysAreReadInMillisecondsOrSeconds() {
    assertThat(Faults.parseDelay("800ms")).isEqualTo(Duration.ofMillis(800));
    assertThat(Faults.parseDelay("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Faults.parseDelay("0")).isZero();
    assertThat(Faults.parseDelay("0ms")).isZero();
  }

  @Test
  void aBadDelayIsRejectedWithTheValueAndTheExpectedForm() {
    assertThatThrownBy(() -> Faults.parseDelay("soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "delay was 'soon' but it must be a whole number of ms or s, such as 800ms, 2s or 0");
    assertThatThrownBy(() -> Faults.parseDelay("-5ms"))
        .hasMessage("delay was '-5ms' but it must be 0 or more, such as 800ms, 2s or 0");
  }

  @Test
  void settingsChangeOneNamedValueAtATime() {
    Faults.Settings settings =
        Faults.NONE.with("error-rate", "0.05").with("delay", "800ms").with("wrong-rate", "0.5");

    assertThat(settings).isEqualTo(new Faults.Settings(0.05, Duration.ofMillis(800), 0.5));
  }

  @Test
  void aRateOutsideZeroToOneOrAnUnknownNameIsRejected() {
    assertThatThrownBy(() -> Faults.NONE.with("error-rate", "1.5"))
        .hasMessage("error-rate was '1.5' but it must be a number from 0 to 1, such as 0.05");
    assertThatThrownBy(() -> Faults.NONE.with("wrong-rate", "often"))
        .hasMessage("wrong-rate was 'often' but it must be a number from 0 to 1, such as 0.05");
    assertThatThrownBy(() -> Faults.NONE.with("errors", "1"))
        .hasMessage("unknown fault 'errors': expected error-rate, delay or wrong-rate");
  }

  @Test
  void errorRateOneFailsEveryCallWithAClearMessage() {
    Faults.set(new Faults.Settings(1.0, Duration.ZERO, 0));

    assertThatThrownBy(Faults::onUnifiedCall)
        .isInstanceOf(InjectedFaultException.class)
        .hasMessageContaining("unified dashboard engine failed on purpose (error-rate=1.0");
  }

  @Test
  void aDelayIsSleptOnEveryCall() {
    Faults.set(new Faults.Settings(0, Duration.ofMillis(50), 0));

    long start = System.nanoTime();
    Faults.onUnifiedCall();
    long elapsed = System.nanoTime() - start;

    assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
  }

  @Test
  void wrongRateHalfChangesTheTotalOfAboutHalfTheRepresentativesAndAlwaysTheSameOnes() {
    Faults.set(new Faults.Settings(0, Duration.ZERO, 0.5));
    BigDecimal total = new BigDecimal("100.00");

    long wrong = LongStream.rangeClosed(1, 1000).filter(id -> !isTrue(id, total)).count();
    long wrongAgain = LongStream.rangeClosed(1, 1000).filter(id -> !isTrue(id, total)).count();

    assertThat(wrong).isBetween(400L, 600L).isEqualTo(wrongAgain);
  }

  private static boolean isTrue(long id, BigDecimal total) {
    return Faults.totalSales(id, total).equals(total);
  }

  @Test
  void spreadsFailingCallsEvenlyOverTheCalls() {
    Faults.set(Faults.NONE.with("error-rate", "0.2"));
    StringBuilder outcomes = new StringBuilder();

    for (int i = 0; i < 15; i++) {
      try {
        Faults.onUnifiedCall();
        outcomes.append('.');
      } catch (InjectedFaultException e) {
        outcomes.append('x');
      }
    }
    Faults.clear();

    assertThat(outcomes.toString()).isEqualTo("....x....x....x");
  }
}
