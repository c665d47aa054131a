package io.pathswitch.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.is;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;

import io.pathswitch.bootstrap.Statements;
import io.pathswitch.core.Binding;
import io.pathswitch.core.Bindings;
import io.pathswitch.core.Invoker;
import io.pathswitch.core.Switch;
import io.pathswitch.instrumentation.TargetCheck.Fit;
import io.pathswitch.instrumentation.TargetCheck.Verdict;
import io.pathswitch.jdbc.StatementCounting;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the switches' advice with Byte Buddy's {@link AgentBuilder}, retransforming classes
 * already loaded and transforming those loaded later, and, with {@code jdbc.count}, the JDBC
 * statement counting beside it ({@link StatementCounting}), reset together. No class format
 * changes: the same classes can be retransformed again by a later attach and restored by a detach.
 */
public final class Installer {

  private static final Logger LOG = LoggerFactory.getLogger("pathswitch");

  static {
    // On Java 24+ Byte Buddy's Unsafe-based class injector makes the JVM print a sun.misc.Unsafe
    // deprecation warning into the application's output (JEP 498) the first time an AgentBuilder
    // is made. The agent injects no classes through Unsafe, so it asks for Byte Buddy's safe mode,
    // which never touches Unsafe. The shade plugin relocates this name along with Byte Buddy's
    // own, so it reaches only the agent's copy; it must be set before that copy is first used.
    if (System.getProperty("net.bytebuddy.safe") == null) {
      System.setProperty("net.bytebuddy.safe", "true");
    }
  }

  private final Instrumentation instrumentation;
  private final Bindings bindings;
  private final Set<String> transformedClasses = ConcurrentHashMap.newKeySet();
  private final List<String> installed = new CopyOnWriteArrayList<>();
  private ResettableClassFileTransformer transformer;
  private StatementCounting statementCounting;

  public Installer(Instrumentation instrumentation, Bindings bindings) {
    this.instrumentation = instrumentation;
    this.bindings = bindings;
  }

  /** Instruments the legacy methods of {@code switches}; refused ones are marked INVALID. */
  public synchronized void install(Collection<Switch> switches) {
    AgentBuilder builder =
        retransforming()
            .with(new Failures(switches))
            .ignore(
                nameStartsWith("io.pathswitch.shaded.")
                    .or(nameStartsWith("io.pathswitch.bootstrap.")));
    for (Switch sw : switches) {
      String className = sw.config().legacy().className();
      if (TargetCheck.isJdkClass(className)) {
        String reason =
            className
                + " belongs to the JDK, whose methods pathswitch never switches; calls stay on"
                + " the legacy path";
        LOG.warn(
            "switch {} is INVALID (switch.{}.legacy = '{}'): {}",
            sw.name(),
            sw.name(),
            sw.config().legacy(),
            reason);
        sw.invalidate(reason);
        continue;
      }
      builder = builder.type(named(className)).transform(new ForSwitch(sw));
    }
    transformer = builder.installOn(instrumentation);
    for (Switch sw : switches) {
      warnIfNowhere(sw);
    }
    if (Statements.counting() && !switches.isEmpty()) {
      statementCounting = new StatementCounting(instrumentation);
      statementCounting.install();
    }
  }

  /**
   * A legacy class that is neither loaded nor on the application class path may come later from
   * another class loader, so the switch waits for it; but it is more often a typo, so say so.
   */
  private void warnIfNowhere(Switch sw) {
    String className = sw.config().legacy().className();
    if (TargetCheck.isJdkClass(className) || transformedClasses.contains(className)) {
      return;
    }
    String resource = className.replace('.', '/') + ".class";
    if (ClassLoader.getSystemResource(resource) != null) {
      return;
    }
    LOG.warn(
        "switch {}: class {} (switch.{}.legacy = '{}') is neither loaded nor on the application"
            + " class path; the switch waits for it to load. If the name is misspelled, fix"
            + " switch.{}.legacy",
        sw.name(),
        className,
        sw.name(),
        sw.config().legacy(),
        sw.name());
  }

  /**
   * An agent builder that changes no class format, so that its classes can be retransformed by a
   * later attach and restored by a detach; both of the agent's transformers are built from it.
   */
  public static AgentBuilder retransforming() {
    return new AgentBuilder.Default(new ByteBuddy())
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.TypeStrategy.Default.REDEFINE_FROZEN);
  }

  /** Restores the original bytecode of every class this installer changed. */
  public synchronized boolean uninstall() {
    boolean countingReset = statementCounting == null || statementCounting.uninstall();
    statementCounting = null;
    if (transformer == null) {
      return countingReset;
    }
    boolean reset =
        transformer.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            && countingReset;
    transformer = null;
    transformedClasses.clear();
    return reset;
  }

  /** The classes this installer has changed, by name. */
  public Set<String> transformedClasses() {
    return Set.copyOf(transformedClasses);
  }

  /** Lines that say what was installed, one per class and switch. */
  public List<String> installed() {
    return List.copyOf(installed);
  }

  /** The transformation of one switch's legacy class. */
  private final class ForSwitch implements AgentBuilder.Transformer {

    private final Switch sw;

    ForSwitch(Switch sw) {
      this.sw = sw;
    }

    @Override
    public DynamicType.Builder<?> transform(
        DynamicType.Builder<?> builder,
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        ProtectionDomain domain) {
      TypePool pool =
          TypePool.Default.of(
              loader == null
                  ? ClassFileLocator.ForClassLoader.ofBootLoader()
                  : ClassFileLocator.ForClassLoader.of(loader));
      Verdict verdict = TargetCheck.judge(sw.config(), type, pool);
      if (verdict.fit().isEmpty()) {
        String reason = verdict.reason() + "; calls stay on the legacy path";
        String key = "switch." + sw.name() + "." + verdict.key();
        String value =
            verdict.key().equals("legacy")
                ? sw.config().legacy().toString()
                : sw.config().unified().toString();
        LOG.warn("switch {} is INVALID ({} = '{}'): {}", sw.name(), key, value, reason);
        sw.invalidate(reason);
        return builder;
      }
      Fit fit = verdict.fit().get();
      Optional<Binding> binding = bindings.bind(sw, loader, type.getName(), plan(fit));
      if (binding.isEmpty()) {
        LOG.warn(
            "switch {}: {} in {} not instrumented: all {} route slots are taken; calls stay on"
                + " the legacy path. Restart the JVM to free slots of unloaded class loaders.",
            sw.name(),
            type.getName(),
            loader,
            io.pathswitch.bootstrap.Routes.CAPACITY);
        return builder;
      }
      transformedClasses.add(type.getName());
      String line =
          String.format(
              "switch %s: instrumented %s#%s, unified %s (%s)",
              sw.name(),
              type.getName(),
              TargetCheck.signature(fit.legacy()),
              sw.config().unified(),
              fit.shape().name().toLowerCase().replace('_', ' '));
      installed.add(line);
      LOG.info(line);
      boolean isVoid = fit.legacy().getReturnType().represents(void.class);
      return builder.visit(
          Advice.withCustomMapping()
              .bind(SwitchAdvice.Binding.class, binding.get().id())
              .bind(
                  SwitchAdvice.KeyHash.class,
                  new KeyHashMapping(sw.config().keyArgument().orElse(-1)))
              .to(isVoid ? SwitchAdvice.ForVoid.class : SwitchAdvice.ForValue.class)
              .on(is(fit.legacy())));
    }

    private Invoker.Plan plan(Fit fit) {
      return new Invoker.Plan(
          fit.unifiedType().getName(),
          fit.unified().getName(),
          TargetCheck.parameterNames(fit.unified()),
          fit.shape(),
          fit.legacy().getParameters().size(),
          sw.config().compareWith());
    }
  }

  /** Turns a failed transformation into one warning and an INVALID switch. */
  private static final class Failures extends AgentBuilder.Listener.Adapter {

    private final Collection<Switch> switches;

    Failures(Collection<Switch> switches) {
      this.switches = switches;
    }

    @Override
    public void onError(
        String typeName,
        ClassLoader loader,
        JavaModule module,
        boolean loaded,
        Throwable throwable) {
      for (Switch sw : switches) {
        if (sw.config().legacy().className().equals(typeName)) {
          String reason =
              "could not instrument "
                  + typeName
                  + ": "
                  + throwable
                  + "; calls stay on the legacy path";
          LOG.warn("switch {} is INVALID: {}", sw.name(), reason);
          sw.invalidate(reason);
        }
      }
    }
  }
}
