package io.pathswitch.sample.http;

import io.pathswitch.sample.dashboard.Dashboard;
import io.pathswitch.sample.dashboard.RepresentativeSummary;
import io.pathswitch.sample.faults.Faults;

/** The JSON documents the API answers with. */
final class Documents {

  private Documents() {}

  /** {@code {"representatives":[...]}}, one object per representative, sorted by id. */
  static String dashboard(Dashboard dashboard) {
    Json json = new Json().beginObject().name("representatives").beginArray();
    for (RepresentativeSummary summary : dashboard.representatives()) {
      summary(json, summary);
    }
    return json.endArray().endObject().toString();
  }

  static String summary(RepresentativeSummary summary) {
    return summary(new Json(), summary).toString();
  }

  static String faults(Faults.Settings settings) {
    return new Json()
        .beginObject()
        .name("error-rate")
        .value(settings.errorRate())
        .name("delay")
        .value(Faults.formatDelay(settings.delay()))
        .name("wrong-rate")
        .value(settings.wrongRate())
        .endObject()
        .toString();
  }

  static String error(String message) {
    return new Json().beginObject().name("error").value(message).endObject().toString();
  }

  private static Json summary(Json json, RepresentativeSummary summary) {
    return json.beginObject()
        .name("id")
        .value(summary.id())
        .name("name")
        .value(summary.name())
        .name("code")
        .value(summary.code())
        .name("invoiceCount")
        .value(summary.invoiceCount())
        .name("totalSales")
        .value(summary.totalSales())
        .name("lastInvoiceAt")
        .value(summary.lastInvoiceAt())
        .name("allocatedPayments")
        .value(summary.allocatedPayments())
        .name("lastPaymentAt")
        .value(summary.lastPaymentAt())
        .name("debt")
        .value(summary.debt())
        .endObject();
  }
}
