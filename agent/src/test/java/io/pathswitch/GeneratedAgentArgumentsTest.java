package io.pathswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.pathswitch.config.AgentArguments;
import io.pathswitch.instrumentation.TestInstrumentation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generated agent argument strings, each from a seed: {@link AgentArguments#parse} reads each one
 * or refuses it with a message that names the key and the value; and the whole entry path, {@link
 * PathswitchAgent#premain} and {@link PathswitchAgent#agentmain}, never lets anything escape into
 * the JVM, whether the {@link Instrumentation} works, does nothing or fails on every call. An entry
 * that fails leaves no agent behind: nothing installed, no thread, no bean. A failure names its
 * seed; {@code mvn test -Dtest=GeneratedAgentArgumentsTest -Dpathswitch.seed=<seed>} repeats it.
 */
class GeneratedAgentArgumentsTest {

  private static final int SEEDS = 2_000;

  /** Fewer for the entry points: a seed that installs costs an installation and a detach. */
  private static final int ENTRY_SEEDS = 1_000;

  private static final String[] KEYS = {
    "config",
    "config",
    "Config",
    " config ",
    "conf",
    "",
    "=",
    "state.file",
    "\u00fcber",
    "config\0",
  };
  private static final String[] QUOTES = {"", "", "\"", "'", "\"'", " "};

  @TempDir static Path folder;

  private static Path goodConfig;
  private static Path badConfig;

  @BeforeAll
  static void writeConfigs() throws IOException {
    TestInstrumentation.get();
    Pathswitch.detach();
    goodConfig =
        Files.write(
            folder.resolve("good.properties"),
            List.of(
                "switch.args.legacy = io.pathswitch.fixtures.Pricing#price",
                "switch.args.unified = io.pathswitch.fixtures.Pricing#priceUnified"));
    badConfig =
        Files.write(folder.resolve("bad.properties"), List.of("switch.args.percentage = 150"));
  }

  @AfterEach
  void detach() {
    Pathswitch.detach();
  }

  /** Every seed, or only {@code -Dpathswitch.seed=<seed>} to repeat one that failed. */
  static LongStream seeds() {
    return only().orElse(LongStream.range(0, SEEDS));
  }

  static LongStream entrySeeds() {
    return only().orElse(LongStream.range(0, ENTRY_SEEDS));
  }

  private static java.util.Optional<LongStream> only() {
    return java.util.Optional.ofNullable(System.getProperty("pathswitch.seed"))
        .map(seed -> LongStream.of(Long.parseLong(seed)));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void readsOrRefusesEveryArgumentStringNamingKeyAndValue(long seed) {
    String arguments = arguments(random(seed));
    String context = "seed " + seed + ": [" + arguments + "]";

    try {
      AgentArguments parsed = AgentArguments.parse(arguments);

      assertThat(parsed.options()).as(context).isEmpty();
      assertThat(parsed.configPath()).as(context).isNotEqualTo(java.util.Optional.of(""));
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage())
          .as(context)
          .contains("agent argument")
          .satisfiesAnyOf(
              message -> assertThat(message).contains("' is not key=value"),
              message -> assertThat(message).contains("key '").contains("' with value '"),
              message -> assertThat(message).contains(" is empty; expected the path"),
              message -> assertThat(message).contains(" is given twice, '"));
    } catch (RuntimeException | Error e) {
      fail("%s threw %s", context, e);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("entrySeeds")
  void letsNothingEscapeFromTheEntryPointsAndLeavesNothingBehindAFailure(long seed) {
    Random random = random(seed);
    String arguments = arguments(random);
    Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
    String context = "seed " + seed + ": [" + arguments + "] with an instrumentation that " + kind;

    String err = entered(arguments, kind, random.nextBoolean());

    Pathswitch running = Pathswitch.current();
    if (running == null) {
      await()
          .atMost(Duration.ofSeconds(10))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(5))
          .alias(context + ": the agent's thread ends\n" + err)
          .until(() -> threadsNamedPathswitch() == 0);
    } else {
      assertThat(kind).as(context + " installed\n" + err).isNotEqualTo(Kind.FAILS);
    }
    assertThat(err.lines().filter(line -> line.contains("installed")).count())
        .as(context + " says on one line whether it installed\n" + err)
        .isOne();
  }

  /** Enters as the JVM would and returns what the agent wrote on standard error. */
  private static String entered(String arguments, Kind kind, boolean atLaunch) {
    PrintStream err = System.err;
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    System.setErr(new PrintStream(written, true, StandardCharsets.UTF_8));
    try {
      if (atLaunch) {
        PathswitchAgent.premain(arguments, kind.instrumentation());
        Pathswitch.finishLaunchNow(); // what the agent's thread does after premain
      } else {
        PathswitchAgent.agentmain(arguments, kind.instrumentation());
      }
    } catch (Throwable t) {
      fail("[%s] escaped %s", arguments, t);
    } finally {
      System.setErr(err);
    }
    return written.toString(StandardCharsets.UTF_8);
  }

  private static long threadsNamedPathswitch() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals("pathswitch") && thread.isAlive())
        .count();
  }

  /** The generator of one seed; see GeneratedJmxWritesTest for why not {@code new Random(seed)}. */
  private static Random random(long seed) {
    return new Random(new SplittableRandom(seed).nextLong());
  }

  /** An argument string: pairs, bare paths, quotes, separators and garbage, in some mix. */
  static String arguments(Random random) {
    if (random.nextInt(25) == 0) {
      return random.nextBoolean() ? null : "";
    }
    List<String> parts = new ArrayList<>();
    for (int i = random.nextInt(3); i >= 0; i--) {
      String key = KEYS[random.nextInt(KEYS.length)];
      String value = quoted(random, path(random));
      switch (random.nextInt(5)) {
        case 0:
          parts.add(value);
          break;
        case 1:
          parts.add(key);
          break;
        default:
          parts.add(key + (random.nextBoolean() ? "=" : " = ") + value);
      }
    }
    String separator = random.nextInt(6) == 0 ? ";" : random.nextBoolean() ? "," : ", ";
    return quoted(random, String.join(separator, parts));
  }

  private static String path(Random random) {
    switch (random.nextInt(10)) {
      case 0:
      case 1:
        return goodConfig.toString();
      case 2:
        return badConfig.toString();
      case 3:
        return folder.toString();
      case 4:
        return folder.resolve("missing.properties").toString();
      case 5:
        return "";
      case 6:
        return "/tmp/a,b=c";
      case 7:
        return "nul\0in/path";
      case 8:
        return "\ud83d\ude00/\u00fc.properties";
      default:
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
          text.appendCodePoint(random.nextInt(0x7F));
        }
        return text.toString();
    }
  }

  private static String quoted(Random random, String text) {
    String quote = QUOTES[random.nextInt(QUOTES.length)];
    String closing = random.nextInt(8) == 0 ? "" : new StringBuilder(quote).reverse().toString();
    return quote + text + closing;
  }

  /** Instrumentations of three kinds: the JVM's own, one that does nothing, one that fails. */
  enum Kind {
    WORKS,
    DOES_NOTHING,
    FAILS;

    Instrumentation instrumentation() {
      if (this == WORKS) {
        return TestInstrumentation.get();
      }
      return (Instrumentation)
          Proxy.newProxyInstance(
              Instrumentation.class.getClassLoader(),
              new Class<?>[] {Instrumentation.class},
              (proxy, method, args) -> {
                if (this == FAILS) {
                  throw new UnsupportedOperationException(method.getName() + " fails in this test");
                }
                Class<?> type = method.getReturnType();
                if (type == boolean.class) {
                  return method.getName().endsWith("Supported");
                }
                if (type == Class[].class) {
                  return new Class<?>[0];
                }
                if (type == long.class) {
                  return 0L;
                }
                return null;
              });
    }

    @Override
    public String toString() {
      return name().toLowerCase().replace('_', ' ');
    }
  }
}
