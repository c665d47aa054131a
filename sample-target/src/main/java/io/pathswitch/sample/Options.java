package io.pathswitch.sample;

import io.pathswitch.sample.data.DataGenerator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of the sample, parsed once. Immutable.
 *
 * <p>Every option takes its value as the next argument or after {@code =}: {@code --port 5000} and
 * {@code --port=5000} are the same.
 */
record Options(
    int port,
    int representatives,
    long seed,
    boolean logSql,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    boolean help) {

  static final int DEFAULT_PORT = 5000;
  static final Set<String> FLAGS = Set.of("--log-sql", "--help");
  static final Set<String> WITH_VALUE =
      Set.of(
          "--port", "--representatives", "--seed", "--jdbc-url", "--jdbc-user", "--jdbc-password");
  static final int MAX_REPRESENTATIVES = 1_000_000;

  /**
   * The embedded database: in memory, kept until the JVM exits rather than until the last close.
   */
  static final String EMBEDDED_URL = "jdbc:h2:mem:pathswitch-sample;DB_CLOSE_DELAY=-1";

  static final String USAGE =
      """
      Usage: java -jar sample-target.jar [options]

      Serves a finance dashboard over generated data at http://127.0.0.1:<port>/api/dashboard.

        --port N               port on 127.0.0.1 to serve on (default 5000; 0 picks a free one)
        --representatives N    representatives to generate, 0 to 1000000 (default 1000)
        --seed S               seed of the generated data (default 20240601)
        --log-sql              print every statement run, one line each, beginning 'Query: '
        --jdbc-url URL         database to use instead of the embedded H2 one, such as
                               jdbc:postgresql://127.0.0.1:5432/pathswitch; its tables
                               representatives, invoices and payments are dropped and recreated
        --jdbc-user USER       user for --jdbc-url
        --jdbc-password PW     password for --jdbc-url
        --help                 print this help and exit

      Endpoints: GET /api/dashboard, GET /api/representatives/{id},
                 GET /admin/faults?error-rate=0.05&delay=800ms&wrong-rate=0
      Exit code 2: a bad option, a port in use, or a database that cannot be reached.
      """;

  /**
   * Reads the command line.
   *
   * @throws IllegalArgumentException with a one-line message naming every bad option and value
   */
  static Options parse(String... args) {
    Map<String, String> values = new HashMap<>();
    Set<String> flags = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      int equals = arg.indexOf('=');
      String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
      String inline = name.equals(arg) ? null : arg.substring(equals + 1);
      if (FLAGS.contains(name)) {
        if (inline != null) {
          problems.add(name + " takes no value, but was given '" + inline + "'");
        }
        flags.add(name);
      } else if (!WITH_VALUE.contains(name)) {
        problems.add(
            (arg.startsWith("-") ? "unknown option '" : "unexpected argument '") + arg + "'");
      } else if (inline != null) {
        values.put(name, inline);
      } else if (i + 1 < args.length) {
        values.put(name, args[++i]);
      } else {
        problems.add(name + " needs a value");
      }
    }

    Options options =
        new Options(
            number(
                values, "--port", DEFAULT_PORT, 65_535, "a port number from 0 to 65535", problems),
            number(
                values,
                "--representatives",
                DataGenerator.DEFAULT_REPRESENTATIVES,
                MAX_REPRESENTATIVES,
                "a whole number from 0 to 1000000",
                problems),
            seed(values.get("--seed"), problems),
            flags.contains("--log-sql"),
            jdbcUrl(values.get("--jdbc-url"), problems),
            values.get("--jdbc-user"),
            values.get("--jdbc-password"),
            flags.contains("--help"));
    if (!problems.isEmpty() && !options.help()) {
      throw new IllegalArgumentException(String.join("; ", problems) + " (see --help)");
    }
    return options;
  }

  /** True when the data lives in the embedded database rather than at {@code --jdbc-url}. */
  boolean embedded() {
    return jdbcUrl == null;
  }

  String url() {
    return embedded() ? EMBEDDED_URL : jdbcUrl;
  }

  private static int number(
      Map<String, String> values,
      String name,
      int defaultValue,
      int max,
      String expected,
      List<String> problems) {
    String value = values.get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      int number = Integer.parseInt(value.trim());
      if (number >= 0 && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name + " was '" + value + "' but it must be " + expected);
    return defaultValue;
  }

  private static long seed(String value, List<String> problems) {
    if (value == null) {
      return DataGenerator.DEFAULT_SEED;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      problems.add("--seed was '" + value + "' but it must be a whole number, such as 42");
      return DataGenerator.DEFAULT_SEED;
    }
  }

  private static String jdbcUrl(String value, List<String> problems) {
    if (value != null && !value.startsWith("jdbc:")) {
      problems.add(
          "--jdbc-url was '"
              + value
              + "' but it must be a JDBC URL such as jdbc:postgresql://127.0.0.1:5432/pathswitch");
    }
    return value;
  }
}
