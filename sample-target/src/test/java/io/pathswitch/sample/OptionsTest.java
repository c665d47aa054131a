package io.pathswitch.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void defaultsServeAThousandRepresentativesOnPort5000FromH2() {
    Options options = Options.parse();

    assertThat(options.port()).isEqualTo(5000);
    assertThat(options.representatives()).isEqualTo(1000);
    assertThat(options.logSql()).isFalse();
    assertThat(options.embedded()).isTrue();
    assertThat(options.url()).startsWith("jdbc:h2:mem:");
  }

  @Test
  void readsValuesAfterASpaceOrAnEqualsSign() {
    Options options =
        Options.parse(
            "--port=0",
            "--representatives",
            "300",
            "--seed",
            "-7",
            "--log-sql",
            "--jdbc-url",
            "jdbc:postgresql://127.0.0.1:5432/x",
            "--jdbc-user=u",
            "--jdbc-password=p=q");

    assertThat(options)
        .isEqualTo(
            new Options(0, 300, -7, true, "jdbc:postgresql://127.0.0.1:5432/x", "u", "p=q", false));
    assertThat(options.embedded()).isFalse();
  }

  @Test
  void reportsEveryProblemOnOneLine() {
    assertThatThrownBy(
            () -> Options.parse("--bogus", "--port", "70000", "--seed", "x", "--representatives"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown option '--bogus'; --representatives needs a value; --port was '70000' but it"
                + " must be a port number from 0 to 65535; --seed was 'x' but it must be a whole"
                + " number, such as 42 (see --help)");
  }

  @Test
  void rejectsAStrayArgumentAndAUrlThatIsNotJdbc() {
    assertThatThrownBy(() -> Options.parse("serve"))
        .hasMessage("unexpected argument 'serve' (see --help)");
    assertThatThrownBy(() -> Options.parse("--jdbc-url", "postgres://x"))
        .hasMessageStartingWith("--jdbc-url was 'postgres://x' but it must be a JDBC URL");
    assertThatThrownBy(() -> Options.parse("--log-sql=yes"))
        .hasMessage("--log-sql takes no value, but was given 'yes' (see --help)");
  }

  @Test
  void helpWinsOverOtherProblems() {
    Options options = Options.parse("--bogus", "--help");

    assertThat(options.help()).isTrue();
  }
}
