package io.pathswitch.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.rollout.Rollout;
import io.pathswitch.state.StateFile.SwitchState;
import io.pathswitch.state.StateFile.UnreadableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated state files, each from a seed. A failure names its seed; run {@code mvn test
 * -Dtest=StateFileGeneratedTest -Dpathswitch.seed=<seed>} to repeat only that one.
 */
class StateFileGeneratedTest {

  private static final int SEEDS = 1_000;
  private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-";
  private static final String[] FIELDS = {
    "enabled",
    "percentage",
    "mode",
    "rollout.step",
    "rollout.elapsed-ms",
    "rollout.paused",
    "rollout.pause-reason",
    "colour",
    ""
  };

  @TempDir Path directory;

  private StateFile file;

  @BeforeEach
  void placeTheFile() {
    file = new StateFile(directory.resolve("state.properties"));
  }

  @Test
  void readsEveryGeneratedStateBackExactly() throws IOException {
    for (long seed : seeds()) {
      Map<String, SwitchState> states = states(new Random(seed));

      Map<String, SwitchState> read = readBack(seed, StateFile.render(states).getBytes(UTF_8));

      assertThat(read).as("seed %d", seed).isEqualTo(states);
    }
  }

  @Test
  void eitherReadsOrReportsEveryDamagedFileAsUnreadable() throws IOException {
    int readable = 0;
    for (long seed : seeds()) {
      byte[] content = damaged(new Random(seed));

      Map<String, SwitchState> read;
      try {
        read = readBack(seed, content);
      } catch (UnreadableException expected) {
        assertThat(expected)
            .as("seed %d", seed)
            .hasMessageStartingWith("state file " + file.path());
        continue;
      } catch (Throwable other) {
        throw new AssertionError(
            "seed " + seed + ": read threw " + other + " instead of UnreadableException", other);
      }

      readable++;
      byte[] rewritten = StateFile.render(read).getBytes(UTF_8);
      assertThat(readBack(seed, rewritten)).as("seed %d, rewritten", seed).isEqualTo(read);
    }
    if (seeds().length == SEEDS) {
      assertThat(readable).as("some damage leaves a file readable").isPositive();
    }
  }

  /**
   * Reads the content as the state file would. One case in fifty goes through a file on disk and
   * {@link StateFile#read}; the rest are parsed directly, because two thousand files on disk take
   * seconds and cover the parser no better.
   */
  private Map<String, SwitchState> readBack(long seed, byte[] content) throws IOException {
    if (seed % 50 != 0) {
      return file.parse(content);
    }
    Files.write(file.path(), content);
    try {
      return file.read();
    } finally {
      Files.delete(file.path());
    }
  }

  private static long[] seeds() {
    String only = System.getProperty("pathswitch.seed");
    return only != null ? new long[] {Long.parseLong(only)} : LongStream.range(0, SEEDS).toArray();
  }

  /** A well-formed file, then up to three kinds of damage; one in ten is left whole. */
  private static byte[] damaged(Random random) {
    byte[] content = StateFile.render(states(random)).getBytes(UTF_8);
    int damages = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(3);
    for (int i = 0; i < damages; i++) {
      content = damage(random, content);
    }
    return content;
  }

  private static byte[] damage(Random random, byte[] content) {
    int at = content.length == 0 ? 0 : random.nextInt(content.length);
    switch (random.nextInt(11)) {
      case 0:
        if (content.length > 0) {
          content[at] = (byte) random.nextInt(256);
        }
        return content;
      case 1:
        return splice(content, at, Math.min(content.length, at + random.nextInt(20)), new byte[0]);
      case 2:
        return splice(content, at, at, bytes(random, 1 + random.nextInt(8)));
      case 3:
        return lines(random, content, Mode.DUPLICATE);
      case 4:
        return lines(random, content, Mode.DELETE);
      case 5:
        return lines(random, content, Mode.SWAP);
      case 6:
        return Arrays.copyOf(content, at);
      case 7:
        return lines(random, content, Mode.NEW_VALUE);
      case 8:
        String line =
            "switch."
                + name(random)
                + "."
                + FIELDS[random.nextInt(FIELDS.length)]
                + "="
                + text(random)
                + "\n";
        return splice(content, 0, 0, line.getBytes(UTF_8));
      case 9:
        return bytes(random, random.nextInt(200));
      default:
        String version = "pathswitch.state.version=" + (random.nextInt(4) - 1) + "\n";
        return splice(content, 0, 0, version.getBytes(UTF_8));
    }
  }

  private enum Mode {
    DUPLICATE,
    DELETE,
    SWAP,
    NEW_VALUE
  }

  private static byte[] lines(Random random, byte[] content, Mode mode) {
    List<String> lines = new ArrayList<>(Arrays.asList(new String(content, UTF_8).split("\n", -1)));
    int one = random.nextInt(lines.size());
    int other = random.nextInt(lines.size());
    switch (mode) {
      case DUPLICATE -> lines.add(other, lines.get(one));
      case DELETE -> lines.remove(one);
      case SWAP -> {
        String kept = lines.get(one);
        lines.set(one, lines.get(other));
        lines.set(other, kept);
      }
      case NEW_VALUE -> {
        String line = lines.get(one);
        int equals = line.indexOf('=');
        lines.set(one, line.substring(0, Math.max(equals + 1, 0)) + junk(random));
      }
    }
    return String.join("\n", lines).getBytes(UTF_8);
  }

  private static String junk(Random random) {
    String[] values = {
      "",
      "true",
      "TRUE",
      "1",
      "-1",
      "1e400",
      "NaN",
      "Infinity",
      "0x1p3",
      "25d",
      " 25",
      "100.0001",
      "99999999999999999999",
      "2147483648",
      "\\",
      "\\u12",
      "\\uZZZZ",
      "\\x",
      text(random)
    };
    return values[random.nextInt(values.length)];
  }

  static Map<String, SwitchState> states(Random random) {
    Map<String, SwitchState> states = new LinkedHashMap<>();
    int count = random.nextInt(5);
    for (int i = 0; i < count; i++) {
      String name = name(random);
      states.put(
          name,
          new SwitchState(
              name, random.nextBoolean(), percentage(random), mode(random), rollout(random)));
    }
    return states;
  }

  private static Optional<Rollout.Snapshot> rollout(Random random) {
    if (random.nextBoolean()) {
      return Optional.empty();
    }
    return Optional.of(
        new Rollout.Snapshot(
            random.nextInt(Integer.MAX_VALUE),
            random.nextLong() >>> (1 + random.nextInt(63)),
            random.nextBoolean(),
            text(random)));
  }

  private static double percentage(Random random) {
    double[] edges = {0, -0.0, 100, Math.nextDown(100.0), Double.MIN_VALUE, 0.1 + 0.2, 1e-300};
    return random.nextBoolean() ? random.nextDouble() * 100 : edges[random.nextInt(edges.length)];
  }

  private static String mode(Random random) {
    String mode = text(random);
    return mode.isEmpty() ? "divert" : mode;
  }

  private static String name(Random random) {
    StringBuilder name = new StringBuilder();
    int length = 1 + random.nextInt(12);
    for (int i = 0; i < length; i++) {
      name.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
    }
    return name.toString();
  }

  /** Any characters: printable, control, line breaks, escapes, pairs and lone surrogates. */
  private static String text(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(30);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(10);
      if (kind < 4) {
        text.append((char) (' ' + random.nextInt(95)));
      } else if (kind == 4) {
        text.append((char) random.nextInt(32));
      } else if (kind == 5) {
        text.append("\\=#\n\r\t".charAt(random.nextInt(6)));
      } else if (kind == 6) {
        text.appendCodePoint(0x1F600 + random.nextInt(80));
      } else if (kind == 7) {
        text.append((char) (0xD800 + random.nextInt(0x800)));
      } else {
        text.append((char) random.nextInt(0x10000));
      }
    }
    return text.toString();
  }

  private static byte[] bytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] splice(byte[] content, int from, int to, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(content, 0, from);
    out.write(insert, 0, insert.length);
    out.write(content, to, content.length - to);
    return out.toByteArray();
  }
}
