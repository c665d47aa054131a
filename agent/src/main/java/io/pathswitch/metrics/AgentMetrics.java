package io.pathswitch.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.pathswitch.core.PathStats;
import io.pathswitch.core.Switch;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent's Micrometer meters, in a JMX registry of its own under the domain {@code
 * pathswitch.metrics}, so they never mix with an application's Micrometer. The meters read the
 * switches' own counters when polled: a call records nothing in Micrometer.
 */
public final class AgentMetrics implements AutoCloseable {

  public static final String DOMAIN = "pathswitch.metrics";

  private final JmxMeterRegistry registry =
      new JmxMeterRegistry(
          new JmxConfig() {
            @Override
            public String get(String key) {
              return null;
            }

            @Override
            public String domain() {
              return DOMAIN;
            }

            @Override
            public Duration step() {
              return Duration.ofSeconds(10);
            }
          },
          Clock.SYSTEM);

  public void register(Switch sw) {
    for (Map.Entry<String, PathStats> path : paths(sw).entrySet()) {
      PathStats stats = path.getValue();
      String[] tags = {"switch", sw.name(), "path", path.getKey()};
      FunctionCounter.builder("pathswitch.calls", stats, PathStats::calls)
          .tags(tags)
          .description("calls served by each path of a switch")
          .register(registry);
      FunctionTimer.builder(
              "pathswitch.latency",
              stats,
              PathStats::calls,
              PathStats::totalNanos,
              TimeUnit.NANOSECONDS)
          .tags(tags)
          .description("time spent in each path of a switch")
          .register(registry);
      FunctionCounter.builder("pathswitch.queries", stats, PathStats::statements)
          .tags(tags)
          .description("JDBC statements run inside each path of a switch")
          .register(registry);
    }
    Gauge.builder("pathswitch.state", sw, s -> s.state().ordinal())
        .tag("switch", sw.name())
        .description("0 OFF, 1 ON, 2 TRIPPED, 3 PROBING, 4 INVALID, 5 PAUSED")
        .register(registry);
  }

  public void remove(Switch sw) {
    for (Meter meter : registry.getMeters()) {
      if (sw.name().equals(meter.getId().getTag("switch"))) {
        registry.remove(meter);
      }
    }
  }

  private static Map<String, PathStats> paths(Switch sw) {
    return Map.of(
        "legacy", sw.legacyStats(),
        "unified", sw.unifiedStats(),
        "fallback", sw.fallbackStats(),
        "shadow", sw.shadowStats());
  }

  @Override
  public void close() {
    registry.close();
  }
}
