package io.pathswitch.jdbc;

import io.pathswitch.instrumentation.ClassDispatcher;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts JDBC statements in whatever driver and pool the application loads: calls inserted into
 * every class that implements {@code java.sql.Statement} (its {@code execute*} and batch
 * executions) and {@code java.sql.Connection} (its {@code prepareStatement} and {@code
 * prepareCall}, to learn the SQL of a prepared statement); see {@link StatementAdvice}. Abstract
 * classes are included, since a concrete statement may inherit its {@code execute} from one
 * (HikariCP's proxies do); an inherited method is instrumented once, where it is declared. JDK
 * classes and the agent's own are left alone.
 *
 * <p>Only classes whose name contains {@code Statement} (or {@code Connection}) are examined
 * ({@link JdbcClassNames}): reading the super types of every class that loads cost the sample most
 * of a second of start-up. Every driver and pool we know names its classes so (H2's {@code
 * JdbcPreparedStatement}, PostgreSQL's {@code PgStatement}, HikariCP's {@code
 * HikariProxyPreparedStatement}, MySQL's {@code ClientPreparedStatement}, Oracle's {@code
 * T4CPreparedStatement}); a statement class named otherwise is not counted. Their super types are
 * read from class file headers ({@link SuperTypes}), and the rewriting is plain ASM (Byte Buddy's
 * cold code, used here before, cost the application's main thread about 360 ms when the driver's
 * classes loaded).
 *
 * <p>Such classes never wait for it: one loaded before {@link #install} is retransformed there. Not
 * thread-safe: the {@link io.pathswitch.instrumentation.Installer} calls it under its lock. The
 * rewriting, which the JVM calls on whatever threads load classes, is thread-safe.
 */
public final class StatementCounting {

  private static final Logger LOG = LoggerFactory.getLogger("pathswitch");

  private final Instrumentation instrumentation;
  private final SuperTypes superTypes = new SuperTypes();
  private ClassDispatcher dispatcher;

  public StatementCounting(Instrumentation instrumentation) {
    this.instrumentation = instrumentation;
  }

  /** Instruments the statement and connection classes loaded now and later. */
  public void install() {
    if (dispatcher != null) {
      return;
    }
    dispatcher = new ClassDispatcher(JdbcClassNames::mayCount, false).register(instrumentation);
    dispatcher.start(
        (loader, name, redefined, domain, bytes) -> rewrite(loader, name, bytes),
        instrumentation,
        this::refused);
  }

  /** Restores the original bytecode of the classes it changed. */
  public boolean uninstall() {
    if (dispatcher == null) {
      return true;
    }
    boolean restored = dispatcher.close(instrumentation);
    dispatcher = null;
    return restored;
  }

  /**
   * The class file of the class {@code name} ({@code a.b.C}) with its statements counted, or null
   * when it is no statement or connection class, or declares nothing to count. Never throws.
   */
  byte[] rewrite(ClassLoader loader, String name, byte[] bytes) {
    ClassReader type;
    int kinds;
    try {
      type = new ClassReader(bytes);
      if ((type.getAccess() & (Opcodes.ACC_INTERFACE | Opcodes.ACC_SYNTHETIC)) != 0) {
        return null;
      }
      kinds = superTypes.of(loader, type);
    } catch (IOException | RuntimeException e) {
      // A class whose hierarchy cannot be read is no concern of ours.
      LOG.debug("JDBC matching skipped {}: {}", name, e.toString());
      return null;
    }
    boolean statement = name.contains("Statement") && (kinds & SuperTypes.STATEMENT) != 0;
    boolean connection = name.contains("Connection") && (kinds & SuperTypes.CONNECTION) != 0;
    if (!statement && !connection) {
      return null;
    }
    try {
      byte[] rewritten = StatementAdvice.rewrite(type, statement, connection);
      if (rewritten != null) {
        LOG.debug("counting JDBC statements in {}", name);
      }
      return rewritten;
    } catch (RuntimeException | LinkageError e) {
      refused(name, e);
      return null;
    }
  }

  /** A statement class that cannot be instrumented only loses its count: say which. */
  private void refused(String name, Throwable failure) {
    LOG.warn(
        "could not count the JDBC statements of {}: {}; statements it runs are not counted",
        name,
        failure.toString());
  }
}
