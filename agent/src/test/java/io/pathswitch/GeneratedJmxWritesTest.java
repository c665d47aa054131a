package io.pathswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.pathswitch.config.Mode;
import io.pathswitch.config.Values;
import io.pathswitch.core.Switch;
import io.pathswitch.instrumentation.TestInstrumentation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import javax.management.Attribute;
import javax.management.InvalidAttributeValueException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generated JMX writes, through the platform MBeanServer to the bean of a switch of the agent
 * installed in this JVM: Percentage, Enabled and Mode with values of every kind, and {@code
 * set(assignments, source)} with generated assignments. Each write is accepted, and logged with its
 * source, or refused with a message that names the switch, the key and the value; a refused write
 * changes nothing. The only exceptions a JMX client sees are the documented refusal (an {@link
 * IllegalArgumentException}, wrapped by JMX in a {@link RuntimeMBeanException}) and JMX's own
 * {@link InvalidAttributeValueException} for a value of the wrong type. A failure names its seed;
 * {@code mvn test -Dtest=GeneratedJmxWritesTest -Dpathswitch.seed=<seed>} repeats only that one.
 */
class GeneratedJmxWritesTest {

  private static final int SEEDS = 3_000;
  private static final String NAME = "gen";
  private static final String[] KEYS = {
    "enabled", "percentage", "mode", "Enabled", " percentage ", "", "state", "percentage=", "=",
  };
  private static final String[] VALUES = {
    "true",
    "FALSE",
    " false ",
    "yes",
    "1",
    "",
    "25",
    "12.5",
    "100%",
    "0",
    "100",
    "150",
    "-1",
    "1e-5",
    "NaN",
    "Infinity",
    "25 %",
    "divert",
    "SHADOW",
    " live ",
    "off",
    "\u00fc",
    "\n",
    "\ud83d\ude00",
    "0x10",
    "99999999999999999999",
    "100.0000001",
    ",",
    "a=b",
  };
  private static final String[] SOURCES = {
    "CLI by ops@host", "", "   ", null, "ops\n[pathswitch] forged line", "\u00e9quipe",
  };

  @TempDir static Path folder;

  private static MBeanServer server;
  private static ObjectName bean;
  private static Switch sw;

  @BeforeAll
  static void installTheAgent() throws Exception {
    Path config = folder.resolve("pathswitch.properties");
    Files.write(
        config,
        List.of(
            "switch.gen.legacy = io.pathswitch.fixtures.Pricing#price",
            "switch.gen.unified = io.pathswitch.fixtures.Pricing#priceUnified",
            "switch.gen.enabled = true"));
    Pathswitch.start("config=" + config, TestInstrumentation.get(), "test");
    server = ManagementFactory.getPlatformMBeanServer();
    bean = Operator.switchName(NAME);
    await().atMost(Duration.ofSeconds(20)).until(() -> server.isRegistered(bean));
    sw = Pathswitch.current().switches().get(NAME);
  }

  @AfterAll
  static void detach() {
    Pathswitch.detach();
  }

  @BeforeEach
  void startFromKnownFlags() {
    sw.setEnabled(true, "test");
    sw.setPercentage(25, "test");
    sw.setMode(Mode.DIVERT, "test");
  }

  /** Every seed, or only {@code -Dpathswitch.seed=<seed>} to repeat one that failed. */
  static LongStream seeds() {
    String only = System.getProperty("pathswitch.seed");
    return only != null ? LongStream.of(Long.parseLong(only)) : LongStream.range(0, SEEDS);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void acceptsOrRefusesEveryWriteNamingKeyAndValueAndARefusalChangesNothing(long seed)
      throws Exception {
    Write write = Write.generate(random(seed));
    String context = "seed " + seed + ": " + write;
    Flags before = Flags.of(sw);

    Outcome outcome = write.apply();

    Flags after = Flags.of(sw);
    if (outcome.refusal == null) {
      assertThat(write.expected()).as(context + " was accepted").isNotNull();
      assertThat(after).as(context).isEqualTo(before.with(write.expected()));
      for (String line :
          write.setsEachOnce() ? before.changeLines(after, write.source()) : List.<String>of()) {
        assertThat(outcome.log).as(context).contains(line);
      }
    } else if (outcome.refusal instanceof InvalidAttributeValueException) {
      assertThat(write.wrongType).as(context + " refused for its type").isTrue();
      assertThat(after).as(context).isEqualTo(before);
    } else if (outcome.refusal instanceof RuntimeMBeanException
        && outcome.refusal.getCause() instanceof IllegalArgumentException) {
      String message = outcome.refusal.getCause().getMessage();
      assertThat(write.expected()).as(context + " refused with " + message).isNull();
      assertThat(message)
          .as(context)
          .startsWith("switch gen: " + write.refusedKey() + " = '" + write.refusedValue() + "': ")
          .matches(m -> m.contains("': expected ") || m.contains("': unknown key; "), "says why");
      assertThat(after).as(context).isEqualTo(before);
      assertThat(outcome.log).as(context).doesNotContain("switch gen: ");
    } else {
      fail("%s threw %s", context, outcome.refusal, outcome.refusal);
    }
  }

  /**
   * The generator of one seed. {@code new Random(seed)} alone will not do: over consecutive seeds
   * its first {@code nextInt(4)} is never 0 or 1, so whole kinds of writes would never be made.
   */
  static Random random(long seed) {
    return new Random(new SplittableRandom(seed).nextLong());
  }

  /** The flags and state of the switch, as an operator reads them. */
  record Flags(boolean enabled, double percentage, Mode mode, String state, String step) {

    static Flags of(Switch sw) {
      return new Flags(
          sw.enabled(), sw.percentage(), sw.mode(), sw.state().name(), sw.rolloutStep());
    }

    Flags with(Map<String, Object> changes) {
      Flags next = this;
      for (Map.Entry<String, Object> change : changes.entrySet()) {
        Object value = change.getValue();
        switch (change.getKey()) {
          case "Enabled":
            boolean on = (Boolean) value;
            next = new Flags(on, next.percentage, next.mode, on ? "ON" : "OFF", next.step);
            break;
          case "Percentage":
            next = new Flags(next.enabled, (Double) value, next.mode, next.state, next.step);
            break;
          default:
            next = new Flags(next.enabled, next.percentage, (Mode) value, next.state, next.step);
        }
      }
      return next;
    }

    /** The log lines a change from these flags to {@code after} must have written. */
    List<String> changeLines(Flags after, String source) {
      String cause = "(" + shownSource(source) + ")";
      List<String> lines = new ArrayList<>();
      if (enabled != after.enabled) {
        lines.add("switch gen: Enabled " + enabled + " -> " + after.enabled + " " + cause);
      }
      if (percentage != after.percentage) {
        lines.add(
            "switch gen: Percentage "
                + Pathswitch.percent(percentage)
                + " -> "
                + Pathswitch.percent(after.percentage)
                + " "
                + cause);
      }
      if (mode != after.mode) {
        lines.add("switch gen: Mode " + mode + " -> " + after.mode + " " + cause);
      }
      return lines;
    }

    private static String shownSource(String source) {
      if (source == null || source.isBlank()) {
        return "JMX";
      }
      return source.strip().replace("\n", "\\u000a");
    }
  }

  /** What a write did: the refusal, if any, and what the agent logged meanwhile. */
  record Outcome(Exception refusal, String log) {}

  /** One generated write: an attribute and a value, or {@code set} with assignments and source. */
  static final class Write {

    private final String attribute;
    private final Object value;
    private final String assignments;
    private final String source;
    private final boolean wrongType;

    private Write(
        String attribute, Object value, String assignments, String source, boolean wrongType) {
      this.attribute = attribute;
      this.value = value;
      this.assignments = assignments;
      this.source = source;
      this.wrongType = wrongType;
    }

    static Write generate(Random random) {
      switch (random.nextInt(4)) {
        case 0:
          return attribute("Percentage", percentage(random), random);
        case 1:
          return attribute("Enabled", random.nextBoolean(), random);
        case 2:
          return attribute("Mode", text(random), random);
        default:
          return new Write(null, null, assignments(random), pick(random, SOURCES), false);
      }
    }

    /** The attribute with {@code value}, or one time in eight with a value of the wrong type. */
    private static Write attribute(String attribute, Object value, Random random) {
      if (random.nextInt(8) == 0) {
        Object[] wrong = {"50", 50, null, List.of(), attribute.equals("Mode") ? 1.5 : "x"};
        Object other = pick(random, wrong);
        // JMX widens an Integer to a double attribute's type, as reflection does.
        boolean widened = attribute.equals("Percentage") && other instanceof Integer;
        return new Write(attribute, other, null, "JMX", !widened);
      }
      return new Write(attribute, value, null, "JMX", false);
    }

    private static double percentage(Random random) {
      double[] edges = {
        0,
        -0.0,
        100,
        100.000001,
        -1,
        150,
        1e-5,
        0.005,
        Double.MIN_VALUE,
        Double.MAX_VALUE,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        12.5,
        99.99,
      };
      return random.nextBoolean()
          ? edges[random.nextInt(edges.length)]
          : random.nextDouble() * 140 - 20;
    }

    private static String text(Random random) {
      if (random.nextInt(3) == 0) {
        String mode = pick(random, new String[] {"divert", "shadow", "live"});
        return " ".repeat(random.nextInt(2))
            + (random.nextBoolean() ? mode.toUpperCase(Locale.ROOT) : mode)
            + " ".repeat(random.nextInt(2));
      }
      if (random.nextInt(4) == 0) {
        StringBuilder garbage = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
          garbage.appendCodePoint(random.nextInt(0x2FFF));
        }
        return garbage.toString();
      }
      return pick(random, VALUES);
    }

    private static String assignments(Random random) {
      if (random.nextInt(40) == 0) {
        return null;
      }
      List<String> pairs = new ArrayList<>();
      for (int i = random.nextInt(4); i >= 0; i--) {
        String key = random.nextInt(5) == 0 ? pick(random, KEYS) : KEYS[random.nextInt(3)];
        String value = random.nextInt(3) == 0 ? text(random) : pick(random, VALUES);
        pairs.add(random.nextInt(20) == 0 ? key : key + "=" + value);
      }
      return String.join(random.nextInt(10) == 0 ? ", " : ",", pairs);
    }

    private static <T> T pick(Random random, T[] values) {
      return values[random.nextInt(values.length)];
    }

    String source() {
      return source;
    }

    /** Whether no key is set twice, so each change is logged once from the old value. */
    boolean setsEachOnce() {
      return assignments == null
          || assignments.split(",").length
              == java.util.Arrays.stream(assignments.split(","))
                  .map(pair -> pair.split("=", 2)[0].trim())
                  .distinct()
                  .count();
    }

    Outcome apply() {
      PrintStream err = System.err;
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      try {
        if (attribute != null) {
          server.setAttribute(bean, new Attribute(attribute, value));
        } else {
          server.invoke(
              bean,
              "set",
              new Object[] {assignments, source},
              new String[] {String.class.getName(), String.class.getName()});
        }
        return new Outcome(null, log.toString(StandardCharsets.UTF_8));
      } catch (Exception e) {
        return new Outcome(e, log.toString(StandardCharsets.UTF_8));
      } finally {
        System.setErr(err);
      }
    }

    /** The attributes this write sets and their values, or null when it must be refused. */
    Map<String, Object> expected() {
      Map<String, Object> changes = new LinkedHashMap<>();
      if (attribute != null) {
        Object parsed = wrongType ? null : parse(attribute, value);
        if (parsed == null) {
          return null;
        }
        changes.put(attribute, parsed);
        return changes;
      }
      if (assignments == null) {
        return null;
      }
      for (String pair : assignments.split(",")) {
        String[] keyValue = pair.split("=", 2);
        String attributeName = attributeOf(keyValue[0].trim());
        Object parsed =
            keyValue.length == 2 && attributeName != null
                ? parse(attributeName, keyValue[1].trim())
                : null;
        if (parsed == null) {
          return null;
        }
        changes.put(attributeName, parsed);
      }
      return changes;
    }

    /** The key the refusal names: the attribute, or the first assignment that fails. */
    String refusedKey() {
      if (attribute != null) {
        return attribute;
      }
      if (assignments == null) {
        return "assignments";
      }
      return firstRefused()[0].trim();
    }

    String refusedValue() {
      if (attribute != null) {
        return String.valueOf(value);
      }
      if (assignments == null) {
        return "null";
      }
      String[] pair = firstRefused();
      return pair.length == 2 ? pair[1].trim() : "";
    }

    private String[] firstRefused() {
      for (String pair : assignments.split(",")) {
        String[] keyValue = pair.split("=", 2);
        String attributeName = attributeOf(keyValue[0].trim());
        if (attributeName == null
            || keyValue.length < 2
            || parse(attributeName, keyValue[1].trim()) == null) {
          return keyValue;
        }
      }
      throw new IllegalStateException("nothing refused in " + assignments);
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
          return null;
      }
    }

    /** The value the switch must take, or null when it must refuse {@code value}. */
    private static Object parse(String attribute, Object value) {
      try {
        switch (attribute) {
          case "Enabled":
            return value instanceof Boolean ? value : Values.bool((String) value);
          case "Percentage":
            if (value instanceof Number) {
              double number = ((Number) value).doubleValue();
              return number >= 0 && number <= 100 ? number + 0.0 : null;
            }
            return Values.percentage((String) value);
          default:
            return Values.mode((String) value);
        }
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    @Override
    public String toString() {
      return attribute != null
          ? attribute + " = " + describe(value)
          : "set(" + describe(assignments) + ", " + describe(source) + ")";
    }

    private static String describe(Object value) {
      return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }
  }
}
