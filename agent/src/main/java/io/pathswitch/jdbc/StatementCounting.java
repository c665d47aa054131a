package io.pathswitch.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameContains;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.pathswitch.instrumentation.Installer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;
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
 * <p>Only classes whose name contains {@code Statement} (or {@code Connection}) are examined:
 * reading the super types of every class that loads cost the sample most of a second of start-up.
 * Every driver and pool we know names its classes so (H2's {@code JdbcPreparedStatement},
 * PostgreSQL's {@code PgStatement}, HikariCP's {@code HikariProxyPreparedStatement}, MySQL's {@code
 * ClientPreparedStatement}, Oracle's {@code T4CPreparedStatement}); a statement class named
 * otherwise is not counted.
 *
 * <p>Its own transformer, so that it is installed and reset alongside the switches' one. Not
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

  private final Instrumentation instrumentation;
  private final Set<String> advised = ConcurrentHashMap.newKeySet();
  private ResettableClassFileTransformer transformer;

  public StatementCounting(Instrumentation instrumentation) {
    this.instrumentation = instrumentation;
  }

  /** Instruments the statement and connection classes loaded now and later. */
  public void install() {
    if (transformer != null) {
      return;
    }
    transformer =
        Installer.retransforming()
            .with(new Failures(advised))
            .with(new TypeCache())
            .ignore(ignored())
            // A class's name is known without reading its class file; its super types are not.
            // Checking the name first keeps every other class that loads from being read.
            .type(
                nameContains("Statement")
                    .and(not(isInterface()))
                    .and(hasSuperType(named("java.sql.Statement"))))
            .transform(new Advise(StatementAdvice.Execute.class, EXECUTE, advised))
            .type(
                nameContains("Connection")
                    .and(not(isInterface()))
                    .and(hasSuperType(named("java.sql.Connection"))))
            .transform(new Advise(StatementAdvice.Prepare.class, PREPARE, advised))
            .installOn(instrumentation);
  }

  /** Restores the original bytecode of the classes it changed. */
  public boolean uninstall() {
    if (transformer == null) {
      return true;
    }
    boolean reset =
        transformer.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
    transformer = null;
    return reset;
  }

  private static ElementMatcher.Junction<TypeDescription> ignored() {
    return nameStartsWith("java.")
        .or(nameStartsWith("javax."))
        .or(nameStartsWith("jdk."))
        .or(nameStartsWith("sun."))
        .or(nameStartsWith("com.sun."))
        .or(nameStartsWith("io.pathswitch."))
        .or(isSynthetic());
  }

  /**
   * Keeps the type descriptions read while matching, per class loader, for as long as the loader
   * lives and memory allows. Matching every class that loads against {@code java.sql.Statement}
   * reads its super types; without a cache each class would read {@code java.lang.Object} and its
   * other ancestors' class files again. Soft references let the GC take the cache back.
   */
  private static final class TypeCache extends AgentBuilder.PoolStrategy.WithTypePoolCache {

    private final Map<ClassLoader, TypePool.CacheProvider> byLoader = new WeakHashMap<>();
    private final TypePool.CacheProvider bootLoaded =
        new TypePool.CacheProvider.Simple.UsingSoftReference();

    TypeCache() {
      super(TypePool.Default.ReaderMode.FAST);
    }

    @Override
    protected TypePool.CacheProvider locate(ClassLoader loader) {
      if (loader == null) {
        return bootLoaded;
      }
      synchronized (byLoader) {
        return byLoader.computeIfAbsent(
            loader, l -> new TypePool.CacheProvider.Simple.UsingSoftReference());
      }
    }
  }

  /** Applies one advice to the matching methods that a class declares and implements. */
  private static final class Advise implements AgentBuilder.Transformer {

    private final String name;
    private final AsmVisitorWrapper visitor;
    private final Set<String> advised;

    /** The advice is read once here, not per class transformed. */
    Advise(
        Class<?> advice, ElementMatcher.Junction<MethodDescription> methods, Set<String> advised) {
      this.name = advice.getSimpleName();
      this.visitor = Advice.to(advice).on(methods.and(not(isAbstract())).and(not(isStatic())));
      this.advised = advised;
    }

    @Override
    public DynamicType.Builder<?> transform(
        DynamicType.Builder<?> builder,
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        ProtectionDomain domain) {
      LOG.debug("counting JDBC statements in {} ({})", type.getName(), name);
      advised.add(type.getName());
      return builder.visit(visitor);
    }
  }

  /**
   * A statement class that cannot be instrumented only loses its count: say which. Any other class
   * whose hierarchy could not be read while matching is no concern of ours, so that is DEBUG.
   */
  private static final class Failures extends AgentBuilder.Listener.Adapter {

    private final Set<String> advised;

    Failures(Set<String> advised) {
      this.advised = advised;
    }

    @Override
    public void onError(
        String typeName,
        ClassLoader loader,
        JavaModule module,
        boolean loaded,
        Throwable throwable) {
      if (advised.contains(typeName)) {
        LOG.warn(
            "could not count the JDBC statements of {}: {}; statements it runs are not counted",
            typeName,
            throwable.toString());
      } else {
        LOG.debug("JDBC matching skipped {}: {}", typeName, throwable.toString());
      }
    }
  }
}
