package io.pathswitch.sample.dashboard;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One sales representative's totals on the dashboard. Immutable.
 *
 * <p>Both the legacy path and the unified engine build this record, and pathswitch compares their
 * answers with {@code equals}, so the constructor normalises what a database may hand back
 * differently: amounts always have scale 2 ({@code 12.5} and {@code 12.50} are the same total), and
 * times are truncated to microseconds, the finest that PostgreSQL stores.
 *
 * <p>A representative without invoices has {@code invoiceCount} 0, {@code totalSales} 0.00 and
 * {@code lastInvoiceAt} null; without allocated payments, {@code allocatedPayments} 0.00 and {@code
 * lastPaymentAt} null. Amounts are never null.
 */
public record RepresentativeSummary(
    long id,
    String name,
    String code,
    long invoiceCount,
    BigDecimal totalSales,
    Instant lastInvoiceAt,
    BigDecimal allocatedPayments,
    Instant lastPaymentAt,
    BigDecimal debt) {

  /** Scale of every amount: the cents of a {@code DECIMAL(14,2)} column. */
  public static final int AMOUNT_SCALE = 2;

  public RepresentativeSummary {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(code, "code");
    if (invoiceCount < 0) {
      throw new IllegalArgumentException(
          "invoiceCount was " + invoiceCount + " but it must be 0 or more");
    }
    totalSales = amount(totalSales, "totalSales");
    allocatedPayments = amount(allocatedPayments, "allocatedPayments");
    debt = amount(debt, "debt");
    lastInvoiceAt = time(lastInvoiceAt);
    lastPaymentAt = time(lastPaymentAt);
  }

  /** A copy with another total of sales, as a faulty engine would report it. */
  public RepresentativeSummary withTotalSales(BigDecimal totalSales) {
    return new RepresentativeSummary(
        id,
        name,
        code,
        invoiceCount,
        totalSales,
        lastInvoiceAt,
        allocatedPayments,
        lastPaymentAt,
        debt);
  }

  private static BigDecimal amount(BigDecimal value, String field) {
    Objects.requireNonNull(value, field);
    return value.setScale(AMOUNT_SCALE, RoundingMode.HALF_EVEN);
  }

  private static Instant time(Instant value) {
    return value == null ? null : value.truncatedTo(ChronoUnit.MICROS);
  }
}
