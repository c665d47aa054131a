package io.pathswitch;

import io.pathswitch.config.AgentArguments;
import io.pathswitch.config.AgentConfig;
import io.pathswitch.config.ConfigException;
import io.pathswitch.config.SwitchConfig;
import io.pathswitch.core.Bindings;
import io.pathswitch.core.Switch;
import io.pathswitch.instrumentation.BootstrapClasses;
import io.pathswitch.instrumentation.Installer;
import io.pathswitch.log.AgentLog;
import io.pathswitch.state.StateFile;
import io.pathswitch.thresholds.HeapGuard;
import io.pathswitch.time.Clock;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent while it runs in a JVM: its configuration, switches, instrumentation, JMX beans and
 * background thread. One per JVM; a second attach replaces the configuration of the running one.
 * Thread-safe: changes of configuration are serialised on the class.
 */
public final class Pathswitch {

  static final String VERSION = version();

  /**
   * The system property that tells tools the agent is installed, and which version: set while the
   * agent runs, removed by {@link #detach()}. {@code pathswitch list} reads it through the attach
   * API, which needs no JMX connector in the JVM it asks.
   */
  public static final String VERSION_PROPERTY = "pathswitch.version";

  private static final String LAUNCH = "launch";
  private static final String THREAD_NAME = "pathswitch";

  /** How long an agent whose switches are all off waits at launch before it installs them. */
  static final long QUIET_START_MILLIS = 2_000;

  private static Pathswitch current;
  private static Logger log;

  private final Instrumentation instrumentation;
  private final Clock clock;
  private final Bindings bindings = new Bindings();
  private final Map<String, Switch> switches = new LinkedHashMap<>();
  private volatile List<Switch> published = List.of();
  private final ScheduledExecutorService scheduler;
  private final Operator operator;
  private AgentConfig config;
  private AgentConfig pendingLaunch;

  /** When {@code premain} ran, by {@link #clock}; set at launch only. */
  private long launchedAtNanos;

  private boolean launched;
  private Installer installer;
  private Keeper keeper;
  private HeapGuard heapGuard;

  private Pathswitch(Instrumentation instrumentation, Clock clock) {
    this.instrumentation = instrumentation;
    this.clock = clock;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, THREAD_NAME);
              thread.setDaemon(true);
              return thread;
            });
    this.operator = new Operator(this);
  }

  static synchronized void start(String arguments, Instrumentation instrumentation, String how)
      throws IOException {
    AgentArguments parsed = AgentArguments.parse(arguments);
    if (parsed.configPath().isEmpty()) {
      AgentLog.configure("info");
      logger()
          .error(
              "installed nothing at {}: no configuration file; give"
                  + " -javaagent:pathswitch-agent.jar=config=FILE (or -Dpathswitch.config=FILE);"
                  + " the application runs untouched",
              how);
      return;
    }
    Path file = Path.of(parsed.configPath().get());
    AgentConfig config;
    try {
      config = AgentConfig.load(file);
    } catch (ConfigException e) {
      AgentLog.configure("info");
      logger().error("{}; the application runs untouched on its legacy paths", e.getMessage());
      return;
    }
    AgentLog.configure(config.logLevel());
    Optional<String> conflict = BootstrapClasses.conflict();
    if (conflict.isPresent()) {
      logger()
          .error(
              "installed nothing at {}: {}; the application runs untouched on its legacy paths",
              how,
              conflict.get());
      return;
    }
    if (current == null && how.equals(LAUNCH)) {
      Pathswitch started = new Pathswitch(instrumentation, Clock.SYSTEM);
      started.installSoon(config);
      current = started;
      return;
    }
    BootstrapClasses.inject(instrumentation);
    if (current == null) {
      Pathswitch started = new Pathswitch(instrumentation, Clock.SYSTEM);
      try {
        started.install(config, how);
      } catch (Throwable t) {
        started.abandon();
        throw t;
      }
      current = started;
    } else {
      current.finishLaunch();
      if (current == null) {
        start(arguments, instrumentation, how);
        return;
      }
      current.replace(config, instrumentation, how);
    }
    System.setProperty(VERSION_PROPERTY, VERSION);
  }

  /**
   * At launch, {@code premain} only reads the configuration; the switches are installed on the
   * agent's thread, while the application starts. Installing in {@code premain} (with Byte Buddy,
   * then) cost the sample's start about a second (issue #7).
   *
   * <p>When a switch may divert from the first call (one is enabled or has a rollout, or a state
   * file may enable one), the installation starts at once and the legacy classes that load before
   * it is done wait for it. When every switch is off, nothing can tell an early call from a later
   * one (an off switch records nothing), so the installation waits {@link #QUIET_START_MILLIS}, off
   * the application's own start, and retransforms the legacy classes loaded by then.
   */
  private void installSoon(AgentConfig next) {
    boolean mayDivert =
        next.stateFile().isPresent()
            || next.switches().stream().anyMatch(sw -> sw.enabled() || !sw.rollout().isEmpty());
    launched = true;
    launchedAtNanos = clock.nanoTime();
    installer = new Installer(instrumentation, bindings);
    if (mayDivert) {
      installer.prepare(
          next.switches().stream().map(sw -> sw.legacy().className()).collect(Collectors.toSet()));
    }
    pendingLaunch = next;
    Runnable task =
        () -> {
          synchronized (Pathswitch.class) {
            finishLaunch();
          }
        };
    scheduler.schedule(task, mayDivert ? 0 : QUIET_START_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * The milliseconds left of the application's start, {@link #QUIET_START_MILLIS} after {@code
   * premain}, during which JMX and the meters wait ({@link Operator#started}).
   */
  private long quietStartLeft() {
    if (!launched) {
      return 0;
    }
    long spent = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - launchedAtNanos);
    return Math.max(0, QUIET_START_MILLIS - spent);
  }

  /**
   * Completes now, on the calling thread, an installation that {@code premain} left to the agent's
   * thread: what an attach, reload or detach does first. Tests use it to see a launch through.
   */
  static synchronized void finishLaunchNow() {
    if (current != null) {
      current.finishLaunch();
    }
  }

  /**
   * Completes an installation begun by {@code premain}, if it has not run yet: on the agent's
   * thread, or first thing in an attach, reload or detach that comes before it. Called under the
   * class lock. An installation that fails leaves the application untouched and the agent gone.
   */
  private void finishLaunch() {
    AgentConfig next = pendingLaunch;
    if (next == null) {
      return;
    }
    pendingLaunch = null;
    try {
      BootstrapClasses.inject(instrumentation);
      install(next, LAUNCH);
      System.setProperty(VERSION_PROPERTY, VERSION);
    } catch (Throwable t) {
      abandon();
      current = null;
      logger()
          .error(
              "installed nothing at launch: {}; the application runs untouched on its legacy"
                  + " paths",
              t.toString());
      if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
        throw (VirtualMachineError) t;
      }
    }
  }

  static synchronized Pathswitch current() {
    return current;
  }

  static Logger logger() {
    if (log == null) {
      log = LoggerFactory.getLogger("pathswitch");
    }
    return log;
  }

  private void install(AgentConfig next, String how) {
    this.config = next;
    io.pathswitch.bootstrap.Statements.configure(next.jdbcCount(), next.jdbcRepeatWarning());
    for (SwitchConfig switchConfig : next.switches()) {
      switches.put(switchConfig.name(), new Switch(switchConfig, clock, operator));
    }
    published = List.copyOf(switches.values());
    keeper =
        next.stateFile()
            .map(path -> new Keeper(new StateFile(path), scheduler, this::switchesNow))
            .orElse(null);
    if (keeper != null) {
      keeper.restore(switches.values());
    } else {
      switches
          .values()
          .forEach(sw -> sw.startRollout(null, "rollout started by the configuration"));
    }
    if (installer == null) {
      installer = new Installer(instrumentation, bindings);
    }
    installer.install(switches.values());
    guardHeap(next);
    operator.started(switches.values(), scheduler, how.equals(LAUNCH) ? quietStartLeft() : 0);
    logger().info(startupLine(how));
  }

  /**
   * Undoes an installation that failed half-way (an {@link Instrumentation} that refuses, say):
   * what was instrumented is restored and nothing of the agent keeps running, so the next attach
   * starts afresh and the application runs untouched meanwhile.
   */
  private void abandon() {
    stopThread();
    try {
      if (installer != null) {
        installer.uninstall();
      }
    } catch (RuntimeException | LinkageError e) {
      logger().debug("could not restore the classes of a failed installation: {}", e.toString());
    }
    for (Switch sw : switches.values()) {
      sw.withdraw();
    }
    bindings.clear();
    if (heapGuard != null) {
      heapGuard.close();
    }
    operator.close();
  }

  /** Trips every switch when the heap in use after a collection passes guard.max-heap. */
  private void guardHeap(AgentConfig next) {
    if (heapGuard != null) {
      heapGuard.close();
      heapGuard = null;
    }
    if (next.guardMaxHeapBytes().isPresent()) {
      heapGuard =
          HeapGuard.install(
              next.guardMaxHeapBytes().getAsLong(),
              reason -> switches.values().forEach(sw -> sw.trip(reason)));
    }
  }

  /** A switch changed: keep its state, if a state file is configured. */
  void keep() {
    Keeper current = keeper;
    if (current != null) {
      current.changed();
    }
  }

  private void replace(AgentConfig next, Instrumentation fresh, String how) {
    Map<String, Switch> kept = new LinkedHashMap<>();
    List<Switch> dropped = new ArrayList<>();
    List<Switch> created = new ArrayList<>();
    for (SwitchConfig switchConfig : next.switches()) {
      Switch existing = switches.get(switchConfig.name());
      boolean sameMethods =
          existing != null
              && existing.config().legacy().equals(switchConfig.legacy())
              && existing.config().unified().equals(switchConfig.unified());
      if (sameMethods) {
        existing.reconfigure(switchConfig, "configuration replaced at " + how);
        kept.put(switchConfig.name(), existing);
      } else {
        Switch sw = new Switch(switchConfig, clock, operator);
        created.add(sw);
        kept.put(switchConfig.name(), sw);
      }
    }
    for (Switch old : switches.values()) {
      if (kept.get(old.name()) != old) {
        dropped.add(old);
      }
    }
    operator.stopped(dropped);
    if (installer != null) {
      installer.uninstall();
    }
    for (Switch old : dropped) {
      old.withdraw();
    }
    bindings.clear();
    for (Switch sw : kept.values()) {
      sw.withdraw();
    }
    switches.clear();
    switches.putAll(kept);
    published = List.copyOf(switches.values());
    if (keeper == null && next.stateFile().isPresent()) {
      keeper = new Keeper(new StateFile(next.stateFile().get()), scheduler, this::switchesNow);
    }
    config = next;
    io.pathswitch.bootstrap.Statements.configure(next.jdbcCount(), next.jdbcRepeatWarning());
    for (Switch sw : created) {
      sw.startRollout(null, "rollout started by the configuration");
    }
    installer = new Installer(fresh, bindings);
    installer.install(switches.values());
    guardHeap(next);
    logger().info(startupLine(how + " (configuration replaced)"));
    operator.started(switches.values(), scheduler, 0);
  }

  /**
   * Reads the configuration file again. Serialised with attach and detach on the one lock that
   * guards every change of configuration: a reload that raced a detach used to install the switches
   * again into an agent already detached, leaving classes changed that nothing could restore.
   */
  String reload() {
    synchronized (Pathswitch.class) {
      if (current != this) {
        throw new IllegalStateException("pathswitch was detached; there is nothing to reload");
      }
      try {
        AgentConfig next = AgentConfig.load(Path.of(config.source()));
        replace(next, instrumentation, "reload");
        return "reloaded " + config.source() + ": " + switches.keySet();
      } catch (ConfigException e) {
        logger().warn("{}; the running configuration stays", e.getMessage());
        throw new IllegalArgumentException(e.getMessage());
      }
    }
  }

  /** Takes the agent out: original bytecode back, beans unregistered, thread stopped. */
  static synchronized String detach() {
    if (current != null) {
      current.finishLaunch();
    }
    Pathswitch running = current;
    if (running == null) {
      return "pathswitch is not installed";
    }
    // The agent's thread registers beans and meters after a start; stopped first, it cannot
    // register one after they have been taken out.
    running.stopThread();
    if (running.keeper != null) {
      running.keeper.write();
    }
    if (running.heapGuard != null) {
      running.heapGuard.close();
    }
    running.operator.stopped(running.switches.values());
    boolean restored = running.installer.uninstall();
    for (Switch sw : running.switches.values()) {
      sw.withdraw();
    }
    running.bindings.clear();
    running.operator.close();
    System.clearProperty(VERSION_PROPERTY);
    current = null;
    String line =
        "pathswitch detached: "
            + (restored ? "original bytecode restored" : "some classes could not be restored")
            + "; the application runs on its legacy paths";
    logger().info(line);
    return line;
  }

  private void stopThread() {
    scheduler.shutdownNow();
    if (Thread.currentThread().getName().equals(THREAD_NAME)) {
      return; // a failed launch, on the agent's thread itself: it ends with this task
    }
    try {
      if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
        logger().warn("the pathswitch thread did not stop within 5 s; it ends with its task");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String startupLine(String how) {
    String described =
        switches.values().stream()
            .map(
                sw ->
                    String.format(
                        "%s [%s, %s, %s%s] %s -> %s",
                        sw.name(),
                        sw.state(),
                        percent(sw.percentage()),
                        sw.mode().name().toLowerCase(),
                        sw.rollout() == null
                            ? ""
                            : ", rollout of " + sw.config().rollout().size() + " steps",
                        sw.config().legacy(),
                        sw.config().unified()))
            .collect(Collectors.joining("; "));
    return String.format(
        "pathswitch %s installed at %s from %s: %d switch%s: %s",
        VERSION,
        how,
        config.source(),
        switches.size(),
        switches.size() == 1 ? "" : "es",
        described.isEmpty() ? "none" : described);
  }

  static String percent(double value) {
    return value == Math.rint(value) ? ((long) value) + " %" : value + " %";
  }

  /**
   * The switches as they are now, for the agent's thread and JMX: a copy published after each
   * change, because a reload or an attach changes the map meanwhile, and an iteration that failed
   * with a ConcurrentModificationException would end the periodic task that runs it, for good. It
   * takes no lock: detach holds the class lock while it waits for the agent's thread to stop.
   */
  List<Switch> switchesNow() {
    return published;
  }

  Map<String, Switch> switches() {
    return switches;
  }

  AgentConfig config() {
    return config;
  }

  Instrumentation instrumentation() {
    return instrumentation;
  }

  Installer installer() {
    return installer;
  }

  Clock clock() {
    return clock;
  }

  private static String version() {
    String version = Pathswitch.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  static void schedule(ScheduledExecutorService scheduler, Runnable task, long periodMillis) {
    scheduler.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }
}
