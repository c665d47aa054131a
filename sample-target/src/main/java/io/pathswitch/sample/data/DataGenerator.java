package io.pathswitch.sample.data;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;

/**
 * Fills the schema with representatives, invoices and payments that depend on the seed alone.
 *
 * <p>The data carries the cases where two ways of summing could disagree: representatives without
 * invoices or payments, payments that are not allocated, amounts with cents, and rows that share a
 * timestamp. Rows go in through JDBC batches in one transaction, so 10,000 representatives load in
 * a few seconds. Not thread-safe; each call uses its own connection.
 */
public final class DataGenerator {

  public static final int DEFAULT_REPRESENTATIVES = 1000;
  public static final long DEFAULT_SEED = 20240601L;

  /** Most invoices, and most payments, one representative has. */
  static final int MAX_ROWS = 40;

  private static final int BATCH_SIZE = 1000;
  private static final List<String> TABLES = List.of("representatives", "invoices", "payments");
  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
  private static final int MINUTES_IN_YEAR = 365 * 24 * 60;

  private static final List<String> FIRST_NAMES =
      List.of(
          "Ana", "Bilal", "Chen", "Dana", "Émile", "Fatima", "Giulia", "Hiroshi", "Ingrid", "José",
          "Kwame", "Łucja", "Mehmet", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Søren",
          "Tamar", "Uma", "Viktor", "Wen", "Yusuf", "Zoë");
  private static final List<String> LAST_NAMES =
      List.of(
          "Almeida",
          "Brennan",
          "Castillo",
          "D'Souza",
          "Eriksen",
          "Fischer",
          "García",
          "Haddad",
          "Ivanova",
          "Jansen",
          "Kowalski",
          "Larsen",
          "Moreau",
          "Nakamura",
          "O'Neill",
          "Petrov",
          "Quinn",
          "Rossi",
          "Schmidt",
          "Tanaka",
          "Usman",
          "Van der Berg",
          "Weiß",
          "Yilmaz");

  private static final String INSERT_REPRESENTATIVE =
      "INSERT INTO representatives (id, name, code, total_debt) VALUES (?, ?, ?, ?)";
  private static final String INSERT_INVOICE =
      "INSERT INTO invoices (id, representative_id, amount, created_at) VALUES (?, ?, ?, ?)";
  private static final String INSERT_PAYMENT =
      "INSERT INTO payments (id, representative_id, amount, is_allocated, payment_date)"
          + " VALUES (?, ?, ?, ?, ?)";

  private final Random random;
  private long invoiceId;
  private long paymentId;
  private Instant lastTime = START;

  private DataGenerator(long seed) {
    this.random = new Random(seed);
  }

  /**
   * Drops and recreates the tables, then loads {@code representatives} representatives, with ids 1
   * to {@code representatives}, and their invoices and payments.
   */
  public static Counts generate(DataSource dataSource, int representatives, long seed)
      throws SQLException {
    if (representatives < 0) {
      throw new IllegalArgumentException(
          "representatives was " + representatives + " but it must be 0 or more");
    }
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        Schema.recreate(connection);
        Counts counts = new DataGenerator(seed).insert(connection, representatives);
        connection.commit();
        connection.setAutoCommit(true);
        analyze(connection);
        return counts;
      } catch (SQLException | RuntimeException e) {
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    }
  }

  /**
   * Gives the planner statistics on the tables just loaded. Right after a bulk load PostgreSQL has
   * none until autovacuum comes by (up to a minute later): it then guesses 200 representatives and
   * a parallel plan, and the unified query ran 90 to 200 ms instead of a steady 90 ms at 10,000
   * representatives. VACUUM also marks the pages all-visible, without which an index-only scan
   * still visits the table for every row. VACUUM cannot run in a transaction, hence autocommit.
   */
  private static void analyze(Connection connection) throws SQLException {
    boolean postgres = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
    try (Statement statement = connection.createStatement()) {
      for (String table : TABLES) {
        statement.execute((postgres ? "VACUUM ANALYZE " : "ANALYZE TABLE ") + table);
      }
    }
  }

  private Counts insert(Connection connection, int representatives) throws SQLException {
    try (PreparedStatement representativeRows = connection.prepareStatement(INSERT_REPRESENTATIVE);
        PreparedStatement invoiceRows = connection.prepareStatement(INSERT_INVOICE);
        PreparedStatement paymentRows = connection.prepareStatement(INSERT_PAYMENT)) {
      Batches batches = new Batches(representativeRows, invoiceRows, paymentRows);
      for (long id = 1; id <= representatives; id++) {
        representative(id, batches);
      }
      batches.flush();
    }
    return new Counts(representatives, invoiceId, paymentId);
  }

  private void representative(long id, Batches batches) throws SQLException {
    List<Invoice> invoices = new ArrayList<>();
    for (int n = rowCount(); n > 0; n--) {
      invoices.add(new Invoice(++invoiceId, amount(), time()));
    }
    List<Payment> payments = new ArrayList<>();
    for (int n = rowCount(); n > 0; n--) {
      payments.add(new Payment(++paymentId, amount(), random.nextInt(10) < 7, time()));
    }
    BigDecimal debt = BigDecimal.ZERO.setScale(2);
    for (Invoice invoice : invoices) {
      debt = debt.add(invoice.amount());
    }
    for (Payment payment : payments) {
      debt = payment.allocated() ? debt.subtract(payment.amount()) : debt;
    }

    batches.representative(id, name(), String.format("REP-%05d", id), debt);
    for (Invoice invoice : invoices) {
      batches.invoice(id, invoice);
    }
    for (Payment payment : payments) {
      batches.payment(id, payment);
    }
  }

  /** None for one representative in eight, otherwise 1 to {@link #MAX_ROWS}. */
  private int rowCount() {
    return random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(MAX_ROWS);
  }

  /** 1.00 to 9,999.99, cents included. */
  private BigDecimal amount() {
    return BigDecimal.valueOf(100 + random.nextInt(999_900), 2);
  }

  /** A minute in 2024; one time in five the same as the previous row's, to make ties. */
  private OffsetDateTime time() {
    if (random.nextInt(5) != 0) {
      lastTime = START.plusSeconds(60L * random.nextInt(MINUTES_IN_YEAR));
    }
    return lastTime.atOffset(ZoneOffset.UTC);
  }

  private String name() {
    String first = FIRST_NAMES.get(random.nextInt(FIRST_NAMES.size()));
    String last = LAST_NAMES.get(random.nextInt(LAST_NAMES.size()));
    if (random.nextInt(50) == 0) { // a nickname in quotes, which JSON output must escape
      return first + " \"" + first.charAt(0) + last.charAt(0) + "\" " + last;
    }
    return first + " " + last;
  }

  /** How many rows of each kind were loaded. */
  public record Counts(long representatives, long invoices, long payments) {}

  private record Invoice(long id, BigDecimal amount, OffsetDateTime createdAt) {}

  private record Payment(long id, BigDecimal amount, boolean allocated, OffsetDateTime paidAt) {}

  /**
   * The three insert batches. They are flushed together, representatives first, so an invoice or a
   * payment never reaches the database before the representative it references.
   */
  private static final class Batches {

    private final PreparedStatement representatives;
    private final PreparedStatement invoices;
    private final PreparedStatement payments;
    private int pending;

    Batches(
        PreparedStatement representatives, PreparedStatement invoices, PreparedStatement payments) {
      this.representatives = representatives;
      this.invoices = invoices;
      this.payments = payments;
    }

    void representative(long id, String name, String code, BigDecimal debt) throws SQLException {
      representatives.setLong(1, id);
      representatives.setString(2, name);
      representatives.setString(3, code);
      representatives.setBigDecimal(4, debt);
      add(representatives);
    }

    void invoice(long representativeId, Invoice invoice) throws SQLException {
      invoices.setLong(1, invoice.id());
      invoices.setLong(2, representativeId);
      invoices.setBigDecimal(3, invoice.amount());
      invoices.setObject(4, invoice.createdAt());
      add(invoices);
    }

    void payment(long representativeId, Payment payment) throws SQLException {
      payments.setLong(1, payment.id());
      payments.setLong(2, representativeId);
      payments.setBigDecimal(3, payment.amount());
      payments.setBoolean(4, payment.allocated());
      payments.setObject(5, payment.paidAt());
      add(payments);
    }

    /** Adds the row and, every {@link #BATCH_SIZE} rows, sends them all. */
    private void add(PreparedStatement statement) throws SQLException {
      statement.addBatch();
      if (++pending >= BATCH_SIZE) {
        flush();
      }
    }

    void flush() throws SQLException {
      if (pending == 0) {
        return;
      }
      representatives.executeBatch();
      invoices.executeBatch();
      payments.executeBatch();
      pending = 0;
    }
  }
}
