package dev.trafficctl.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The service over real HTTP on a loopback port, one server per test. */
class DemoServerTest {

  private final ObjectMapper json = new ObjectMapper();
  private final List<DemoServer> servers = new ArrayList<>();

  @AfterEach
  void stopServers() {
    servers.forEach(DemoServer::close);
  }

  private DemoClient start(String version, Behaviour behaviour) throws IOException {
    DemoServer server =
        DemoServer.start(new DemoServer.Options("127.0.0.1", 0, version, behaviour, 42L));
    servers.add(server);
    return new DemoClient(server);
  }

  private static int[] countCodes(DemoClient client, int requests) {
    int[] counts = new int[600];
    for (int i = 0; i < requests; i++) {
      counts[client.get("/api/orders/" + i).statusCode()]++;
    }
    return counts;
  }

  @Test
  void featureFlagHeadersComeBackAndOthersDoNot() throws Exception {
    DemoClient client = start("v1", Behaviour.NOMINAL);
    HttpResponse<String> response =
        client.send(
            client
                .request("/")
                .header("X-Feature-New-Ui", "enabled")
                .header("X-Other", "x")
                .GET()
                .build());
    assertEquals("enabled", response.headers().firstValue("X-Feature-New-Ui").orElseThrow());
    assertTrue(response.headers().firstValue("X-Other").isEmpty());
  }

  @Test
  void abTestUsersAreCountedOncePerVariantAndConversionsOncePerMetric() throws Exception {
    DemoClient client = start("v2", Behaviour.NOMINAL);
    for (String user : List.of("u1", "u1", "u2", "u3", "u3", "u3")) {
      HttpResponse<String> page = client.send(abTest(client, "/page", "B", user).GET().build());
      assertEquals(200, page.statusCode());
      assertEquals("B", page.headers().firstValue("X-AB-Variant").orElseThrow());
    }
    // Another test's or variant's users are their own.
    client.send(abTest(client, "/", "A", "u1").GET().build());
    // Requests without a user or with a malformed one are served, not counted.
    client.send(client.request("/").header("X-AB-Test", "new-ui").GET().build());
    client.send(abTest(client, "/", "B", "bad user").GET().build());

    assertEquals(200, convert(client, "B", "u1", "conversion_rate").statusCode());
    HttpResponse<String> again = convert(client, "B", "u1", "conversion_rate");
    assertEquals("{\"counted\":false}", again.body());
    assertEquals("{\"counted\":true}", convert(client, "B", "u1", "bounce_rate").body());
    assertEquals("{\"counted\":true}", convert(client, "B", "u2", "conversion_rate").body());
    HttpResponse<String> stranger = convert(client, "B", "u9", "conversion_rate");
    assertEquals(409, stranger.statusCode(), stranger.body());
    assertTrue(stranger.body().contains("never served variant B"), stranger.body());
    assertEquals(400, convert(client, "B", "u1", "bad metric").statusCode());
    HttpResponse<String> noTest =
        client.send(
            client
                .request("/convert?metric=conversion_rate")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());
    assertEquals(400, noTest.statusCode());
    assertTrue(noTest.body().contains("X-AB-Test"), noTest.body());
    assertEquals(405, client.get("/convert?metric=conversion_rate").statusCode());

    PrometheusText scrape = PrometheusText.parse(client.get("/metrics").body());
    String exposed = "trafficctl_ab_exposed_users_total";
    String converted = "trafficctl_ab_converted_users_total";
    assertEquals(3.0, scrape.value(exposed, Map.of("test", "new-ui", "variant", "B")).orElse(-1));
    assertEquals(1.0, scrape.value(exposed, Map.of("test", "new-ui", "variant", "A")).orElse(-1));
    assertEquals(
        2.0,
        scrape
            .value(converted, Map.of("test", "new-ui", "variant", "B", "metric", "conversion_rate"))
            .orElse(-1));
    assertEquals(
        1.0,
        scrape
            .value(converted, Map.of("test", "new-ui", "variant", "B", "metric", "bounce_rate"))
            .orElse(-1));
    // Conversions are not traffic: only the 9 page views are counted as requests.
    JsonNode stats = json.readTree(client.get("/admin/stats").body());
    assertEquals(9, stats.get("requests").asLong());
  }

  private static java.net.http.HttpRequest.Builder abTest(
      DemoClient client, String path, String variant, String user) {
    return client
        .request(path)
        .header("X-AB-Test", "new-ui")
        .header("X-AB-Variant", variant)
        .header("X-User-Id", user);
  }

  private static HttpResponse<String> convert(
      DemoClient client, String variant, String user, String metric) {
    return client.send(
        abTest(client, "/convert?metric=" + metric.replace(" ", "%20"), variant, user)
            .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
            .build());
  }

  @Test
  void answersWithItsVersionAndInstance() throws Exception {
    DemoClient client = start("v2", Behaviour.NOMINAL);
    DemoServer server = servers.get(0);

    for (String path : List.of("/", "/anything/else?x=1")) {
      HttpResponse<String> response = client.get(path);
      assertEquals(200, response.statusCode(), path);
      assertEquals("v2", response.headers().firstValue("X-Version").orElseThrow());
      assertEquals("application/json", response.headers().firstValue("Content-Type").get());
      assertTrue(response.headers().firstValue("Content-Length").isPresent(), "keep-alive");
      JsonNode body = json.readTree(response.body());
      assertEquals("v2", body.get("version").asText());
      assertEquals("127.0.0.1:" + server.port(), body.get("instance").asText());
      assertEquals(
          "{\"version\":\"v2\",\"instance\":\"127.0.0.1:" + server.port() + "\"}", response.body());
    }
  }

  @Test
  void errorRateOfHundredFailsEveryRequestAndZeroNone() throws Exception {
    DemoClient failing = start("v2", new Behaviour(100, Duration.ZERO, Duration.ZERO, true));
    DemoClient healthy = start("v1", Behaviour.NOMINAL);

    assertEquals(50, countCodes(failing, 50)[500]);
    assertEquals(50, countCodes(healthy, 50)[200]);
    HttpResponse<String> failure = failing.get("/");
    assertEquals("v2", failure.headers().firstValue("X-Version").orElseThrow());
    assertEquals("injected failure", json.readTree(failure.body()).get("error").asText());
  }

  @Test
  void errorRateOfThirtyFailsAboutThirtyPercent() throws Exception {
    DemoClient client = start("v2", new Behaviour(30, Duration.ZERO, Duration.ZERO, true));

    int[] counts = countCodes(client, 1000);

    assertEquals(1000, counts[200] + counts[500]);
    assertTrue(counts[500] >= 250 && counts[500] <= 350, "500s: " + counts[500] + " of 1000");
  }

  @Test
  void appliesTheConfiguredLatency() throws Exception {
    Duration latency = Duration.ofMillis(60);
    DemoClient client = start("v1", new Behaviour(0, latency, Duration.ofMillis(20), true));

    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      assertEquals(200, client.get("/").statusCode());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(took.compareTo(latency) >= 0, "request " + i + " took " + took);
    }
    PrometheusText metrics = PrometheusText.parse(client.get("/metrics").body());
    double sum =
        metrics.value("http_request_duration_seconds_sum", Map.of("version", "v1")).orElseThrow();
    assertTrue(sum >= 5 * 0.060, "histogram sum " + sum);
  }

  @Test
  void metricsCountEveryApplicationRequestByVersionAndCode() throws Exception {
    DemoClient client = start("v1", Behaviour.NOMINAL);
    countCodes(client, 7);
    client.post("/admin/config", "application/x-www-form-urlencoded", "error_rate=100");
    countCodes(client, 3);
    // Health, metrics and admin traffic is not the service's traffic.
    client.get("/health");
    client.get("/metrics");
    client.get("/admin/stats");

    HttpResponse<String> response = client.get("/metrics");

    assertEquals(200, response.statusCode());
    assertTrue(
        response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"),
        response.headers().toString());
    String text = response.body();
    assertTrue(text.contains("# TYPE http_requests_total counter"), text);
    assertTrue(text.contains("# TYPE http_request_duration_seconds histogram"), text);
    PrometheusText metrics = PrometheusText.parse(text);
    // The default utilization query of capacity-based server weights reads it.
    assertTrue(text.contains("# TYPE process_cpu_seconds_total counter"), text);
    assertTrue(metrics.value("process_cpu_seconds_total", Map.of()).orElseThrow() > 0, text);
    assertEquals(
        7.0,
        metrics.value("http_requests_total", Map.of("version", "v1", "code", "200")).orElseThrow());
    assertEquals(
        3.0,
        metrics.value("http_requests_total", Map.of("version", "v1", "code", "500")).orElseThrow());
    assertEquals(
        10.0,
        metrics
            .value("http_request_duration_seconds_count", Map.of("version", "v1"))
            .orElseThrow());
    assertEquals(
        10.0,
        metrics
            .value("http_request_duration_seconds_bucket", Map.of("version", "v1", "le", "+Inf"))
            .orElseThrow());
    for (double le : RequestMetrics.DURATION_BUCKETS) {
      assertTrue(
          metrics
              .value(
                  "http_request_duration_seconds_bucket",
                  Map.of("version", "v1", "le", Double.toString(le)))
              .isPresent(),
          "bucket le=" + le);
    }
  }

  @Test
  void metricsExportBothCodesAtZeroBeforeAnyRequest() throws Exception {
    DemoClient client = start("v3", Behaviour.NOMINAL);

    PrometheusText metrics = PrometheusText.parse(client.get("/metrics").body());

    for (String code : List.of("200", "500")) {
      assertEquals(
          0.0,
          metrics
              .value("http_requests_total", Map.of("version", "v3", "code", code))
              .orElseThrow());
    }
  }

  @Test
  void adminConfigChangesTheErrorRateAtRunTime() throws Exception {
    DemoClient client = start("v2", Behaviour.NOMINAL);
    assertEquals(20, countCodes(client, 20)[200]);

    HttpResponse<String> changed =
        client.post("/admin/config", "application/json", "{\"error_rate\": 100}");

    assertEquals(200, changed.statusCode(), changed.body());
    assertEquals(100.0, json.readTree(changed.body()).get("error_rate").asDouble());
    assertEquals(20, countCodes(client, 20)[500]);

    client.post("/admin/config", "application/x-www-form-urlencoded", "error_rate=0");
    assertEquals(20, countCodes(client, 20)[200]);
  }

  @Test
  void adminConfigReadsBackEveryField() throws Exception {
    DemoClient client = start("v2", Behaviour.NOMINAL);

    HttpResponse<String> changed =
        client.post(
            "/admin/config",
            "application/x-www-form-urlencoded",
            "latency=20ms&latency_jitter=5ms&healthy=false");
    JsonNode config = json.readTree(client.get("/admin/config").body());

    assertEquals(200, changed.statusCode(), changed.body());
    assertEquals("v2", config.get("version").asText());
    assertEquals(0.0, config.get("error_rate").asDouble());
    assertEquals("20ms", config.get("latency").asText());
    assertEquals("5ms", config.get("latency_jitter").asText());
    assertEquals(false, config.get("healthy").asBoolean());
  }

  @Test
  void adminConfigRefusesBadInputWithOneLineAndKeepsTheSettings() throws Exception {
    DemoClient client = start("v2", Behaviour.NOMINAL);

    HttpResponse<String> tooHigh =
        client.post("/admin/config", "application/json", "{\"error_rate\": 120}");
    HttpResponse<String> unknown =
        client.post("/admin/config", "application/x-www-form-urlencoded", "eror_rate=5");
    HttpResponse<String> badLatency =
        client.post("/admin/config", "application/json", "{\"latency\": \"fast\"}");

    assertEquals(400, tooHigh.statusCode());
    assertEquals(
        "error_rate: 120 is not a percentage (0..100)",
        json.readTree(tooHigh.body()).get("error").asText());
    assertEquals(400, unknown.statusCode());
    assertTrue(json.readTree(unknown.body()).get("error").asText().startsWith("eror_rate:"));
    assertEquals(400, badLatency.statusCode());
    assertEquals(Behaviour.NOMINAL, servers.get(0).behaviour());
  }

  @Test
  void adminStatsCountTheApplicationRequests() throws Exception {
    DemoClient client = start("v2", new Behaviour(30, Duration.ZERO, Duration.ZERO, true));
    JsonNode before = json.readTree(client.get("/admin/stats").body());
    assertEquals(0, before.get("requests").asLong());

    int[] counts = countCodes(client, 200);
    client.get("/health");
    client.get("/metrics");

    JsonNode stats = json.readTree(client.get("/admin/stats").body());
    assertEquals(200, stats.get("requests").asLong());
    assertEquals(counts[200], stats.get("by_code").get("200").asLong());
    assertEquals(counts[500], stats.get("by_code").get("500").asLong());
  }

  @Test
  void healthGoesDownAndUpOnRequest() throws Exception {
    DemoClient client = start("v1", Behaviour.NOMINAL);
    HttpResponse<String> up = client.get("/health");
    assertEquals(200, up.statusCode());
    assertEquals("ok", up.body());

    client.post("/admin/config", "application/json", "{\"healthy\": false}");
    assertEquals(503, client.get("/health").statusCode());
    // Health is what a load balancer checks; the service itself still answers.
    assertEquals(200, client.get("/").statusCode());

    client.post("/admin/config", "application/x-www-form-urlencoded", "healthy=true");
    assertEquals(200, client.get("/health").statusCode());
  }

  @Test
  void refusesMethodsTheEndpointsDoNotServe() throws Exception {
    DemoClient client = start("v1", Behaviour.NOMINAL);

    HttpResponse<String> postMetrics = client.post("/metrics", "text/plain", "x");
    HttpResponse<String> postStats = client.post("/admin/stats", "text/plain", "x");

    assertEquals(405, postMetrics.statusCode());
    assertEquals("GET, HEAD", postMetrics.headers().firstValue("Allow").orElseThrow());
    assertEquals(405, postStats.statusCode());
    assertEquals(404, client.get("/admin/nothing").statusCode());
  }
}
