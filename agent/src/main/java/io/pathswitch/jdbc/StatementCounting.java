package io.pathswitch.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.pathswitch.instrumentation.ClassDispatcher;
import io.pathswitch.instrumentation.Installer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts JDBC statements in whatever driver and pool the application loads: advice on every class
 * that implements {@code java.sql.Statement} (its {@code execute*} and batch executions) and {@code
 * java.sql.Connection} (its {@code prepareStatement} and {@code prepareCall}, to learn the SQL of a
 * prepared statement). Abstract classes are included, since a concrete statement may inherit its
 * {@code execute} from one (HikariCP's proxies do); an inherited method is instrumented once, where
 * it is declared. JDK classes and the agent's own are left alone.
 *
 * <p>Only classes whose name contains {@code Statement} (or {@code Connection}) are examined
 * ({@link JdbcClassNames}): reading the super types of every class that loads cost the sample most
 * of a second of start-up. Every driver and pool we know names its classes so (H2's {@code
 * JdbcPreparedStatement}, PostgreSQL's {@code PgStatement}, HikariCP's {@code
 * HikariProxyPreparedStatement}, MySQL's {@code ClientPreparedStatement}, Oracle's {@code
 * T4CPreparedStatement}); a statement class named otherwise is not counted.
 *
 * <p>Such classes never wait for it: one loaded before {@link #install} is retransformed there. Not
 * thread-safe: the {@link io.pathswitch.instrumentation.Installer} calls it under its lock.
 */
public final class StatementCounting {

  private static final Logger LOG = LoggerFactory.getLogger("pathswitch");

  private static final ElementMatcher.Junction<MethodDescription> EXECUTE =
      namedOneOf(
              "execute",
              "executeQuery",
              "executeUpdate",
              "executeLargeUpdate",
              "executeBatch",
              "executeLargeBatch")
          .and(takesArguments(0).or(takesArgument(0, String.class)));

  private static final ElementMatcher.Junction<MethodDescription> PREPARE =
      namedOneOf("prepareStatement", "prepareCall")
          .and(takesArgument(0, String.class))
          .and(not(returns(void.class)));

  private static final ElementMatcher<TypeDescription> STATEMENT =
      hasSuperType(named("java.sql.Statement"));

  private static final ElementMatcher<TypeDescription> CONNECTION =
      hasSuperType(named("java.sql.Connection"));

  private final Instrumentation instrumentation;
  private final Set<String> advised = ConcurrentHashMap.newKeySet();
  private final TypeCache types = new TypeCache();
  private AsmVisitorWrapper execute;
  private AsmVisitorWrapper prepare;
  private ClassDispatcher dispatcher;

  public StatementCounting(Instrumentation instrumentation) {
    this.instrumentation = instrumentation;
  }

  /** Instruments the statement and connection classes loaded now and later. */
  public void install() {
    if (dispatcher != null) {
      return;
    }
    // The advice is read once here, not per class transformed.
    execute = advise(StatementAdvice.Execute.class, EXECUTE);
    prepare = advise(StatementAdvice.Prepare.class, PREPARE);
    dispatcher = new ClassDispatcher(JdbcClassNames::mayCount, false).register(instrumentation);
    dispatcher.start(this::rewrite, instrumentation, this::refused);
  }

  /** Restores the original bytecode of the classes it changed. */
  public boolean uninstall() {
    if (dispatcher == null) {
      return true;
    }
    boolean restored = dispatcher.close(instrumentation);
    dispatcher = null;
    advised.clear();
    return restored;
  }

  private static AsmVisitorWrapper advise(
      Class<?> advice, ElementMatcher.Junction<MethodDescription> methods) {
    return Advice.to(advice).on(methods.and(not(isAbstract())).and(not(isStatic())));
  }

  private byte[] rewrite(
      ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
    ClassFileLocator locator = Installer.locator(loader, name, bytes);
    TypePool pool = types.pool(loader, locator);
    boolean statement;
    boolean connection;
    TypeDescription type;
    try {
      type = pool.describe(name).resolve();
      if (type.isInterface() || type.isSynthetic()) {
        return null;
      }
      statement = name.contains("Statement") && STATEMENT.matches(type);
      connection = name.contains("Connection") && CONNECTION.matches(type);
    } catch (RuntimeException | LinkageError e) {
      // A class whose hierarchy cannot be read is no concern of ours.
      LOG.debug("JDBC matching skipped {}: {}", name, e.toString());
      return null;
    }
    if (!statement && !connection) {
      return null;
    }
    try {
      DynamicType.Builder<?> builder = Installer.redefine(type, locator);
      if (statement) {
        builder = builder.visit(execute);
      }
      if (connection) {
        builder = builder.visit(prepare);
      }
      byte[] rewritten = Installer.make(builder, pool);
      advised.add(name);
      LOG.debug("counting JDBC statements in {}", name);
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

  /**
   * Keeps the type descriptions read while matching, per class loader, for as long as the loader
   * lives and memory allows. Matching a class against {@code java.sql.Statement} reads its super
   * types; without a cache each class would read {@code java.lang.Object} and its other ancestors'
   * class files again. Soft references let the GC take the cache back.
   */
  private static final class TypeCache {

    private final Map<ClassLoader, TypePool.CacheProvider> byLoader = new WeakHashMap<>();
    private final TypePool.CacheProvider bootLoaded =
        new TypePool.CacheProvider.Simple.UsingSoftReference();

    TypePool pool(ClassLoader loader, ClassFileLocator locator) {
      TypePool.CacheProvider cache;
      if (loader == null) {
        cache = bootLoaded;
      } else {
        synchronized (byLoader) {
          cache =
              byLoader.computeIfAbsent(
                  loader, l -> new TypePool.CacheProvider.Simple.UsingSoftReference());
        }
      }
      return new TypePool.Default.WithLazyResolution(
          cache, locator, TypePool.Default.ReaderMode.FAST);
    }
  }
}
