package io.pathswitch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentArgumentsTest {

  private String savedProperty;

  @BeforeEach
  void clearConfigProperty() {
    savedProperty = System.clearProperty(AgentArguments.CONFIG_PROPERTY);
  }

  @AfterEach
  void restoreConfigProperty() {
    if (savedProperty == null) {
      System.clearProperty(AgentArguments.CONFIG_PROPERTY);
    } else {
      System.setProperty(AgentArguments.CONFIG_PROPERTY, savedProperty);
    }
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  ", "\"\"", "' '"})
  void readsNothingFromNullOrBlank(String agentArgs) {
    AgentArguments arguments = AgentArguments.parse(agentArgs);

    assertThat(arguments.configPath()).isEmpty();
    assertThat(arguments.options()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/abs/pathswitch.properties",
        " /abs/pathswitch.properties ",
        "config=/abs/pathswitch.properties",
        "\"config=/abs/pathswitch.properties\"",
        "'config=/abs/pathswitch.properties'",
        "'\"config=/abs/pathswitch.properties\"'",
        "config='/abs/pathswitch.properties'",
        "config = \"/abs/pathswitch.properties\" ,",
        "\"/abs/pathswitch.properties\""
      })
  void readsConfigPathFromAnyAcceptedForm(String agentArgs) {
    AgentArguments arguments = AgentArguments.parse(agentArgs);

    assertThat(arguments.configPath()).contains("/abs/pathswitch.properties");
    assertThat(arguments.options()).isEmpty();
  }

  @Test
  void readsBarePathWithCommas() {
    AgentArguments arguments = AgentArguments.parse("/abs/a,b.properties");

    assertThat(arguments.configPath()).contains("/abs/a,b.properties");
  }

  @Test
  void readsMultiplePairsSkippingEmptyOnes() {
    AgentArguments arguments = AgentArguments.parse(",config=/x,, ");

    assertThat(arguments.configPath()).contains("/x");
  }

  @Test
  void rejectsUnknownKeyNamingKeyValueAndKnownKeys() {
    assertThatThrownBy(() -> AgentArguments.parse("config=/x,verbose=true"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown agent argument key 'verbose' with value 'true'; known keys: config");
  }

  @Test
  void rejectsPairWithoutEquals() {
    assertThatThrownBy(() -> AgentArguments.parse("config=/x,verbose"))
        .hasMessage(
            "agent argument 'verbose' is not key=value; expected key=value pairs separated by"
                + " commas, with keys config, or a bare path to the config file");
  }

  @Test
  void rejectsKeyGivenTwice() {
    assertThatThrownBy(() -> AgentArguments.parse("config=/a,config=/b"))
        .hasMessage("agent argument config is given twice, '/a' and '/b'");
  }

  @Test
  void rejectsEmptyConfig() {
    assertThatThrownBy(() -> AgentArguments.parse("config=''"))
        .hasMessage("agent argument config is empty; expected the path of the config file");
  }

  @Test
  void fallsBackToSystemPropertyWhenNoPathIsGiven() {
    System.setProperty(AgentArguments.CONFIG_PROPERTY, " /etc/pathswitch.properties ");
    try {
      AgentArguments arguments = AgentArguments.parse(null);

      assertThat(arguments.configPath()).contains("/etc/pathswitch.properties");
    } finally {
      System.clearProperty(AgentArguments.CONFIG_PROPERTY);
    }
  }

  @Test
  void prefersGivenPathOverSystemProperty() {
    System.setProperty(AgentArguments.CONFIG_PROPERTY, "/etc/pathswitch.properties");
    try {
      AgentArguments arguments = AgentArguments.parse("config=/x");

      assertThat(arguments.configPath()).contains("/x");
    } finally {
      System.clearProperty(AgentArguments.CONFIG_PROPERTY);
    }
  }

  @Test
  void ignoresBlankSystemProperty() {
    System.setProperty(AgentArguments.CONFIG_PROPERTY, " ");
    try {
      AgentArguments arguments = AgentArguments.parse("");

      assertThat(arguments.configPath()).isEmpty();
    } finally {
      System.clearProperty(AgentArguments.CONFIG_PROPERTY);
    }
  }

  @Test
  void keepsOptionsImmutable() {
    AgentArguments arguments =
        new AgentArguments(Optional.empty(), new HashMap<>(Map.of("a", "b")));

    assertThatThrownBy(() -> arguments.options().put("c", "d"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
