package io.pathswitch.sample.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.sample.dashboard.Dashboard;
import io.pathswitch.sample.dashboard.RepresentativeSummary;
import io.pathswitch.sample.faults.Faults;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    String json = new Json().value("say \"hi\"\\\n\t\u0001\u2028é").toString();

    assertThat(json).isEqualTo("\"say \\\"hi\\\"\\\\\\n\\t\\u0001\\u2028é\"");
  }

  @Test
  void separatesMembersAndElementsWithCommas() {
    String json =
        new Json()
            .beginObject()
            .name("a")
            .value(1)
            .name("b")
            .beginArray()
            .value("x")
            .value((String) null)
            .beginObject()
            .endObject()
            .endArray()
            .name("c")
            .value(0.5)
            .endObject()
            .toString();

    assertThat(json).isEqualTo("{\"a\":1,\"b\":[\"x\",null,{}],\"c\":0.5}");
  }

  @Test
  void writesAmountsAsDecimalStringsAndTimesAsIsoOrNull() {
    RepresentativeSummary summary =
        new RepresentativeSummary(
            7,
            "Zoë \"Z\" O'Neill",
            "REP-00007",
            2,
            new BigDecimal("1234.5"),
            Instant.parse("2024-03-01T10:15:00Z"),
            BigDecimal.ZERO,
            null,
            new BigDecimal("-0.10"));

    String json = Documents.dashboard(new Dashboard(List.of(summary)));

    assertThat(json)
        .isEqualTo(
            "{\"representatives\":[{\"id\":7,\"name\":\"Zoë \\\"Z\\\" O'Neill\","
                + "\"code\":\"REP-00007\",\"invoiceCount\":2,\"totalSales\":\"1234.50\","
                + "\"lastInvoiceAt\":\"2024-03-01T10:15:00Z\",\"allocatedPayments\":\"0.00\","
                + "\"lastPaymentAt\":null,\"debt\":\"-0.10\"}]}");
  }

  @Test
  void writesFaultSettingsUnderTheirParameterNames() {
    String json = Documents.faults(new Faults.Settings(0.05, Duration.ofMillis(800), 0));

    assertThat(json).isEqualTo("{\"error-rate\":0.05,\"delay\":\"800ms\",\"wrong-rate\":0.0}");
  }
}
