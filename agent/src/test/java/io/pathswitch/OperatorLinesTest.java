package io.pathswitch;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.config.AgentConfig;
import io.pathswitch.core.Switch;
import io.pathswitch.core.SwitchListener;
import io.pathswitch.time.FakeClock;
import java.time.ZoneId;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The text of the warnings that prove, or fail to prove, that a switch has an effect. */
class OperatorLinesTest {

  @Test
  void namesTheLegacyMethodAndTheLocalTimeItWasEnabledAtWhenNeverCalled() throws Exception {
    FakeClock clock = new FakeClock();
    Switch sw = dashboard(clock);

    String line = Operator.neverCalledLine(sw, sw.enabledAtMillis(), ZoneId.of("Europe/Paris"));

    assertThat(line)
        .isEqualTo(
            "switch dashboard is ON but com.example.DashboardService#buildDashboard has not been"
                + " called since 10:00:00; is it the method the application calls?");
  }

  @Test
  void quotesTheRepeatedShapeWithoutItsSelectListAndNamesTheCounter() {
    String line =
        Operator.repeatedLine(
            "dashboard",
            "legacy",
            "SELECT COUNT(*), COALESCE(SUM(amount), ?), MAX(created_at) FROM invoices WHERE"
                + " representative_id = ?",
            300);

    assertThat(line)
        .isEqualTo(
            "switch dashboard, legacy path: \"SELECT … FROM invoices WHERE representative_id = ?\""
                + " ran 300 times in one call (N+1 pattern); further calls with such a pattern are"
                + " counted in LegacyNPlusOneCalls, not logged");
  }

  private static Switch dashboard(FakeClock clock) throws Exception {
    Properties properties = new Properties();
    properties.setProperty(
        "switch.dashboard.legacy", "com.example.DashboardService#buildDashboard");
    properties.setProperty("switch.dashboard.unified", "com.example.Engine#buildDashboard");
    properties.setProperty("switch.dashboard.enabled", "true");
    AgentConfig config = AgentConfig.parse(properties, "test.properties");
    return new Switch(config.switches().get(0), clock, new SwitchListener() {});
  }
}
