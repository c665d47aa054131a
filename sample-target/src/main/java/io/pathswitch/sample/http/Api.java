package io.pathswitch.sample.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.pathswitch.sample.dashboard.DashboardService;
import io.pathswitch.sample.dashboard.RepresentativeSummary;
import io.pathswitch.sample.faults.Faults;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Routes the sample's requests: the dashboard, one representative, and the fault settings. Every
 * answer, errors included, is a JSON object. Thread-safe: it holds no state of its own.
 */
final class Api implements HttpHandler {

  private static final String REPRESENTATIVE = "/api/representatives/";

  private final DashboardService service;
  private final PrintStream console;

  Api(DashboardService service, PrintStream console) {
    this.service = service;
    this.console = console;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Response response;
      try {
        response = route(exchange);
      } catch (RuntimeException e) {
        console.println(
            "sample-target: "
                + exchange.getRequestMethod()
                + " "
                + exchange.getRequestURI()
                + " failed: "
                + e);
        response = new Response(500, Documents.error(describe(e)));
      }
      send(exchange, response);
    }
  }

  private Response route(HttpExchange exchange) {
    String path = exchange.getRequestURI().getPath();
    if (!exchange.getRequestMethod().equals("GET")) {
      exchange.getResponseHeaders().set("Allow", "GET");
      return new Response(
          405, Documents.error("only GET is served, not " + exchange.getRequestMethod()));
    }
    if (path.equals("/api/dashboard")) {
      return new Response(200, Documents.dashboard(service.buildDashboard()));
    }
    if (path.startsWith(REPRESENTATIVE)) {
      return representative(path.substring(REPRESENTATIVE.length()));
    }
    if (path.equals("/admin/faults")) {
      return faults(exchange.getRequestURI().getRawQuery());
    }
    return new Response(404, Documents.error("nothing is served at " + path));
  }

  private Response representative(String idText) {
    long id;
    try {
      id = Long.parseLong(idText);
    } catch (NumberFormatException e) {
      return new Response(404, Documents.error("no representative has id '" + idText + "'"));
    }
    RepresentativeSummary summary = service.representativeSummary(id);
    if (summary == null) {
      return new Response(404, Documents.error("no representative has id " + id));
    }
    return new Response(200, Documents.summary(summary));
  }

  /** Changes the faults named in the query, leaves the others, and answers the result. */
  private Response faults(String rawQuery) {
    Faults.Settings settings = Faults.settings();
    try {
      for (Map.Entry<String, String> parameter : parameters(rawQuery).entrySet()) {
        settings = settings.with(parameter.getKey(), parameter.getValue());
      }
    } catch (IllegalArgumentException e) {
      return new Response(400, Documents.error(e.getMessage()));
    }
    Faults.set(settings);
    return new Response(200, Documents.faults(settings));
  }

  private static Map<String, String> parameters(String rawQuery) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      parameters.put(decode(name), decode(value));
    }
    return parameters;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static String describe(RuntimeException e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getName() : message;
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(response.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private record Response(int status, String body) {}
}
