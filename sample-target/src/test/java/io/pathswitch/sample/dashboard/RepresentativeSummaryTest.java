package io.pathswitch.sample.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepresentativeSummaryTest {

  private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");

  @Test
  void amountsOfAnyScaleAndTimesBelowAMicrosecondCompareEqual() {
    RepresentativeSummary fromOneDatabase = summary("12.5", NOON.plusNanos(1_000_400));

    RepresentativeSummary fromAnother = summary("12.500", NOON.plusNanos(1_000_000));

    assertThat(fromOneDatabase).isEqualTo(fromAnother).hasSameHashCodeAs(fromAnother);
    assertThat(fromOneDatabase.totalSales()).hasToString("12.50");
  }

  @Test
  void aMissingAmountIsRejectedRatherThanTakenForZero() {
    assertThatThrownBy(
            () ->
                new RepresentativeSummary(
                    1, "n", "c", 0, null, null, BigDecimal.ZERO, null, BigDecimal.ZERO))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("totalSales");
  }

  @Test
  void aDashboardIsSortedByIdWhateverTheOrderGiven() {
    RepresentativeSummary first = summary("1", NOON);
    RepresentativeSummary second =
        new RepresentativeSummary(
            2, "b", "c", 0, BigDecimal.ZERO, null, BigDecimal.ZERO, null, BigDecimal.ZERO);

    Dashboard dashboard = new Dashboard(List.of(second, first));

    assertThat(dashboard).isEqualTo(new Dashboard(List.of(first, second)));
    assertThat(dashboard.representatives()).containsExactly(first, second);
  }

  private static RepresentativeSummary summary(String totalSales, Instant lastInvoiceAt) {
    return new RepresentativeSummary(
        1,
        "a",
        "c",
        1,
        new BigDecimal(totalSales),
        lastInvoiceAt,
        BigDecimal.ZERO,
        null,
        BigDecimal.ZERO);
  }
}
