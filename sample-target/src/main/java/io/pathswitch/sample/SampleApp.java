package io.pathswitch.sample;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pathswitch.sample.dashboard.DashboardService;
import io.pathswitch.sample.data.DataGenerator;
import io.pathswitch.sample.http.DashboardServer;
import io.pathswitch.sample.jdbc.SqlLog;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The finance dashboard application: generates its data, then serves the dashboard over HTTP until
 * the JVM is told to stop. It knows nothing of pathswitch.
 *
 * <p>Thread-safe: {@link #close()} may run on a shutdown hook while requests are served.
 */
public final class SampleApp implements AutoCloseable {

  /** Exit code for a bad option, a port in use or a database that cannot be reached. */
  static final int EXIT_USAGE = 2;

  private static final String HIKARI_LOG_LEVEL = "org.slf4j.simpleLogger.log.com.zaxxer.hikari";

  private final DashboardServer server;
  private final HikariDataSource pool;
  private final PrintStream out;

  private SampleApp(DashboardServer server, HikariDataSource pool, PrintStream out) {
    this.server = server;
    this.pool = pool;
    this.out = out;
  }

  public static void main(String[] args) {
    // HikariCP says "Starting..." and "Start completed." at INFO; only its warnings matter here.
    if (System.getProperty(HIKARI_LOG_LEVEL) == null) {
      System.setProperty(HIKARI_LOG_LEVEL, "warn");
    }

    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      exit(e.getMessage());
      return;
    }
    if (options.help()) {
      System.out.print(Options.USAGE);
      return;
    }

    try {
      SampleApp app = start(options, System.out, System.err);
      Runtime.getRuntime().addShutdownHook(new Thread(app::close, "sample-target-shutdown"));
    } catch (StartupException e) {
      exit(e.getMessage());
    }
  }

  /**
   * Binds the port, connects to the database, generates the data and starts serving, in that order
   * so that the cheap checks fail first.
   *
   * @param out where the start line, the stop line and {@code --log-sql} lines go
   * @param err where failed requests are reported
   */
  static SampleApp start(Options options, PrintStream out, PrintStream err)
      throws StartupException {
    DashboardServer server = bind(options.port());
    HikariDataSource pool = null;
    try {
      pool = connect(options);
      DataSource dataSource = options.logSql() ? SqlLog.wrap(pool, out::println) : pool;
      generate(dataSource, options);

      server.start(new DashboardService(dataSource), err);
      out.println(
          "sample-target serving "
              + options.representatives()
              + " representatives on http://127.0.0.1:"
              + server.port()
              + "/api/dashboard");
      return new SampleApp(server, pool, out);
    } catch (StartupException | RuntimeException e) {
      server.close();
      if (pool != null) {
        pool.close();
      }
      throw e;
    }
  }

  /** The port actually served, which differs from {@code --port} only when that was 0. */
  int port() {
    return server.port();
  }

  /** Stops serving and closes the pool; the shutdown hook calls it on SIGTERM. */
  @Override
  public void close() {
    server.close();
    pool.close();
    out.println("sample-target stopped");
  }

  private static DashboardServer bind(int port) throws StartupException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    try {
      return DashboardServer.bind(address);
    } catch (BindException e) {
      throw new StartupException(
          "port " + port + " on 127.0.0.1 is in use; choose another with --port", e);
    } catch (IOException e) {
      throw new StartupException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens the pool after one plain connection has proved the database reachable. Without that
   * check, HikariCP's own failure would be logged as a stack trace rather than as one clear line.
   */
  private static HikariDataSource connect(Options options) throws StartupException {
    String user = options.embedded() ? "sa" : options.jdbcUser();
    String password = options.embedded() ? "" : options.jdbcPassword();
    try (Connection probe = DriverManager.getConnection(options.url(), user, password)) {
      probe.isValid(5);
    } catch (SQLException e) {
      throw new StartupException(
          "cannot reach the database at "
              + withoutParameters(options.url())
              + ": "
              + e.getMessage(),
          e);
    }

    HikariConfig config = new HikariConfig();
    config.setPoolName("sample-target");
    config.setJdbcUrl(options.url());
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(10);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StartupException(
          "cannot open a pool to " + withoutParameters(options.url()) + ": " + e.getMessage(), e);
    }
  }

  private static void generate(DataSource dataSource, Options options) throws StartupException {
    try {
      DataGenerator.generate(dataSource, options.representatives(), options.seed());
    } catch (SQLException e) {
      throw new StartupException(
          "cannot load the sample data into "
              + withoutParameters(options.url())
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The URL without what follows {@code ?}, where a password may be. */
  private static String withoutParameters(String url) {
    int question = url.indexOf('?');
    return question < 0 ? url : url.substring(0, question);
  }

  private static void exit(String message) {
    System.err.println("sample-target: " + message.strip().replaceAll("\\s+", " "));
    System.exit(EXIT_USAGE);
  }

  /** The application cannot start; the message says why in one line. */
  static final class StartupException extends Exception {

    private static final long serialVersionUID = 1L;

    StartupException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
