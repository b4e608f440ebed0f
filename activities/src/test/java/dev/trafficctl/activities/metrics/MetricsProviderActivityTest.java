package dev.trafficctl.activities.metrics;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.activities.Catalogs;
import dev.trafficctl.activities.metrics.nginxlog.NginxLogMetrics;
import dev.trafficctl.config.catalog.MetricsProviderType;
import dev.trafficctl.config.catalog.MetricsSource;
import dev.trafficctl.workflows.ports.ConversionQuery;
import dev.trafficctl.workflows.ports.MetricsQuery;
import dev.trafficctl.workflows.ports.MetricsSample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsProviderActivityTest {

  private final List<MetricsQuery> asked = new ArrayList<>();
  private final MetricsSample answer = new MetricsSample(100, 1, 120.0, Duration.ofMinutes(5));
  private final MetricsProviderActivity metrics =
      new MetricsProviderActivity(
          Map.of(
              MetricsProviderType.PROMETHEUS,
              query -> {
                asked.add(query);
                return answer;
              }));

  private static MetricsQuery query(
      MetricsSource source, String version, Duration window, double p) {
    return new MetricsQuery("api", "production", version, source, window, p);
  }

  private static final MetricsSource PROMETHEUS =
      Catalogs.prometheus("http://127.0.0.1:9090", "job=\"api\",version=\"{{version}}\"", null);

  @Test
  void handsTheQueryToTheReaderOfTheCatalogProvider() {
    MetricsQuery query = query(PROMETHEUS, "v2", Duration.ofMinutes(5), 95);
    assertSame(answer, metrics.sample(query));
    assertEquals(List.of(query), asked);
  }

  @Test
  void nginxLogIsNotAvailableInThisBuild() {
    MetricsSource nginxLog =
        new MetricsSource(
            MetricsProviderType.NGINX_LOG, null, null, "/var/log/nginx/api.json", null);
    String message =
        assertInvalidConfiguration(
            () -> metrics.sample(query(nginxLog, "v2", Duration.ofMinutes(5), 95)));
    assertEquals(
        "api (production): the nginx-log metrics provider is not available in this build", message);
    assertTrue(asked.isEmpty());
  }

  @Test
  void utilizationNeedsPrometheus() {
    MetricsSource nginxLog =
        new MetricsSource(
            MetricsProviderType.NGINX_LOG, null, null, "/var/log/nginx/api.json", null);
    MetricsProviderActivity withLogs =
        new MetricsProviderActivity(
            java.util.Map.of(
                MetricsProviderType.NGINX_LOG,
                new MetricsReader() {
                  @Override
                  public MetricsSample sample(MetricsQuery q) {
                    throw new AssertionError("not asked");
                  }
                }));
    String message =
        assertInvalidConfiguration(
            () ->
                withLogs.utilization(
                    new dev.trafficctl.workflows.ports.UtilizationQuery(
                        "api",
                        "production",
                        nginxLog,
                        List.of("127.0.0.1:18081"),
                        Duration.ofMinutes(5))));
    assertEquals(
        "api (production): server utilization needs the prometheus metrics provider, not"
            + " nginx-log",
        message);
  }

  @Test
  void conversionsNeedPrometheus() {
    MetricsSource nginxLog =
        new MetricsSource(
            MetricsProviderType.NGINX_LOG, null, null, "/var/log/nginx/api.json", null);
    MetricsProviderActivity withLogs =
        new MetricsProviderActivity(
            Map.of(MetricsProviderType.NGINX_LOG, new NginxLogMetrics(Path.of("."))));
    String message =
        assertInvalidConfiguration(
            () ->
                withLogs.conversions(
                    new ConversionQuery(
                        "api",
                        "production",
                        nginxLog,
                        "new-ui",
                        "conversion_rate",
                        List.of("A", "B"))));
    assertEquals(
        "api (production): A/B test conversions need the prometheus metrics provider, not"
            + " nginx-log",
        message);
  }

  @Test
  void conversionQueriesThatCouldNotBeLabelValuesAreRefusedBeforeTheReader() {
    for (ConversionQuery bad :
        List.of(
            new ConversionQuery(
                "api", "production", PROMETHEUS, "new\"ui", "conversion_rate", List.of("A", "B")),
            new ConversionQuery(
                "api", "production", PROMETHEUS, "new-ui", "rate\"}", List.of("A", "B")),
            new ConversionQuery(
                "api", "production", PROMETHEUS, "new-ui", "conversion_rate", List.of("A")),
            new ConversionQuery(
                "api", "production", PROMETHEUS, "new-ui", "conversion_rate", List.of("A", "B\"")),
            new ConversionQuery("api", "production", PROMETHEUS, null, "x", List.of("A", "B")))) {
      assertInvalidConfiguration(() -> metrics.conversions(bad));
    }
  }

  @Test
  void aMissingSourceBadWindowBadPercentileOrBadVersionIsInvalidConfiguration() {
    assertInvalidConfiguration(() -> metrics.sample(query(null, "v2", Duration.ofMinutes(5), 95)));
    assertInvalidConfiguration(() -> metrics.sample(query(PROMETHEUS, "v2", Duration.ZERO, 95)));
    assertInvalidConfiguration(() -> metrics.sample(query(PROMETHEUS, "v2", null, 95)));
    assertInvalidConfiguration(
        () -> metrics.sample(query(PROMETHEUS, "v2", Duration.ofMinutes(5), 0)));
    assertInvalidConfiguration(
        () -> metrics.sample(query(PROMETHEUS, "v2", Duration.ofMinutes(5), 101)));
    assertInvalidConfiguration(
        () -> metrics.sample(query(PROMETHEUS, "v2\"}", Duration.ofMinutes(5), 95)));
    assertTrue(asked.isEmpty());
  }
}
