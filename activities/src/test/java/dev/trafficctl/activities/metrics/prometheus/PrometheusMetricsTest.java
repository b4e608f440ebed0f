package dev.trafficctl.activities.metrics.prometheus;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.activities.AllowedHosts;
import dev.trafficctl.activities.Catalogs;
import dev.trafficctl.config.catalog.MetricsSource;
import dev.trafficctl.workflows.ports.ConversionCounts;
import dev.trafficctl.workflows.ports.ConversionQuery;
import dev.trafficctl.workflows.ports.MetricsQuery;
import dev.trafficctl.workflows.ports.MetricsSample;
import dev.trafficctl.workflows.ports.UtilizationQuery;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against MockWebServer answering as Prometheus 2.x's HTTP API does. */
class PrometheusMetricsTest {

  private static final Instant NOW = Instant.parse("2024-11-27T09:33:20.123Z");
  private static final String SELECTOR = "job=\"api\",version=\"{{version}}\"";

  /** Timeouts short enough for the never-answering case, with room for a slow first answer. */
  private static final OkHttpClient CLIENT =
      new OkHttpClient.Builder()
          .connectTimeout(Duration.ofSeconds(2))
          .readTimeout(Duration.ofSeconds(2))
          .callTimeout(Duration.ofSeconds(3))
          .build();

  private MockWebServer prometheus;
  private final PrometheusMetrics metrics =
      new PrometheusMetrics(CLIENT, PromQlTemplates.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

  @BeforeEach
  void start() throws IOException {
    prometheus = new MockWebServer();
    prometheus.start();
  }

  @AfterEach
  void stop() throws IOException {
    prometheus.shutdown();
  }

  /** An instant vector with one series, as {@code sum(...)} returns it. */
  private static MockResponse oneSeries(String value) {
    return ok(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
            + "[{\"metric\":{},\"value\":[1732700000.123,\""
            + value
            + "\"]}]}}");
  }

  private static MockResponse noSeries() {
    return ok("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
  }

  private static MockResponse ok(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  private MetricsQuery query(MetricsSource source, Duration window, double percentile) {
    return new MetricsQuery("api", "production", "v2", source, window, percentile);
  }

  private MetricsSource source(List<String> failureStatus) {
    return Catalogs.prometheus(prometheus.url("/").toString(), SELECTOR, failureStatus);
  }

  private List<RecordedRequest> requests(int n) throws InterruptedException {
    List<RecordedRequest> recorded = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      recorded.add(prometheus.takeRequest(1, TimeUnit.SECONDS));
    }
    return recorded;
  }

  private static String promql(RecordedRequest request) {
    HttpUrl url = request.getRequestUrl();
    return url.queryParameter("query");
  }

  @Test
  void sendsTheDefaultPromQlAndParsesTheSample() throws InterruptedException {
    prometheus.enqueue(oneSeries("1234.5"));
    prometheus.enqueue(oneSeries("12.3"));
    prometheus.enqueue(oneSeries("0.2125"));

    MetricsSample sample = metrics.sample(query(source(null), Duration.ofMinutes(5), 95));

    assertEquals(new MetricsSample(1235, 12, 212.5, Duration.ofMinutes(5)), sample);
    List<RecordedRequest> sent = requests(3);
    assertEquals(
        "sum(increase(http_requests_total{job=\"api\",version=\"v2\"}[5m]))", promql(sent.get(0)));
    assertEquals(
        "sum(increase(http_requests_total{job=\"api\",version=\"v2\",code=~\"5..\"}[5m]))",
        promql(sent.get(1)));
    assertEquals(
        "histogram_quantile(0.95, sum by (le) "
            + "(rate(http_request_duration_seconds_bucket{job=\"api\",version=\"v2\"}[5m])))",
        promql(sent.get(2)));
    for (RecordedRequest request : sent) {
      assertEquals("GET", request.getMethod());
      assertEquals("/api/v1/query", request.getRequestUrl().encodedPath());
      assertEquals("1732700000.123", request.getRequestUrl().queryParameter("time"));
    }
  }

  @Test
  void failureStatusBecomesACodeRegexAndTheWindowPrometheusDurationSyntax()
      throws InterruptedException {
    prometheus.enqueue(oneSeries("3000"));
    prometheus.enqueue(oneSeries("42"));
    prometheus.enqueue(oneSeries("0.5"));

    MetricsSample sample =
        metrics.sample(
            query(source(List.of("5xx", "429")), Duration.ofMinutes(90).plusNanos(7), 99.9));

    assertEquals(new MetricsSample(3000, 42, 500.0, Duration.ofMinutes(90)), sample);
    List<RecordedRequest> sent = requests(3);
    assertEquals(
        "sum(increase(http_requests_total{job=\"api\",version=\"v2\"}[1h30m]))",
        promql(sent.get(0)));
    assertEquals(
        "sum(increase(http_requests_total{job=\"api\",version=\"v2\",code=~\"5..|429\"}[1h30m]))",
        promql(sent.get(1)));
    assertTrue(promql(sent.get(2)).startsWith("histogram_quantile(0.999, "), promql(sent.get(2)));
  }

  @Test
  void anAddressWithAPathPrefixKeepsIt() throws InterruptedException {
    prometheus.enqueue(oneSeries("1"));
    prometheus.enqueue(oneSeries("0"));
    prometheus.enqueue(oneSeries("0.1"));
    MetricsSource behindProxy =
        Catalogs.prometheus(prometheus.url("/prometheus").toString(), SELECTOR, null);

    metrics.sample(query(behindProxy, Duration.ofSeconds(30), 50));

    RecordedRequest first = requests(1).get(0);
    assertEquals("/prometheus/api/v1/query", first.getRequestUrl().encodedPath());
    assertTrue(promql(first).endsWith("[30s]))"), promql(first));
  }

  @Test
  void noSeriesMeansNoRequestsAndNoLatency() {
    prometheus.enqueue(noSeries());
    prometheus.enqueue(noSeries());
    prometheus.enqueue(noSeries());

    MetricsSample sample = metrics.sample(query(source(null), Duration.ofMinutes(5), 95));

    assertEquals(new MetricsSample(0, 0, null, Duration.ofMinutes(5)), sample);
  }

  @Test
  void aNaNLatencyIsNoLatency() {
    prometheus.enqueue(oneSeries("0"));
    prometheus.enqueue(oneSeries("0"));
    prometheus.enqueue(oneSeries("NaN"));

    MetricsSample sample = metrics.sample(query(source(null), Duration.ofMinutes(5), 95));

    assertEquals(0, sample.requests());
    assertNull(sample.latencyMillis());
  }

  @Test
  void aLatencyAboveTheLargestBucketIsInfinite() {
    prometheus.enqueue(oneSeries("10"));
    prometheus.enqueue(oneSeries("0"));
    prometheus.enqueue(oneSeries("+Inf"));

    MetricsSample sample = metrics.sample(query(source(null), Duration.ofMinutes(5), 99));

    assertEquals(Double.POSITIVE_INFINITY, sample.latencyMillis());
  }

  @Test
  void failuresNeverExceedRequests() {
    // increase() extrapolates each series on its own; rounding can put failures above requests.
    prometheus.enqueue(oneSeries("9.6"));
    prometheus.enqueue(oneSeries("10.4"));
    prometheus.enqueue(oneSeries("0.2"));

    MetricsSample sample = metrics.sample(query(source(null), Duration.ofMinutes(5), 95));

    assertEquals(10, sample.requests());
    assertEquals(10, sample.failures());
  }

  @Test
  void warningsInASuccessfulAnswerAreTolerated() {
    prometheus.enqueue(
        ok(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                + "[{\"metric\":{},\"value\":[1732700000.123,\"7\"]}]},"
                + "\"warnings\":[\"PromQL info: metric might not be a counter\"]}"));
    prometheus.enqueue(noSeries());
    prometheus.enqueue(oneSeries("0.05"));

    assertEquals(7, metrics.sample(query(source(null), Duration.ofMinutes(5), 95)).requests());
  }

  @Test
  void anEmptyFailureStatusCountsNoFailuresWithoutAsking() throws InterruptedException {
    prometheus.enqueue(oneSeries("50"));
    prometheus.enqueue(oneSeries("0.1"));

    MetricsSample sample = metrics.sample(query(source(List.of()), Duration.ofMinutes(5), 95));

    assertEquals(new MetricsSample(50, 0, 100.0, Duration.ofMinutes(5)), sample);
    assertTrue(promql(requests(2).get(1)).startsWith("histogram_quantile("));
  }

  @Test
  void aServerErrorFromPrometheusIsRetryable() {
    prometheus.enqueue(
        new MockResponse()
            .setResponseCode(503)
            .setBody(
                "{\"status\":\"error\",\"errorType\":\"timeout\","
                    + "\"error\":\"query timed out in expression evaluation\"}"));

    PrometheusUnavailableException failure =
        assertThrows(
            PrometheusUnavailableException.class,
            () -> metrics.sample(query(source(null), Duration.ofMinutes(5), 95)));
    assertTrue(
        failure.getMessage().contains("HTTP 503")
            && failure.getMessage().contains("query timed out in expression evaluation (timeout)"),
        failure.getMessage());
  }

  @Test
  void aQueryPrometheusRejectsIsInvalidConfigurationWithItsMessage() {
    String error =
        "invalid parameter \\\"query\\\": 1:28: parse error: unexpected identifier \\\"bogus\\\"";
    prometheus.enqueue(
        new MockResponse()
            .setResponseCode(400)
            .setHeader("Content-Type", "application/json")
            .setBody(
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"" + error + "\"}"));
    PrometheusMetrics custom =
        new PrometheusMetrics(
            CLIENT,
            new PromQlTemplates(
                "sum(increase(requests{${selector}}[${window}]) bogus)", null, null),
            Clock.fixed(NOW, ZoneOffset.UTC));

    String message =
        assertInvalidConfiguration(
            () -> custom.sample(query(source(null), Duration.ofMinutes(5), 95)));
    assertTrue(
        message.contains(
            "rejected the query sum(increase(requests{job=\"api\",version=\"v2\"}[5m]) bogus): "
                + "invalid parameter \"query\": 1:28: parse error: unexpected identifier \"bogus\""
                + " (bad_data)"),
        message);
    assertEquals(1, prometheus.getRequestCount(), "not retried");
  }

  @Test
  void anUnreachablePrometheusIsRetryable() throws IOException {
    String address = prometheus.url("/").toString();
    prometheus.shutdown();

    PrometheusUnavailableException failure =
        assertThrows(
            PrometheusUnavailableException.class,
            () ->
                metrics.sample(
                    query(
                        Catalogs.prometheus(address, SELECTOR, null), Duration.ofMinutes(5), 95)));
    assertTrue(failure.getMessage().contains("is unreachable"), failure.getMessage());
  }

  @Test
  void aPrometheusThatNeverAnswersTimesOutRetryably() {
    prometheus.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

    assertThrows(
        PrometheusUnavailableException.class,
        () -> metrics.sample(query(source(null), Duration.ofMinutes(5), 95)));
  }

  @Test
  void somethingOtherThanJsonIsRetryable() {
    prometheus.enqueue(ok("<html><body>502 Bad Gateway</body></html>"));

    PrometheusUnavailableException failure =
        assertThrows(
            PrometheusUnavailableException.class,
            () -> metrics.sample(query(source(null), Duration.ofMinutes(5), 95)));
    assertTrue(failure.getMessage().contains("502 Bad Gateway"), failure.getMessage());
  }

  @Test
  void severalSeriesAreInvalidConfiguration() {
    prometheus.enqueue(
        ok(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"instance\":\"a\"},\"value\":[1732700000.123,\"1\"]},"
                + "{\"metric\":{\"instance\":\"b\"},\"value\":[1732700000.123,\"2\"]}]}}"));

    String message =
        assertInvalidConfiguration(
            () -> metrics.sample(query(source(null), Duration.ofMinutes(5), 95)));
    assertTrue(message.contains("returned 2 series"), message);
  }

  @Test
  void selectorsThatWouldInjectPromQlAreRefusedBeforeAnythingIsSent() {
    for (String selector :
        List.of(
            "job=\"api\"}) or vector(1) # {{version}}",
            "job=\"api\",version=\"{{version}}\"} or up{",
            "version={{version}}",
            "job=\"api\"",
            "")) {
      MetricsSource bad = Catalogs.prometheus(prometheus.url("/").toString(), selector, null);
      assertInvalidConfiguration(() -> metrics.sample(query(bad, Duration.ofMinutes(5), 95)));
    }
    assertInvalidConfiguration(
        () ->
            metrics.sample(
                new MetricsQuery(
                    "api",
                    "production",
                    "v2\"} or up{x=\"",
                    source(null),
                    Duration.ofMinutes(5),
                    95)));
    assertEquals(0, prometheus.getRequestCount());
  }

  @Test
  void selectorShapes() {
    assertEquals(
        "job=\"api\",version=~\"v2|v2-.*\"",
        PrometheusMetrics.selectorFor("job=\"api\",version=~\"{{version}}|{{version}}-.*\"", "v2"));
    assertEquals(
        "job='api', version=\"v2\"",
        PrometheusMetrics.selectorFor(" job='api', version=\"{{version}}\", ", "v2"));
    assertEquals(
        "path!~\"/health\\\"\",version=\"v2\"",
        PrometheusMetrics.selectorFor("path!~\"/health\\\"\",version=\"{{version}}\"", "v2"));
  }

  @Test
  void aBadFailureStatusOrAddressIsInvalidConfiguration() {
    assertInvalidConfiguration(
        () -> metrics.sample(query(source(List.of("5xx", "5..")), Duration.ofMinutes(5), 95)));
    assertInvalidConfiguration(
        () ->
            metrics.sample(
                query(
                    Catalogs.prometheus("not a url", SELECTOR, null), Duration.ofMinutes(5), 95)));
  }

  @Test
  void quantiles() {
    assertEquals("0.95", PrometheusMetrics.quantile(95));
    assertEquals("0.999", PrometheusMetrics.quantile(99.9));
    assertEquals("0.5", PrometheusMetrics.quantile(50));
    assertEquals("1", PrometheusMetrics.quantile(100));
  }

  @Test
  void utilizationAsksOncePerServerWithTheDefaultQuery() throws InterruptedException {
    prometheus.enqueue(oneSeries("92.04"));
    prometheus.enqueue(noSeries());
    prometheus.enqueue(oneSeries("NaN"));
    prometheus.enqueue(oneSeries("-0.5"));
    List<String> servers =
        List.of("127.0.0.1:18081", "127.0.0.1:18082", "127.0.0.1:18083", "api-3.internal:8080");

    Map<String, Double> utilization =
        metrics.utilization(
            new UtilizationQuery(
                "api", "production", source(null), servers, Duration.ofMinutes(2)));

    assertEquals(Map.of("127.0.0.1:18081", 92.04, "api-3.internal:8080", 0.0), utilization);
    List<RecordedRequest> sent = requests(4);
    assertEquals(
        "100 * sum(rate(process_cpu_seconds_total{instance=\"127.0.0.1:18081\"}[2m]))",
        promql(sent.get(0)));
    assertEquals(
        "100 * sum(rate(process_cpu_seconds_total{instance=\"api-3.internal:8080\"}[2m]))",
        promql(sent.get(3)));
    assertEquals("1732700000.123", sent.get(0).getRequestUrl().queryParameter("time"));
  }

  @Test
  void utilizationUsesTheCatalogsQuery() throws InterruptedException {
    prometheus.enqueue(oneSeries("40"));
    MetricsSource source =
        new MetricsSource(
            dev.trafficctl.config.catalog.MetricsProviderType.PROMETHEUS,
            prometheus.url("/").toString(),
            SELECTOR,
            null,
            null,
            "avg(busy_ratio{target=\"{{server}}\"}[{{window}}]) * 100",
            null);

    assertEquals(
        Map.of("127.0.0.1:18081", 40.0),
        metrics.utilization(
            new UtilizationQuery(
                "api", "production", source, List.of("127.0.0.1:18081"), Duration.ofSeconds(90))));
    assertEquals(
        "avg(busy_ratio{target=\"127.0.0.1:18081\"}[1m30s]) * 100", promql(requests(1).get(0)));
  }

  @Test
  void aServerThatCouldEndTheLabelValueIsRefused() {
    assertInvalidConfiguration(
        () ->
            metrics.utilization(
                new UtilizationQuery(
                    "api",
                    "production",
                    source(null),
                    List.of("127.0.0.1:1\"} or vector(1) #"),
                    Duration.ofMinutes(2))));
    assertEquals(0, prometheus.getRequestCount());
  }

  private ConversionQuery conversions(String metric) {
    return new ConversionQuery(
        "frontend", "production", source(null), "new-ui", metric, List.of("A", "B"));
  }

  @Test
  void conversionsAreUserCountersSummedPerVariantSinceTheTestBegan() throws InterruptedException {
    prometheus.enqueue(oneSeries("10234"));
    prometheus.enqueue(oneSeries("1211"));
    prometheus.enqueue(oneSeries("10102.0"));
    prometheus.enqueue(oneSeries("1375"));

    ConversionCounts counts = metrics.conversions(conversions("conversion_rate"));

    assertEquals(
        new ConversionCounts(
            "conversion_rate",
            Map.of(
                "A", new ConversionCounts.UserCounts(10234, 1211),
                "B", new ConversionCounts.UserCounts(10102, 1375))),
        counts);
    assertEquals(List.of("A", "B"), List.copyOf(counts.variants().keySet()));
    List<RecordedRequest> sent = requests(4);
    assertEquals(
        "sum(trafficctl_ab_exposed_users_total{job=\"api\",test=\"new-ui\",variant=\"A\"})",
        promql(sent.get(0)));
    assertEquals(
        "sum(trafficctl_ab_converted_users_total"
            + "{job=\"api\",test=\"new-ui\",variant=\"A\",metric=\"conversion_rate\"})",
        promql(sent.get(1)));
    assertEquals(
        "sum(trafficctl_ab_exposed_users_total{job=\"api\",test=\"new-ui\",variant=\"B\"})",
        promql(sent.get(2)));
    for (RecordedRequest request : sent) {
      assertEquals("/api/v1/query", request.getRequestUrl().encodedPath());
      assertEquals("1732700000.123", request.getRequestUrl().queryParameter("time"));
    }
  }

  /**
   * A/B counters are read where the catalog's selector points, whichever version serves a variant:
   * its matchers but those of {@code {{version}}}.
   */
  @Test
  void conversionsAreScopedByTheSelectorWithoutItsVersionMatchers() {
    assertEquals("job=\"api\"", PrometheusMetrics.scopeOf(SELECTOR));
    assertEquals(
        "job = \"a,b\",env=~\"prod|stage\"",
        PrometheusMetrics.scopeOf(
            " version=\"{{version}}\", job = \"a,b\" ,env=~\"prod|stage\",version!~\"x-{{version}}\","));
    assertEquals("", PrometheusMetrics.scopeOf("version=\"{{version}}\""));
    assertInvalidConfiguration(() -> PrometheusMetrics.scopeOf("job=\"api\"} or vector(1) #"));
  }

  @Test
  void noSeriesIsNobodyAndConvertedUsersNeverExceedExposedOnes() {
    prometheus.enqueue(noSeries());
    prometheus.enqueue(noSeries());
    prometheus.enqueue(oneSeries("40"));
    prometheus.enqueue(oneSeries("41"));

    ConversionCounts counts = metrics.conversions(conversions("bounce_rate"));

    assertEquals(new ConversionCounts.UserCounts(0, 0), counts.variants().get("A"));
    assertEquals(new ConversionCounts.UserCounts(40, 40), counts.variants().get("B"));
  }

  @Test
  void conversionsFromAnUnavailablePrometheusAreRetryable() {
    prometheus.enqueue(new MockResponse().setResponseCode(503).setBody("overloaded"));
    assertThrows(
        PrometheusUnavailableException.class,
        () -> metrics.conversions(conversions("conversion_rate")));
  }

  @Test
  void aTestNameThatCouldEndTheLabelValueIsRefused() {
    assertInvalidConfiguration(
        () ->
            metrics.conversions(
                new ConversionQuery(
                    "frontend",
                    "production",
                    source(null),
                    "x\"} or vector(1) #",
                    "conversion_rate",
                    List.of("A", "B"))));
    assertEquals(0, prometheus.getRequestCount());
  }

  @Test
  void aPrometheusOnAHostTheWorkerDoesNotAllowIsRefusedUnasked() {
    String message =
        assertInvalidConfiguration(
            () ->
                metrics.sample(
                    query(
                        Catalogs.prometheus("http://169.254.169.254:80/", SELECTOR, null),
                        Duration.ofMinutes(5),
                        95)));
    assertTrue(
        message.startsWith(
            "api (production): metrics.address reaches 169.254.169.254:80, not a host this worker"
                + " may reach"),
        message);
  }

  @Test
  void aPrometheusOnAnAllowedHostIsAsked() throws Exception {
    // The mock server answers on loopback; list it by name and port as a worker would list its
    // Prometheus, and the check lets it through to the query.
    String address = "http://localhost:" + prometheus.getPort() + "/";
    prometheus.enqueue(oneSeries("10"));
    prometheus.enqueue(oneSeries("0"));
    prometheus.enqueue(oneSeries("0.1"));
    PrometheusMetrics listed =
        new PrometheusMetrics(
            CLIENT,
            PromQlTemplates.defaults(),
            Clock.fixed(NOW, ZoneOffset.UTC),
            AllowedHosts.of(List.of("localhost:" + prometheus.getPort())));
    MetricsSample sample =
        listed.sample(
            query(Catalogs.prometheus(address, SELECTOR, null), Duration.ofMinutes(5), 95));
    assertEquals(10, sample.requests());
    assertEquals(3, prometheus.getRequestCount());
  }
}
