package io.pathswitch.state;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.pathswitch.rollout.Rollout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The runtime state of every switch (what operators changed while the JVM ran), kept in one file so
 * that it survives a restart.
 *
 * <p>The file is a versioned, human-readable {@code key=value} text in UTF-8:
 *
 * <pre>
 * pathswitch.state.version=1
 * switch.dashboard.enabled=true
 * switch.dashboard.percentage=25.0
 * switch.dashboard.mode=divert
 * switch.dashboard.rollout.step=1
 * switch.dashboard.rollout.elapsed-ms=4740000
 * switch.dashboard.rollout.paused=false
 * switch.dashboard.rollout.pause-reason=
 * </pre>
 *
 * <p>A key runs up to the first {@code =}; the value is everything after it, untrimmed, with {@code
 * \\}, {@code \n}, {@code \r}, {@code \t} and {@code \}{@code uXXXX} escapes (the writer escapes
 * control characters and unpaired surrogates that way), so every value reads back exactly as it was
 * written. Lines starting with {@code #} are comments.
 *
 * <p>{@link #write} replaces the file atomically: a reader sees the old file or the new one, never
 * a mix, even after a crash. The file is readable by its owner only where the file system has POSIX
 * permissions. Thread-safe: concurrent writes do not mix, and the last one to finish wins, so
 * callers that compute states on several threads must order their writes themselves.
 */
public final class StateFile {

  /** The version this agent writes and reads. */
  public static final int VERSION = 1;

  /** A file larger than this was not written by the agent; reading it could exhaust the heap. */
  static final long MAX_SIZE = 16L << 20;

  private static final String VERSION_KEY = "pathswitch.state.version";
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");
  private static final Pattern KEY = Pattern.compile("switch\\.([a-z0-9-]+)\\.(.+)");
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
  private static final Pattern COUNT = Pattern.compile("[0-9]{1,19}");

  /**
   * One switch's runtime state.
   *
   * @param name the switch's name: lower-case letters, digits and dashes
   * @param enabled whether the switch diverts anything
   * @param percentage the share of calls for the unified path, 0 to 100
   * @param mode the switch's mode as the configuration names it ({@code divert}, {@code shadow},
   *     {@code live}); kept as text, the caller checks it
   * @param rollout where its rollout stands, if it has one
   */
  public record SwitchState(
      String name,
      boolean enabled,
      double percentage,
      String mode,
      Optional<Rollout.Snapshot> rollout) {

    public SwitchState {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(rollout, "rollout");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "a switch name is lower-case letters, digits and dashes, but was '" + name + "'");
      }
      if (!(percentage >= 0 && percentage <= 100)) {
        throw new IllegalArgumentException(
            "switch " + name + ": percentage must be from 0 to 100, but was " + percentage);
      }
      if (mode.isEmpty()) {
        throw new IllegalArgumentException("switch " + name + ": mode must not be empty");
      }
      rollout.ifPresent(
          snapshot -> {
            if (snapshot.stepIndex() < 0 || snapshot.elapsedInStepMillis() < 0) {
              throw new IllegalArgumentException(
                  "switch " + name + ": rollout step and time must not be negative: " + snapshot);
            }
          });
    }
  }

  /** The state file exists but cannot be understood; the message says where and why. */
  public static final class UnreadableException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    UnreadableException(Path path, String problem) {
      super("state file " + path + " is unreadable: " + problem);
      this.path = path;
    }

    public Path path() {
      return path;
    }
  }

  private final Path path;

  public StateFile(Path path) {
    this.path = Objects.requireNonNull(path, "path").toAbsolutePath();
  }

  public Path path() {
    return path;
  }

  /**
   * Replaces the file with these states: written to a temporary file in the same directory, forced
   * to the disk, then renamed over the old file in one atomic step.
   *
   * @param states by switch name; each key must equal its state's name
   */
  public synchronized void write(Map<String, SwitchState> states) throws IOException {
    byte[] content = render(states).getBytes(UTF_8);
    Path directory = path.getParent();
    Files.createDirectories(directory);

    Path temporary = createOwnerOnly(directory);
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
      forceDirectory(directory);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * Reads every switch's state, in the order of the file.
   *
   * @return the states by switch name; empty when the file does not exist
   * @throws UnreadableException when the file's content is not a state file this agent can read
   * @throws IOException when the file cannot be read at all
   */
  public Map<String, SwitchState> read() throws IOException {
    byte[] bytes;
    try {
      long size = Files.size(path);
      if (size > MAX_SIZE) {
        throw new UnreadableException(
            path, "it holds " + size + " bytes, more than a state file ever does (16 MiB)");
      }
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return Map.of();
    }
    return parse(bytes);
  }

  /** Reads the content of this state file; package-private so tests can skip the disk. */
  Map<String, SwitchState> parse(byte[] content) throws UnreadableException {
    return new Reader(path, decode(content)).read();
  }

  @Override
  public String toString() {
    return "StateFile[" + path + "]";
  }

  static String render(Map<String, SwitchState> states) {
    StringBuilder text = new StringBuilder();
    text.append(
        "# pathswitch runtime state: written by the agent at every change, read at start.\n");
    text.append("# Edit it only while the JVM is stopped.\n");
    text.append(VERSION_KEY).append('=').append(VERSION).append('\n');

    for (Map.Entry<String, SwitchState> entry : new TreeMap<>(states).entrySet()) {
      SwitchState state = Objects.requireNonNull(entry.getValue(), entry.getKey());
      if (!entry.getKey().equals(state.name())) {
        throw new IllegalArgumentException(
            "state of switch " + state.name() + " is filed under '" + entry.getKey() + "'");
      }
      String prefix = "switch." + state.name() + ".";
      line(text, prefix + "enabled", Boolean.toString(state.enabled()));
      line(text, prefix + "percentage", Double.toString(state.percentage()));
      line(text, prefix + "mode", state.mode());
      state
          .rollout()
          .ifPresent(
              rollout -> {
                line(text, prefix + "rollout.step", Integer.toString(rollout.stepIndex()));
                line(
                    text,
                    prefix + "rollout.elapsed-ms",
                    Long.toString(rollout.elapsedInStepMillis()));
                line(text, prefix + "rollout.paused", Boolean.toString(rollout.paused()));
                line(text, prefix + "rollout.pause-reason", rollout.pauseReason());
              });
    }
    return text.toString();
  }

  private static void line(StringBuilder text, String key, String value) {
    text.append(key).append('=');
    Escapes.escape(value, text);
    text.append('\n');
  }

  private Path createOwnerOnly(Path directory) throws IOException {
    String prefix = "." + path.getFileName() + ".";
    if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      FileAttribute<?> ownerOnly =
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      return Files.createTempFile(directory, prefix, ".tmp", ownerOnly);
    }
    return Files.createTempFile(directory, prefix, ".tmp");
  }

  /** Makes the rename itself durable, where the platform allows it. */
  private static void forceDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Windows cannot open a directory as a channel; the rename is atomic all the same, only
      // its durability across a power cut is then up to the file system.
    }
  }

  private String decode(byte[] bytes) throws UnreadableException {
    CharsetDecoder decoder = UTF_8.newDecoder();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new UnreadableException(
          path, "line " + line + ": not UTF-8 text (byte offset " + in.position() + ")");
    }
    return out.flip().toString();
  }

  /** One parse of one file's text. */
  private static final class Reader {

    private final Path path;
    private final String text;
    private final Map<String, Value> values = new LinkedHashMap<>();

    Reader(Path path, String text) {
      this.path = path;
      this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    Map<String, SwitchState> read() throws UnreadableException {
      collect();
      checkVersion();

      Map<String, Map<String, Value>> bySwitch = new LinkedHashMap<>();
      for (Value value : values.values()) {
        if (value.key.equals(VERSION_KEY)) {
          continue;
        }
        var key = KEY.matcher(value.key);
        if (!key.matches() || !Fields.KNOWN.contains(key.group(2))) {
          throw problem(value.line, "unknown key " + quote(value.key));
        }
        bySwitch
            .computeIfAbsent(key.group(1), name -> new LinkedHashMap<>())
            .put(key.group(2), value);
      }

      Map<String, SwitchState> states = new LinkedHashMap<>();
      for (Map.Entry<String, Map<String, Value>> entry : bySwitch.entrySet()) {
        states.put(entry.getKey(), new Fields(entry.getKey(), entry.getValue(), this).state());
      }
      return Collections.unmodifiableMap(states);
    }

    private void collect() throws UnreadableException {
      String[] lines = text.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        int number = i + 1;
        String line =
            lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
        if (line.isBlank() || line.stripLeading().startsWith("#")) {
          continue;
        }

        int equals = line.indexOf('=');
        if (equals < 0) {
          throw problem(number, "expected key=value, found " + quote(line));
        }
        String key = line.substring(0, equals).strip();
        String raw = line.substring(equals + 1);
        Value earlier = values.get(key);
        if (earlier != null) {
          throw problem(number, key + " is given twice (first on line " + earlier.line + ")");
        }
        values.put(key, new Value(key, unescape(number, key, raw), raw, number));
      }
    }

    private void checkVersion() throws UnreadableException {
      Value version = values.get(VERSION_KEY);
      if (version == null) {
        throw problem(
            0, "it has no " + VERSION_KEY + " line, so it is not a state file this agent wrote");
      }
      if (!version.text.equals(Integer.toString(VERSION))) {
        throw problem(
            version.line,
            VERSION_KEY
                + " is "
                + quote(version.raw)
                + ", but this agent reads version "
                + VERSION);
      }
    }

    private String unescape(int line, String key, String raw) throws UnreadableException {
      try {
        return Escapes.unescape(raw);
      } catch (IllegalArgumentException e) {
        throw problem(line, key + " has " + e.getMessage());
      }
    }

    UnreadableException problem(int line, String what) {
      return new UnreadableException(path, line > 0 ? "line " + line + ": " + what : what);
    }
  }

  /** The fields of one switch, checked and turned into its state. */
  private static final class Fields {

    static final Set<String> KNOWN =
        Set.of(
            "enabled",
            "percentage",
            "mode",
            "rollout.step",
            "rollout.elapsed-ms",
            "rollout.paused",
            "rollout.pause-reason");

    private final String name;
    private final Map<String, Value> fields;
    private final Reader reader;

    Fields(String name, Map<String, Value> fields, Reader reader) {
      this.name = name;
      this.fields = fields;
      this.reader = reader;
    }

    SwitchState state() throws UnreadableException {
      boolean enabled = bool("enabled");
      double percentage = percentage();
      String mode = required("mode").text;
      if (mode.isEmpty()) {
        throw reader.problem(required("mode").line, key("mode") + " is empty, expected a mode");
      }
      return new SwitchState(name, enabled, percentage, mode, rollout());
    }

    private Optional<Rollout.Snapshot> rollout() throws UnreadableException {
      boolean any = fields.keySet().stream().anyMatch(field -> field.startsWith("rollout."));
      if (!any) {
        return Optional.empty();
      }
      long step = count("rollout.step");
      if (step > Integer.MAX_VALUE) {
        throw invalid("rollout.step", "a step number");
      }
      long elapsed = count("rollout.elapsed-ms");
      boolean paused = bool("rollout.paused");
      Value reason = fields.get("rollout.pause-reason");
      return Optional.of(
          new Rollout.Snapshot((int) step, elapsed, paused, reason == null ? "" : reason.text));
    }

    private boolean bool(String field) throws UnreadableException {
      String text = required(field).text;
      if (text.equals("true") || text.equals("false")) {
        return Boolean.parseBoolean(text);
      }
      throw invalid(field, "true or false");
    }

    private double percentage() throws UnreadableException {
      String text = required("percentage").text;
      if (NUMBER.matcher(text).matches()) {
        double percentage = Double.parseDouble(text);
        if (percentage >= 0 && percentage <= 100) {
          return percentage;
        }
      }
      throw invalid("percentage", "a number from 0 to 100");
    }

    private long count(String field) throws UnreadableException {
      String text = required(field).text;
      if (COUNT.matcher(text).matches()) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException beyondLong) {
          // Nineteen digits can exceed Long.MAX_VALUE; reported below like any other bad count.
        }
      }
      throw invalid(field, "a whole number from 0 up");
    }

    private Value required(String field) throws UnreadableException {
      Value value = fields.get(field);
      if (value == null) {
        int firstLine = fields.values().iterator().next().line;
        throw reader.problem(
            0, "switch " + name + " (line " + firstLine + ") has no " + key(field) + " line");
      }
      return value;
    }

    private UnreadableException invalid(String field, String expected) {
      Value value = fields.get(field);
      return reader.problem(
          value.line, key(field) + " is " + quote(value.raw) + ", expected " + expected);
    }

    private String key(String field) {
      return "switch." + name + "." + field;
    }
  }

  /** A value as read, unescaped, with the raw text and its line for messages. */
  private record Value(String key, String text, String raw, int line) {}

  /** Quotes text for a message, cut short when long. */
  static String quote(String text) {
    String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
    StringBuilder quoted = new StringBuilder("'");
    Escapes.escape(shown, quoted);
    return quoted.append("'").toString();
  }
}
