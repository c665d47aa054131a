package io.pathswitch.jmx;

import io.pathswitch.config.Values;
import io.pathswitch.core.PathStats;
import io.pathswitch.core.Switch;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.NotificationBroadcasterSupport;

/** The MXBean of one switch; also sends the switch's changes as JMX notifications. */
public final class SwitchBean extends NotificationBroadcasterSupport implements SwitchMXBean {

  /** What the agent does for operations that involve more than the switch (the rollout). */
  public interface Operations {
    void rollback(Switch sw, String source);

    void resume(Switch sw, String source);

    void advance(Switch sw, String source);

    void setByHand(Switch sw, String attribute, Object value, String source);

    String rolloutStep(Switch sw);
  }

  private static final String JMX = "JMX";

  private final Switch sw;
  private final Operations operations;
  private final AtomicLong sequence = new AtomicLong();

  public SwitchBean(Switch sw, Operations operations) {
    super(
        new MBeanNotificationInfo(
            new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
            AttributeChangeNotification.class.getName(),
            "a flag or the state of the switch changed"));
    this.sw = sw;
    this.operations = operations;
  }

  /** Sends one attribute change, e.g. {@code State} from ON to TRIPPED with its cause. */
  public void notifyChange(String attribute, Object oldValue, Object newValue, String cause) {
    AttributeChangeNotification notification =
        new AttributeChangeNotification(
            this,
            sequence.incrementAndGet(),
            System.currentTimeMillis(),
            "switch " + sw.name() + " " + attribute + ": " + oldValue + " -> " + newValue + " ("
                + cause + ")",
            attribute,
            newValue == null ? String.class.getName() : newValue.getClass().getName(),
            oldValue,
            newValue);
    sendNotification(notification);
  }

  @Override
  public String getLegacy() {
    return sw.config().legacy().toString();
  }

  @Override
  public String getUnified() {
    return sw.config().unified().toString();
  }

  @Override
  public boolean isEnabled() {
    return sw.enabled();
  }

  @Override
  public void setEnabled(boolean enabled) {
    operations.setByHand(sw, "Enabled", enabled, JMX);
  }

  @Override
  public double getPercentage() {
    return sw.percentage();
  }

  /**
   * Checks the number itself: its text could read {@code 1.0E-5}, which the config file's syntax
   * does not take although the value is in range.
   */
  @Override
  public void setPercentage(double percentage) {
    if (!(percentage >= 0 && percentage <= 100)) {
      throw refused("Percentage", percentage, "expected a percentage from 0 to 100");
    }
    operations.setByHand(sw, "Percentage", percentage + 0.0, JMX);
  }

  @Override
  public String getMode() {
    return sw.mode().name().toLowerCase();
  }

  @Override
  public void setMode(String mode) {
    Object value;
    try {
      value = Values.mode(String.valueOf(mode));
    } catch (IllegalArgumentException e) {
      throw refused("Mode", mode, e.getMessage());
    }
    operations.setByHand(sw, "Mode", value, JMX);
  }

  @Override
  public String getState() {
    return sw.state().name();
  }

  @Override
  public String getStateReason() {
    return sw.stateReason();
  }

  @Override
  public String getRolloutStep() {
    return operations.rolloutStep(sw);
  }

  @Override
  public long getLegacyCalls() {
    return sw.legacyStats().calls();
  }

  @Override
  public long getUnifiedCalls() {
    return sw.unifiedStats().calls();
  }

  @Override
  public long getFallbackCalls() {
    return sw.fallbackStats().calls();
  }

  @Override
  public long getUnifiedErrors() {
    return sw.unifiedErrors();
  }

  @Override
  public long getShadowCalls() {
    return sw.shadowStats().calls();
  }

  @Override
  public long getShadowMismatches() {
    return sw.mismatches();
  }

  @Override
  public double getLegacyQueriesPerCall() {
    return sw.legacyQueriesPerCall();
  }

  @Override
  public double getUnifiedQueriesPerCall() {
    return sw.unifiedQueriesPerCall();
  }

  @Override
  public double getQueryReduction() {
    return sw.queryReduction();
  }

  @Override
  public long getLegacyNPlusOneCalls() {
    return sw.legacyRepeatedCalls();
  }

  @Override
  public long getUnifiedNPlusOneCalls() {
    return sw.unifiedRepeatedCalls();
  }

  @Override
  public String getLegacyLastCallAt() {
    return lastCallAt(sw.legacyStats());
  }

  @Override
  public String getUnifiedLastCallAt() {
    return lastCallAt(sw.unifiedStats());
  }

  private static String lastCallAt(PathStats stats) {
    if (!stats.called()) {
      return "never";
    }
    long agoMillis = (System.nanoTime() - stats.lastCallNanos()) / 1_000_000;
    return Instant.ofEpochMilli(System.currentTimeMillis() - agoMillis).toString();
  }

  @Override
  public void rollback() {
    operations.rollback(sw, JMX);
  }

  @Override
  public void resume() {
    operations.resume(sw, JMX);
  }

  @Override
  public void advance() {
    operations.advance(sw, JMX);
  }

  @Override
  public void reset() {
    sw.reset("reset over " + JMX);
  }

  @Override
  public String rollback(String source) {
    operations.rollback(sw, sourceOf(source));
    return stateLine();
  }

  @Override
  public String resume(String source) {
    operations.resume(sw, sourceOf(source));
    return stateLine();
  }

  @Override
  public String advance(String source) {
    operations.advance(sw, sourceOf(source));
    return stateLine();
  }

  private String stateLine() {
    return sw.state() + " " + sw.stateReason();
  }

  @Override
  public String set(String assignments, String source) {
    if (assignments == null) {
      throw refused("assignments", null, "expected key=value pairs such as percentage=25");
    }
    Map<String, Object> parsed = new LinkedHashMap<>();
    for (String assignment : assignments.split(",")) {
      String[] pair = assignment.split("=", 2);
      String key = pair[0].trim();
      String value = pair.length == 2 ? pair[1].trim() : "";
      try {
        parsed.put(attributeOf(key), parse(key, value));
      } catch (IllegalArgumentException e) {
        throw refused(key, value, e.getMessage());
      }
    }
    String who = sourceOf(source);
    parsed.forEach((attribute, value) -> operations.setByHand(sw, attribute, value, who));
    return stateLine();
  }

  /** The refusal of a write; it names the switch, the key and the value, and changes nothing. */
  private IllegalArgumentException refused(String key, Object value, String expected) {
    return new IllegalArgumentException(
        "switch " + sw.name() + ": " + key + " = '" + value + "': " + expected);
  }

  /**
   * Who asked, as the log shows it: {@code JMX} when a client gave nothing, control characters
   * escaped so that a source cannot forge log lines.
   */
  static String sourceOf(String source) {
    if (source == null || source.isBlank()) {
      return JMX;
    }
    StringBuilder shown = new StringBuilder();
    source
        .strip()
        .codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
              } else {
                shown.appendCodePoint(c);
              }
            });
    return shown.toString();
  }

  private static String attributeOf(String key) {
    switch (key) {
      case "enabled":
        return "Enabled";
      case "percentage":
        return "Percentage";
      case "mode":
        return "Mode";
      default:
        throw new IllegalArgumentException(
            "unknown key; the keys that can be set are enabled, percentage and mode");
    }
  }

  private static Object parse(String key, String value) {
    switch (key) {
      case "enabled":
        return Values.bool(value);
      case "percentage":
        return Values.percentage(value);
      default:
        return Values.mode(value);
    }
  }
}
