package io.pathswitch.sample.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pathswitch.sample.dashboard.DashboardService;
import io.pathswitch.sample.faults.Faults;
import io.pathswitch.sample.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP API in-process, over a real server on a free port and a small H2 database. */
class ApiTest {

  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

  private final HttpClient client = HttpClient.newHttpClient();
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private TestDatabase database;
  private DashboardServer server;

  @BeforeEach
  void start() throws IOException, SQLException {
    database = TestDatabase.h2().generate(5, 3);
    server = DashboardServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    server.start(
        new DashboardService(database.dataSource()),
        new PrintStream(console, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() throws SQLException {
    Faults.clear();
    server.close();
    database.close();
  }

  @Test
  void servesEveryRepresentativeSortedById() throws Exception {
    HttpResponse<String> response = get("/api/dashboard");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=utf-8");
    assertThat(ids(response.body())).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(response.body())
        .startsWith("{\"representatives\":[{\"id\":1,\"name\":")
        .contains("\"totalSales\":\"", "\"debt\":\"", "\"code\":\"REP-00001\"");
  }

  @Test
  void servesOneRepresentativeAnd404ForAnUnknownOne() throws Exception {
    HttpResponse<String> known = get("/api/representatives/4");
    HttpResponse<String> unknown = get("/api/representatives/6");
    HttpResponse<String> notANumber = get("/api/representatives/four");

    assertThat(known.statusCode()).isEqualTo(200);
    assertThat(ids(known.body())).containsExactly(4L);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("{\"error\":\"no representative has id 6\"}");
    assertThat(notANumber.statusCode()).isEqualTo(404);
  }

  @Test
  void setsReportsAndClearsTheFaults() throws Exception {
    HttpResponse<String> set = get("/admin/faults?error-rate=0.05&delay=800ms");
    HttpResponse<String> read = get("/admin/faults");
    Faults.Settings whileSet = Faults.settings();
    HttpResponse<String> cleared = get("/admin/faults?error-rate=0&delay=0&wrong-rate=0");

    assertThat(set.body())
        .isEqualTo("{\"error-rate\":0.05,\"delay\":\"800ms\",\"wrong-rate\":0.0}");
    assertThat(read.body()).isEqualTo(set.body());
    assertThat(whileSet.errorRate()).isEqualTo(0.05);
    assertThat(cleared.body())
        .isEqualTo("{\"error-rate\":0.0,\"delay\":\"0ms\",\"wrong-rate\":0.0}");
    assertThat(Faults.settings().none()).isTrue();
  }

  @Test
  void aBadFaultIs400AndChangesNothing() throws Exception {
    HttpResponse<String> response = get("/admin/faults?delay=0&wrong-rate=2");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .isEqualTo(
            "{\"error\":\"wrong-rate was '2' but it must be a number from 0 to 1, such as 0.05\"}");
    assertThat(Faults.settings().none()).isTrue();
  }

  @Test
  void aFailingHandlerAnswers500WithAJsonErrorAndSaysSoOnTheConsole() throws Exception {
    database.execute("DROP TABLE payments");

    HttpResponse<String> response = get("/api/dashboard");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body())
        .startsWith("{\"error\":\"cannot read the summary of representative 1:");
    assertThat(console.toString(StandardCharsets.UTF_8))
        .startsWith("sample-target: GET /api/dashboard failed: ");
  }

  @Test
  void anythingElseIs404AndOtherMethodsAre405() throws Exception {
    HttpResponse<String> elsewhere = get("/api/dashboards");
    HttpResponse<String> post =
        client.send(
            request("/api/dashboard").POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(elsewhere.statusCode()).isEqualTo(404);
    assertThat(elsewhere.body()).isEqualTo("{\"error\":\"nothing is served at /api/dashboards\"}");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
  }

  private static List<Long> ids(String json) {
    Matcher matcher = ID.matcher(json);
    return matcher.results().map(match -> Long.parseLong(match.group(1))).toList();
  }
}
