package io.pathswitch.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates config files from a seed: a valid config, then a few random mutations (keys misspelled
 * or invented, values replaced by garbage, unicode or nothing, lines dropped, doubled or mangled).
 * The same seed always gives the same file.
 */
final class ConfigGenerator {

  private static final String[] NAMES = {"dashboard", "report-2", "a", "x-y-z", "0"};

  private static final String[][] VALID_SWITCH_VALUES = {
    {"enabled", "true", "false", "TRUE"},
    {"percentage", "0", "5", "12.5%", "100"},
    {"key", "arg0", "arg3"},
    {"include", "tenant-1, tenant-2", " , a,", "zoë"},
    {"mode", "divert", "shadow", "LIVE"},
    {"compare.ratio", "10%", "0.5", "1"},
    {"compare.with", "com.example.Compare#same", "a.B#c(java.lang.Object,java.lang.Object)"},
    {"fallback", "true", "false"},
    {"trip.latency", "2s", "800ms", "1h30m"},
    {"trip.slow-rate", "50%", "0.25"},
    {"trip.error-rate", "1%", "0"},
    {"trip.max-queries", "0", "5000"},
    {"trip.window", "100", "1000"},
    {"trip.min-calls", "1", "20", "100"},
    {"trip.cool-down", "0", "60s", "1d"},
    {"trip.probes", "1", "5"},
    {"health.latency", "500ms", "1s"},
    {"health.error-rate", "0.1%", "0.001"},
    {"health.query-reduction", "90%", "0.5"},
  };

  private static final String[][] VALID_AGENT_VALUES = {
    {"state.file", "state.properties", "/tmp/pathswitch/state"},
    {"guard.max-heap", "512m", "2g", "123456"},
    {"jdbc.count", "true", "false"},
    {"jdbc.repeat-warning", "2", "10"},
    {"log.level", "info", "TRACE"},
  };

  private static final String[] GARBAGE = {
    "",
    " ",
    "abc",
    "-1",
    "1e3",
    "NaN",
    "Infinity",
    "\u221e",
    "\u00fc",
    "\\u0000",
    "150",
    "100%",
    "0.5",
    "99999999999999999999",
    "5% for",
    "5% for 1h",
    "#",
    "!",
    "arg999",
    "a.B#c(",
    "a.B#c)",
    "true",
    "0",
    "1h",
    "1h30m",
    "2g",
    "\ud83d\ude00",
    "\\t",
    "divert",
    "a#b#c",
    "%",
    "5%%",
    "100% for 1h",
    "5% for 1h, 1%",
    ",,,",
    "=",
    ":",
    "\\",
    "\\u12",
    "\u2028",
    "\u0085",
    "\u00a0",
    "10000000000t",
    "99999999999999999999s",
    "a\\nb",
    "\\r",
    "arg-1",
    "999999999999999999d",
    "1d1d",
    "int[]#x",
    "java.lang.String#<init>",
  };

  private static final String SPECIAL = "=:#!\\ \t,.%$#()[]";

  private final Random random;

  ConfigGenerator(long seed) {
    this.random = new Random(seed);
  }

  /** A config file's lines, valid before {@code mutations} random changes. */
  List<String> lines(int mutations) {
    List<String> lines = random.nextInt(20) == 0 ? randomLines() : validLines();
    for (int i = 0; i < mutations; i++) {
      mutate(lines);
    }
    return lines;
  }

  /** The lines as a file's bytes: mostly UTF-8, with random line ends, now and then a BOM. */
  byte[] bytes(List<String> lines) {
    String separator = pick(new String[] {"\n", "\r\n", "\r"});
    String text = (random.nextInt(10) == 0 ? "\uFEFF" : "") + String.join(separator, lines);
    return random.nextInt(40) == 0
        ? text.getBytes(StandardCharsets.ISO_8859_1)
        : text.getBytes(StandardCharsets.UTF_8);
  }

  /** A valid config, before any mutation. */
  List<String> validLines() {
    List<String> lines = new ArrayList<>();
    int switches = 1 + random.nextInt(3);
    for (int s = 0; s < switches; s++) {
      String name = NAMES[(s + random.nextInt(NAMES.length)) % NAMES.length];
      if (lines.stream().anyMatch(line -> line.startsWith("switch." + name + "."))) {
        continue;
      }
      lines.add("switch." + name + ".legacy=com.example.Dashboard#build" + s);
      lines.add("switch." + name + ".unified = com.example.Engine#build(long,int[])");
      for (String[] key : VALID_SWITCH_VALUES) {
        if (random.nextInt(3) == 0) {
          lines.add(
              "switch." + name + "." + key[0] + "=" + key[1 + random.nextInt(key.length - 1)]);
        }
      }
      if (random.nextInt(4) == 0 && lines.stream().noneMatch(l -> l.contains(".percentage="))) {
        lines.add("switch." + name + ".rollout=5% for 1h, 25% for 2h, 100%");
      }
    }
    for (String[] key : VALID_AGENT_VALUES) {
      if (random.nextInt(3) == 0) {
        lines.add(key[0] + ": " + key[1 + random.nextInt(key.length - 1)]);
      }
    }
    if (random.nextBoolean()) {
      lines.add(random.nextInt(lines.size() + 1), "# a comment");
    }
    return lines;
  }

  private List<String> randomLines() {
    List<String> lines = new ArrayList<>();
    int count = random.nextInt(8);
    for (int i = 0; i < count; i++) {
      lines.add(randomText(1 + random.nextInt(40)));
    }
    return lines;
  }

  private void mutate(List<String> lines) {
    if (lines.isEmpty()) {
      lines.add(randomText(10));
      return;
    }
    int at = random.nextInt(lines.size());
    String line = lines.get(at);
    int equals = line.indexOf('=');
    String key = equals < 0 ? line : line.substring(0, equals);
    String value = equals < 0 ? "" : line.substring(equals + 1);
    switch (random.nextInt(11)) {
      case 0 -> lines.set(at, key + "=" + pick(GARBAGE));
      case 1 -> lines.set(at, typo(key) + "=" + value);
      case 2 -> lines.add(randomKey() + "=" + pick(GARBAGE));
      case 3 -> lines.remove(at);
      case 4 -> lines.add(key + "=" + pick(GARBAGE));
      case 5 -> lines.add(at, randomText(1 + random.nextInt(30)));
      case 6 -> lines.set(at, key + "=");
      case 7 ->
          lines.set(at, key.replace("switch." + nameIn(key), "switch." + badName()) + "=" + value);
      case 8 -> lines.set(at, key + "=" + randomText(1 + random.nextInt(20)));
      case 9 -> lines.set(at, line + "\\");
      default -> lines.set(at, key + "=" + value + pick(GARBAGE));
    }
  }

  private String randomKey() {
    return switch (random.nextInt(4)) {
      case 0 -> "switch." + pick(NAMES) + "." + randomText(1 + random.nextInt(12));
      case 1 -> "switch." + randomText(1 + random.nextInt(8)) + "." + pick(VALID_SWITCH_VALUES)[0];
      case 2 -> typo(pick(VALID_AGENT_VALUES)[0]);
      default -> randomText(1 + random.nextInt(20));
    };
  }

  private String typo(String key) {
    if (key.isEmpty()) {
      return randomText(1);
    }
    StringBuilder typo = new StringBuilder(key);
    int at = random.nextInt(key.length());
    switch (random.nextInt(3)) {
      case 0 -> typo.deleteCharAt(at);
      case 1 -> typo.insert(at, (char) ('a' + random.nextInt(26)));
      default -> typo.setCharAt(at, randomChar());
    }
    return typo.toString();
  }

  private static String nameIn(String key) {
    String[] parts = key.split("\\.", -1);
    return parts.length > 2 ? parts[1] : "";
  }

  private String badName() {
    return pick(new String[] {"Dashboard", "dash_board", "", "d\u00e9j\u00e0", "a b", "A-1"});
  }

  private String randomText(int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(randomChar());
    }
    return text.toString();
  }

  /** Mostly printable ASCII, with the characters that mean something in a properties file. */
  private char randomChar() {
    return switch (random.nextInt(6)) {
      case 0 -> SPECIAL.charAt(random.nextInt(SPECIAL.length()));
      case 1 -> (char) random.nextInt(0x20);
      case 2 -> (char) (0x80 + random.nextInt(0xFFFF - 0x80));
      default -> (char) (0x20 + random.nextInt(0x5F));
    };
  }

  private <T> T pick(T[] choices) {
    return choices[random.nextInt(choices.length)];
  }
}
