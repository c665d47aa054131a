package io.pathswitch;

import io.pathswitch.config.Mode;
import io.pathswitch.core.Switch;
import io.pathswitch.core.SwitchListener;
import io.pathswitch.core.SwitchState;
import io.pathswitch.jdbc.StatementText;
import io.pathswitch.jmx.AgentMXBean;
import io.pathswitch.jmx.SwitchBean;
import io.pathswitch.metrics.AgentMetrics;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;

/**
 * Everything the operator sees and does: the log lines, the JMX beans and notifications, the
 * Micrometer meters, and the operations that act on a switch. JMX and Micrometer are set up on the
 * agent's own thread so that they do not lengthen the application's start.
 */
final class Operator implements SwitchListener, SwitchBean.Operations {

  static final String DOMAIN = "io.pathswitch";

  private final Pathswitch agent;
  private final Map<String, SwitchBean> beans = new ConcurrentHashMap<>();
  private volatile AgentMetrics metrics;
  private volatile boolean agentBeanRegistered;
  private boolean closed;
  private volatile ScheduledFuture<?> ticking;
  private boolean registrationHeld;

  Operator(Pathswitch agent) {
    this.agent = agent;
  }

  private static Logger log() {
    return Pathswitch.logger();
  }

  /**
   * The switches are installed: register their beans and meters on the agent's thread, after {@code
   * holdMillis} if positive. At launch the agent holds them until the application's start is past:
   * the platform MBeanServer and Micrometer load some 400 classes, about 200 ms of the sample's
   * start on two cores (issue #7), and the switches work without them. A registration that waits
   * takes the switches installed when it runs, so a reload meanwhile is not undone.
   */
  synchronized void started(
      Collection<Switch> switches, ScheduledExecutorService scheduler, long holdMillis) {
    if (holdMillis > 0 || registrationHeld) {
      if (!registrationHeld) {
        registrationHeld = true;
        scheduler.schedule(this::registerHeld, holdMillis, TimeUnit.MILLISECONDS);
      }
    } else {
      Switch[] started = switches.toArray(new Switch[0]);
      scheduler.execute(() -> register(Arrays.asList(started)));
    }
    if (ticking == null) {
      ticking = scheduler.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }
  }

  /**
   * Once a second on the agent's thread: rollouts advance or hold, and a switch whose legacy method
   * is never called says so. Never throws.
   */
  private void tick() {
    for (Switch sw : agent.switchesNow()) {
      try {
        if (sw.rollout() != null && sw.enabled()) {
          sw.rollout().tick();
        }
      } catch (RuntimeException e) {
        log().warn("switch {}: the rollout could not be judged: {}", sw.name(), e.toString());
      }
      try {
        sw.checkCalled();
      } catch (RuntimeException e) {
        log().debug("switch {}: could not check its calls: {}", sw.name(), e.toString());
      }
    }
  }

  private synchronized void registerHeld() {
    registrationHeld = false;
    register(agent.switchesNow());
  }

  /**
   * Registers the agent's beans and meters. What JMX refuses (a name another MBean holds, an
   * MBeanServer whose policy forbids it) is said in one warning; the switches work regardless. A
   * name held by someone else's MBean is left to it: the agent replaces and removes only its own.
   */
  private synchronized void register(Collection<Switch> switches) {
    if (closed) {
      return;
    }
    List<String> refused = new ArrayList<>();
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      if (!agentBeanRegistered) {
        try {
          server.registerMBean(new AgentBean(), agentName());
          agentBeanRegistered = true;
        } catch (Exception e) {
          refused.add("the agent's bean " + agentName() + ": " + refusal(server, agentName(), e));
        }
      }
      for (Switch sw : switches) {
        ObjectName name = switchName(sw.name());
        try {
          if (beans.remove(sw.name()) != null && server.isRegistered(name)) {
            server.unregisterMBean(name);
          }
          SwitchBean bean = new SwitchBean(sw, this);
          server.registerMBean(bean, name);
          beans.put(sw.name(), bean);
        } catch (Exception e) {
          refused.add(
              "the bean of switch " + sw.name() + ", " + name + ": " + refusal(server, name, e));
        }
      }
    } catch (RuntimeException | LinkageError e) {
      refused.add("the platform MBeanServer: " + e);
    }
    registerMeters(switches, refused);
    if (!refused.isEmpty()) {
      log()
          .warn(
              "could not register in JMX {}; the switches work, but JMX does not show what could"
                  + " not be registered",
              String.join("; ", refused));
    }
  }

  private void registerMeters(Collection<Switch> switches, List<String> refused) {
    try {
      if (metrics == null) {
        metrics = new AgentMetrics();
      }
      for (Switch sw : switches) {
        metrics.remove(sw);
        metrics.register(sw);
      }
    } catch (RuntimeException | LinkageError e) {
      refused.add("the Micrometer meters (" + AgentMetrics.DOMAIN + "): " + e);
    }
  }

  /** Why {@code name} could not be registered; a name another MBean holds is named as such. */
  private static String refusal(MBeanServer server, ObjectName name, Exception e) {
    if (e instanceof InstanceAlreadyExistsException) {
      String holder;
      try {
        holder = server.getObjectInstance(name).getClassName();
      } catch (Exception gone) {
        holder = "another MBean";
      }
      return "the name is already registered by " + holder + ", which stays";
    }
    return e.toString();
  }

  synchronized void stopped(Collection<Switch> switches) {
    for (Switch sw : switches) {
      AgentMetrics current = metrics;
      try {
        if (current != null) {
          current.remove(sw);
        }
      } catch (RuntimeException | LinkageError e) {
        log().debug("switch {}: could not remove its meters: {}", sw.name(), e.toString());
      }
      unregister(sw.name());
    }
  }

  /** Unregisters the bean of switch {@code name} if the agent registered it. */
  private void unregister(String name) {
    if (beans.remove(name) == null) {
      return;
    }
    try {
      ObjectName objectName = switchName(name);
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      if (server.isRegistered(objectName)) {
        server.unregisterMBean(objectName);
      }
    } catch (Exception | LinkageError e) {
      log().debug("switch {}: could not unregister its JMX bean: {}", name, e.toString());
    }
  }

  /** Unregisters what is left; a registration still queued on the agent's thread does nothing. */
  synchronized void close() {
    closed = true;
    for (String name : List.copyOf(beans.keySet())) {
      unregister(name);
    }
    if (agentBeanRegistered) {
      try {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(agentName())) {
          server.unregisterMBean(agentName());
        }
      } catch (Exception | LinkageError e) {
        log().debug("could not unregister {}: {}", agentName(), e.toString());
      }
    }
    agentBeanRegistered = false;
    AgentMetrics current = metrics;
    metrics = null;
    try {
      if (current != null) {
        current.close();
      }
    } catch (RuntimeException | LinkageError e) {
      log().debug("could not close the Micrometer meters: {}", e.toString());
    }
  }

  static ObjectName switchName(String name) {
    try {
      return new ObjectName(DOMAIN + ":type=Switch,name=" + name);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static ObjectName agentName() {
    try {
      return new ObjectName(DOMAIN + ":type=Agent");
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ SwitchListener

  @Override
  public void changed(Switch sw, String attribute, Object oldValue, Object newValue, String cause) {
    if (!attribute.equals("RolloutStep")) {
      // A step's change of percentage is logged with its cause already; the step is notified only.
      log()
          .info(
              "switch {}: {} {} -> {} ({})",
              sw.name(),
              attribute,
              show(oldValue),
              show(newValue),
              cause);
    }
    notify(sw, attribute, oldValue, newValue, cause);
    agent.keep();
  }

  @Override
  public void stateChanged(Switch sw, SwitchState from, SwitchState to, String cause) {
    // INVALID was warned of where it was found, with the key and value at fault: once is enough.
    if (to == SwitchState.TRIPPED) {
      log().warn("switch {} {}: {}", sw.name(), to, cause);
    } else {
      log().info("switch {} {} -> {}: {}", sw.name(), from, to, cause);
    }
    notify(sw, "State", from.name(), to.name(), cause);
    agent.keep();
  }

  @Override
  public void thresholdsMoved(Switch sw, String from, String to, String reason) {
    if (to.equals("TRIPPED")) {
      log().warn("switch {} (PAUSED) thresholds TRIPPED: {}", sw.name(), reason);
    } else {
      log().info("switch {} (PAUSED) thresholds {} -> {}: {}", sw.name(), from, to, reason);
    }
  }

  @Override
  public void unifiedFirstRan(Switch sw, long nanos, long statements) {
    log()
        .info(
            "switch {}: the unified path {} ran for the first time ({} ms{})",
            sw.name(),
            sw.config().unified(),
            nanos / 1_000_000,
            statements >= 0 ? ", " + statements + " JDBC statements" : "");
  }

  @Override
  public void unifiedFailedFirst(Switch sw, Throwable failure, boolean fellBack) {
    log()
        .warn(
            "switch {}: the unified path {} failed: {}; {}. Further failures are counted in"
                + " UnifiedErrors, not logged",
            sw.name(),
            sw.config().unified(),
            withCauses(failure),
            fellBack ? "the legacy path answered the call" : "the caller got the exception");
  }

  /**
   * A failure with its causes: an {@code ExceptionInInitializerError} or an {@code
   * InvocationTargetException} alone does not say what broke; its cause does.
   */
  static String withCauses(Throwable failure) {
    StringBuilder text = new StringBuilder(failure.toString());
    Throwable cause = failure.getCause();
    for (int depth = 0; cause != null && cause != failure && depth < 5; depth++) {
      text.append(", caused by ").append(cause);
      failure = cause;
      cause = cause.getCause();
    }
    return text.toString();
  }

  @Override
  public void mismatch(Switch sw, Object[] args, Object legacy, Object unified, long count) {
    log()
        .warn(
            "switch {}: {} mismatch #{}: arguments {}, legacy {}, unified {}",
            sw.name(),
            sw.mode().name().toLowerCase(),
            count,
            shorten(Arrays.deepToString(args)),
            shorten(String.valueOf(legacy)),
            shorten(String.valueOf(unified)));
  }

  @Override
  public void repeatedStatements(Switch sw, String path, String shape, int times) {
    log().warn(repeatedLine(sw.name(), path, shape, times));
  }

  static String repeatedLine(String switchName, String path, String shape, int times) {
    String attribute = Character.toUpperCase(path.charAt(0)) + path.substring(1) + "NPlusOneCalls";
    return String.format(
        "switch %s, %s path: \"%s\" ran %d times in one call (N+1 pattern); further calls with"
            + " such a pattern are counted in %s, not logged",
        switchName, path, StatementText.brief(shape), times, attribute);
  }

  @Override
  public void tooManyQueries(Switch sw, long statements, int max) {
    log()
        .warn(
            "switch {}: the unified path ran {} JDBC statements in one call, more than"
                + " trip.max-queries = {}; such calls count as failed for the thresholds (said"
                + " once)",
            sw.name(),
            statements,
            max);
  }

  @Override
  public void neverCalled(Switch sw, long enabledAtMillis) {
    log().warn(neverCalledLine(sw, enabledAtMillis, ZoneId.systemDefault()));
  }

  static String neverCalledLine(Switch sw, long enabledAtMillis, ZoneId zone) {
    String since =
        DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(zone)
            .format(Instant.ofEpochMilli(enabledAtMillis));
    return "switch "
        + sw.name()
        + " is ON but "
        + sw.config().legacy()
        + " has not been called since "
        + since
        + "; is it the method the application calls?";
  }

  @Override
  public void agentProblem(Switch sw, String problem) {
    log()
        .warn(
            "switch {}: {}; the caller was not affected. Said once per switch", sw.name(), problem);
  }

  private void notify(Switch sw, String attribute, Object oldValue, Object newValue, String cause) {
    SwitchBean bean = beans.get(sw.name());
    if (bean != null) {
      bean.notifyChange(attribute, oldValue, newValue, cause);
    }
  }

  static String shorten(String text) {
    if (text.length() <= 300) {
      return text;
    }
    return text.substring(0, 300) + "… (" + text.length() + " chars)";
  }

  private static String show(Object value) {
    return value instanceof Double ? Pathswitch.percent((Double) value) : String.valueOf(value);
  }

  // ------------------------------------------------------------------ Operations

  @Override
  public void setByHand(Switch sw, String attribute, Object value, String source) {
    switch (attribute) {
      case "Enabled":
        sw.setEnabled((Boolean) value, source);
        break;
      case "Percentage":
        sw.setPercentage((Double) value, source);
        break;
      default:
        sw.setMode((Mode) value, source);
    }
  }

  @Override
  public void rollback(Switch sw, String source) {
    sw.rollback("rollback by " + source);
  }

  @Override
  public void resume(Switch sw, String source) {
    sw.resume("resume by " + source);
  }

  @Override
  public void advance(Switch sw, String source) {
    sw.advance("advance by " + source);
  }

  @Override
  public String rolloutStep(Switch sw) {
    return sw.rolloutStep();
  }

  @Override
  public void held(Switch sw, int stepIndex, String reason) {
    log().info("switch {}: rollout holds at step {}: {}", sw.name(), stepIndex + 1, reason);
  }

  /** The agent's own bean. */
  private final class AgentBean implements AgentMXBean {

    @Override
    public String getVersion() {
      return Pathswitch.VERSION;
    }

    @Override
    public String getConfigFile() {
      return agent.config().source();
    }

    @Override
    public String[] getSwitches() {
      return agent.switchesNow().stream().map(Switch::name).toArray(String[]::new);
    }

    @Override
    public String reload() {
      return agent.reload();
    }

    @Override
    public String detach() {
      return Pathswitch.detach();
    }
  }
}
