package io.pathswitch.instrumentation;

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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the switches, transforming the legacy classes loaded later and retransforming those
 * loaded already, and, with {@code jdbc.count}, the JDBC statement counting beside it ({@link
 * StatementCounting}), reset together. No class format changes: the same classes can be
 * retransformed again by a later attach and restored by a detach.
 *
 * <p>The only transformer registered with the JVM is a {@link ClassDispatcher} that judges classes
 * by name; for each legacy class it hands over, {@link TargetCheck} judges the switches from class
 * files and {@link SwitchWeaver} weaves them in, both plain ASM. Byte Buddy did both before; on a
 * cold JVM its {@code AgentBuilder}, type pool and {@code Advice} cost the sample over 400 ms of
 * start-up and an attach over 600 ms (issue #7). At launch, {@link #prepare} registers the
 * dispatcher in {@code premain} and {@link #install} runs later on the agent's thread; a legacy
 * class that loads in between waits for it.
 */
public final class Installer {

  /**
   * Looked up when first needed, not when the class loads: {@code premain} loads this class, and
   * starting SLF4J Simple (its date format loads the JDK's locale data) cost the application's main
   * thread about 85 ms there; the agent's thread now pays it.
   */
  private static Logger log() {
    return LoggerFactory.getLogger("pathswitch");
  }

  private final Instrumentation instrumentation;
  private final Bindings bindings;
  private final Set<String> transformedClasses = ConcurrentHashMap.newKeySet();
  private final List<String> installed = new CopyOnWriteArrayList<>();
  private volatile Map<String, List<ForSwitch>> byClass = Map.of();
  private ClassDispatcher dispatcher;
  private StatementCounting statementCounting;

  public Installer(Instrumentation instrumentation, Bindings bindings) {
    this.instrumentation = instrumentation;
    this.bindings = bindings;
  }

  /**
   * Registers the transformer that holds back the legacy classes named in {@code classNames} until
   * {@link #install}: cheap, and free of ASM, so that {@code premain} returns at once.
   */
  public synchronized void prepare(Set<String> classNames) {
    if (dispatcher == null) {
      Set<String> names = Set.copyOf(classNames);
      dispatcher = new ClassDispatcher(names::contains, true).register(instrumentation);
    }
  }

  /** Instruments the legacy methods of {@code switches}; refused ones are marked INVALID. */
  public synchronized void install(Collection<Switch> switches) {
    Map<String, List<ForSwitch>> targets = new HashMap<>();
    for (Switch sw : switches) {
      String className = sw.config().legacy().className();
      if (TargetCheck.isJdkClass(className)) {
        String reason =
            className
                + " belongs to the JDK, whose methods pathswitch never switches; calls stay on"
                + " the legacy path";
        invalid(sw, "legacy", sw.config().legacy(), reason);
        continue;
      }
      targets.computeIfAbsent(className, c -> new ArrayList<>()).add(new ForSwitch(sw));
    }
    byClass = Map.copyOf(targets);
    prepare(targets.keySet());
    dispatcher.starting();
    // Counting first: a switch diverts from the moment its class is transformed, and a call it
    // diverted before its statements were counted would show none.
    if (Statements.counting() && !switches.isEmpty()) {
      statementCounting = new StatementCounting(instrumentation);
      statementCounting.install();
    }
    dispatcher.start(this::rewrite, instrumentation, this::refused);
    for (Switch sw : switches) {
      warnIfNowhere(sw);
    }
  }

  /** Weaves every switch on the legacy class {@code name} into it. Never throws. */
  private byte[] rewrite(
      ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
    List<ForSwitch> forClass = byClass.getOrDefault(name, List.of());
    if (forClass.isEmpty()) {
      return null;
    }
    try {
      TypeSource types = TypeSource.of(loader, name, bytes);
      ClassFile type = types.find(name).orElseThrow();
      byte[] woven = bytes;
      for (ForSwitch transformer : forClass) {
        woven = transformer.weave(woven, type, loader, types);
      }
      return woven == bytes ? null : woven;
    } catch (RuntimeException | LinkageError e) {
      refused(name, e);
      return null;
    }
  }

  /**
   * Makes {@code sw} INVALID with one warning that names the key ({@code switch.<name>.<key>}) and
   * the value it comes from.
   */
  private static void invalid(Switch sw, String key, Object value, String reason) {
    log()
        .warn(
            "switch {} is INVALID (switch.{}.{} = '{}'): {}",
            sw.name(),
            sw.name(),
            key,
            value,
            reason);
    sw.invalidate(reason);
  }

  /** Turns a class that could not be transformed into one warning and an INVALID switch. */
  private void refused(String name, Throwable failure) {
    for (ForSwitch transformer : byClass.getOrDefault(name, List.of())) {
      Switch sw = transformer.sw;
      String reason =
          "could not instrument " + name + ": " + failure + "; calls stay on the legacy path";
      log().warn("switch {} is INVALID: {}", sw.name(), reason);
      sw.invalidate(reason);
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
    log()
        .warn(
            "switch {}: class {} (switch.{}.legacy = '{}') is neither loaded nor on the application"
                + " class path; the switch waits for it to load. If the name is misspelled, fix"
                + " switch.{}.legacy",
            sw.name(),
            className,
            sw.name(),
            sw.config().legacy(),
            sw.name());
  }

  /** Restores the original bytecode of every class this installer changed. */
  public synchronized boolean uninstall() {
    boolean countingReset = statementCounting == null || statementCounting.uninstall();
    statementCounting = null;
    if (dispatcher == null) {
      return countingReset;
    }
    boolean reset = dispatcher.close(instrumentation) && countingReset;
    dispatcher = null;
    byClass = Map.of();
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
  private final class ForSwitch {

    private final Switch sw;

    ForSwitch(Switch sw) {
      this.sw = sw;
    }

    /**
     * {@code bytes} with this switch woven in, or as they are when it does not fit (the switch is
     * then INVALID); the unified class is judged in {@code types}, which read {@code type} from
     * {@code bytes}.
     */
    byte[] weave(byte[] bytes, ClassFile type, ClassLoader loader, TypeSource types) {
      Verdict verdict = TargetCheck.judge(sw.config(), type, types);
      if (verdict.fit().isEmpty()) {
        String reason = verdict.reason() + "; calls stay on the legacy path";
        Object value =
            verdict.key().equals("legacy") ? sw.config().legacy() : sw.config().unified();
        invalid(sw, verdict.key(), value, reason);
        return bytes;
      }
      Fit fit = verdict.fit().get();
      Optional<Binding> binding = bindings.bind(sw, loader, type.name(), plan(fit));
      if (binding.isEmpty()) {
        log()
            .warn(
                "switch {}: {} in {} not instrumented: all {} route slots are taken; calls stay on"
                    + " the legacy path. Restart the JVM to free slots of unloaded class loaders.",
                sw.name(),
                type.name(),
                loader,
                io.pathswitch.bootstrap.Routes.CAPACITY);
        return bytes;
      }
      byte[] woven;
      try {
        woven =
            SwitchWeaver.weave(
                bytes,
                List.of(
                    new SwitchWeaver.Target(
                        fit.legacy().name(),
                        fit.legacy().descriptor(),
                        binding.get().id(),
                        sw.config().keyArgument().orElse(-1))));
      } catch (SwitchWeaver.Refused e) {
        String reason =
            type.name()
                + "#"
                + e.getMessage()
                + "; calls stay on the legacy path. Switch another method, or the caller of this"
                + " one";
        invalid(sw, "legacy", sw.config().legacy(), reason);
        return bytes;
      }
      transformedClasses.add(type.name());
      String line =
          String.format(
              "switch %s: instrumented %s#%s, unified %s (%s)",
              sw.name(),
              type.name(),
              TargetCheck.signature(fit.legacy()),
              sw.config().unified(),
              fit.shape().name().toLowerCase().replace('_', ' '));
      installed.add(line);
      log().info(line);
      return woven;
    }

    private Invoker.Plan plan(Fit fit) {
      return new Invoker.Plan(
          fit.unifiedType().name(),
          fit.unified().name(),
          TargetCheck.parameterNames(fit.unified()),
          fit.shape(),
          fit.legacy().parameterCount(),
          sw.config().compareWith());
    }
  }
}
