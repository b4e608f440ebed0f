package dev.trafficctl.activities.metrics.nginxlog;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.activities.ConfinedPaths;
import dev.trafficctl.config.catalog.MetricsProviderType;
import dev.trafficctl.config.catalog.MetricsSource;
import dev.trafficctl.workflows.ports.MetricsQuery;
import dev.trafficctl.workflows.ports.MetricsSample;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against access logs written the way nginx writes them with {@code escape=json}. */
class NginxLogMetricsTest {

  private static final long NOW = 1_732_700_000_123L;
  private static final Duration WINDOW = Duration.ofMinutes(5);
  private static final long START = NOW - WINDOW.toMillis();
  private static final String LOG = "nginx/access.json";

  @TempDir Path base;

  private NginxLogMetrics metrics() {
    return new NginxLogMetrics(base, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
  }

  private static MetricsSource source(List<String> failureStatus) {
    return new MetricsSource(MetricsProviderType.NGINX_LOG, null, null, LOG, failureStatus);
  }

  private static MetricsQuery query(String version, double percentile) {
    return query(version, source(null), percentile);
  }

  private static MetricsQuery query(String version, MetricsSource source, double percentile) {
    return new MetricsQuery("api", "production", version, source, WINDOW, percentile);
  }

  /** A line as nginx's {@code log_format ... escape=json} writes it: every value a string. */
  static String line(long epochMillis, String status, String requestTime, String pool) {
    return "{\"time\":\""
        + seconds(epochMillis)
        + "\",\"remote_addr\":\"127.0.0.1\",\"request\":\"GET /api/items?id=7 HTTP/1.1\","
        + "\"status\":\""
        + status
        + "\",\"request_time\":\""
        + requestTime
        + "\",\"upstream_addr\":\"127.0.0.1:18083\",\"upstream_status\":\""
        + status
        + "\",\"pool\":\""
        + pool
        + "\"}";
  }

  static String seconds(long epochMillis) {
    return String.format(Locale.ROOT, "%d.%03d", epochMillis / 1000, epochMillis % 1000);
  }

  private Path write(List<String> lines) throws IOException {
    Path file = base.resolve(LOG);
    Files.createDirectories(file.getParent());
    Files.write(file, lines, UTF_8);
    return file;
  }

  @Test
  void countsOneVersionsRequestsAndFailuresInTheWindow() throws IOException {
    write(
        List.of(
            line(START - 60_000, "500", "0.100", "v2"), // before the window
            line(START + 1_000, "200", "0.010", "v2"),
            line(START + 2_000, "200", "0.020", "v1"),
            line(START + 3_000, "503", "0.030", "v2"),
            line(START + 4_000, "502", "0.040", "v1"),
            line(NOW - 1, "404", "0.005", "v2")));

    MetricsSample v2 = metrics().sample(query("v2", 50));
    MetricsSample v1 = metrics().sample(query("v1", 50));

    assertEquals(new MetricsSample(3, 1, 10.0, WINDOW), v2);
    assertEquals(new MetricsSample(2, 1, 20.0, WINDOW), v1);
  }

  @Test
  void theWindowIsAfterItsStartUpToAndIncludingNow() throws IOException {
    write(
        List.of(
            line(START - 1, "200", "0.001", "v2"),
            line(START, "200", "0.002", "v2"),
            line(START + 1, "200", "0.003", "v2"),
            line(NOW, "200", "0.004", "v2"),
            line(NOW + 1, "200", "0.005", "v2")));

    MetricsSample sample = metrics().sample(query("v2", 100));

    assertEquals(2, sample.requests());
    assertEquals(4.0, sample.latencyMillis());
  }

  @Test
  void poolsAreVersionNamesOrUpstreamNamesEndingInTheVersion() throws IOException {
    write(
        List.of(
            line(NOW - 6_000, "200", "0.001", "v2"),
            line(NOW - 5_000, "200", "0.001", "trafficctl_demo_api_v2"),
            line(NOW - 4_000, "200", "0.001", "api_v22"),
            line(NOW - 3_000, "200", "0.001", "apiv2"),
            line(NOW - 2_000, "200", "0.001", "v1"),
            line(NOW - 1_000, "200", "0.001", "trafficctl_demo_api_v1"),
            line(NOW - 500, "200", "0.001", ""),
            line(NOW - 400, "200", "0.001", "-")));

    NginxLogMetrics.Scan scan = metrics().scan(query("v2", 95));

    assertEquals(2, scan.sample().requests());
    assertEquals(0, scan.malformed(), "lines without a pool belong to no version, not malformed");
    assertEquals(2, metrics().sample(query("v1", 95)).requests());
  }

  @Test
  void failureStatusDecidesWhatFails() throws IOException {
    List<String> lines = new ArrayList<>();
    String[] statuses = {"200", "201", "302", "404", "429", "499", "500", "502", "503", "504"};
    for (int i = 0; i < statuses.length; i++) {
      lines.add(line(NOW - 10_000 + i, statuses[i], "0.010", "v2"));
    }
    write(lines);

    MetricsSample fiveXx = metrics().sample(query("v2", source(null), 95));
    MetricsSample with429 = metrics().sample(query("v2", source(List.of("5xx", "429")), 95));
    MetricsSample only503 = metrics().sample(query("v2", source(List.of("503")), 95));
    MetricsSample clientErrors = metrics().sample(query("v2", source(List.of("4xx")), 95));

    assertEquals(10, fiveXx.requests());
    assertEquals(4, fiveXx.failures());
    assertEquals(5, with429.failures());
    assertEquals(1, only503.failures());
    assertEquals(3, clientErrors.failures());
  }

  @Test
  void aRetriedRequestCountsWithItsFinalStatus() throws IOException {
    write(
        List.of(
            // nginx retried on the next server of the pool and the client got 200
            "{\"time\":\""
                + seconds(NOW - 4_000)
                + "\",\"status\":\"200\",\"request_time\":"
                + "\"0.250\",\"upstream_status\":\"502, 200\",\"pool\":\"v2\"}",
            // both attempts failed
            "{\"time\":\""
                + seconds(NOW - 3_000)
                + "\",\"status\":\"503\",\"request_time\":"
                + "\"0.300\",\"upstream_status\":\"502, 503\",\"pool\":\"v2\"}",
            // no status logged: the last upstream status, across an internal redirect
            "{\"time\":\""
                + seconds(NOW - 2_000)
                + "\",\"request_time\":\"0.100\","
                + "\"upstream_status\":\"504 : 200\",\"pool\":\"v2\"}",
            "{\"time\":\""
                + seconds(NOW - 1_000)
                + "\",\"request_time\":\"0.100\","
                + "\"upstream_status\":\"200, 502\",\"pool\":\"v2\"}"));

    MetricsSample sample = metrics().sample(query("v2", 95));

    assertEquals(4, sample.requests());
    assertEquals(2, sample.failures());
  }

  @Test
  void nearestRankPercentileOfTheWindowsLatencies() throws IOException {
    List<String> lines = new ArrayList<>();
    // 20 requests taking 1..20 ms, written in a shuffled order
    int[] order = {7, 3, 20, 1, 15, 9, 12, 18, 2, 5, 11, 19, 4, 16, 8, 14, 6, 13, 17, 10};
    for (int i = 0; i < order.length; i++) {
      lines.add(
          line(
              NOW - 30_000 + i * 1_000,
              "200",
              String.format(Locale.ROOT, "0.%03d", order[i]),
              "v2"));
    }
    lines.add(line(NOW - 500, "200", "9.999", "v1")); // another version's latency is not v2's
    write(lines);

    // ceil(p/100 * 20): p50 -> rank 10, p90 -> 18, p95 -> 19, p99 -> ceil(19.8) = 20, p1 -> 1
    assertEquals(10.0, metrics().sample(query("v2", 50)).latencyMillis());
    assertEquals(18.0, metrics().sample(query("v2", 90)).latencyMillis());
    assertEquals(19.0, metrics().sample(query("v2", 95)).latencyMillis());
    assertEquals(20.0, metrics().sample(query("v2", 99)).latencyMillis());
    assertEquals(20.0, metrics().sample(query("v2", 100)).latencyMillis());
    assertEquals(1.0, metrics().sample(query("v2", 1)).latencyMillis());
    // ceil(0.951 * 20) = ceil(19.02) = 20
    assertEquals(20.0, metrics().sample(query("v2", 95.1)).latencyMillis());
    assertEquals(9999.0, metrics().sample(query("v1", 50)).latencyMillis());
  }

  @Test
  void percentileOfFewRequests() {
    assertNull(NginxLogMetrics.nearestRank(new long[0], 0, 95));
    assertEquals(0.25, NginxLogMetrics.nearestRank(new long[] {250}, 1, 50));
    // n = 3, p50: ceil(1.5) = 2 -> the median; p66.7: ceil(2.001) = 3
    assertEquals(2.0, NginxLogMetrics.nearestRank(new long[] {3000, 1000, 2000}, 3, 50));
    assertEquals(3.0, NginxLogMetrics.nearestRank(new long[] {3000, 1000, 2000}, 3, 66.7));
    assertEquals(2.0, NginxLogMetrics.nearestRank(new long[] {3000, 1000, 2000}, 3, 66.6));
    // 1000 requests, p99.9: exactly rank 999 (no floating-point rounding up to 1000)
    long[] thousand = new long[1000];
    for (int i = 0; i < thousand.length; i++) {
      thousand[i] = (i + 1) * 1000L;
    }
    assertEquals(999.0, NginxLogMetrics.nearestRank(thousand, 1000, 99.9));
  }

  @Test
  void noRequestsMeansNoLatency() throws IOException {
    write(List.of(line(NOW - 1_000, "200", "0.010", "v1")));

    assertEquals(new MetricsSample(0, 0, null, WINDOW), metrics().sample(query("v2", 95)));
  }

  @Test
  void numbersMayBeJsonNumbersAndTimesIso8601() throws IOException {
    write(
        List.of(
            "{\"time\":"
                + seconds(NOW - 3_000)
                + ",\"status\":500,\"request_time\":0.040,"
                + "\"pool\":\"v2\"}",
            "{\"time\":\""
                + Instant.ofEpochSecond((NOW - 2_000) / 1000).atOffset(ZoneOffset.ofHours(1))
                + "\",\"status\":\"200\",\"request_time\":\"0.020\",\"pool\":\"v2\"}",
            "{\"time\":\""
                + seconds(NOW - 1_000)
                + "\",\"status\":\"200\",\"request_time\":"
                + "\"1\",\"pool\":\"v2\",\"extra\":{\"nested\":[1,2,{\"a\":null}]},\"n\":null}"));

    MetricsSample sample = metrics().sample(query("v2", 100));

    assertEquals(new MetricsSample(3, 1, 1000.0, WINDOW), sample);
  }

  @Test
  void malformedLinesAreSkippedAndCounted() throws IOException {
    String t = seconds(NOW - 1_000);
    write(
        List.of(
            line(NOW - 3_000, "200", "0.010", "v2"),
            "127.0.0.1 - - [27/Nov/2024:09:33:19 +0000] \"GET / HTTP/1.1\" 200 612", // combined
            "{\"time\":\"" + t + "\",\"request_time\":\"0.010\",\"pool\":\"v2\"}", // no status
            "{\"status\":\"200\",\"request_time\":\"0.010\",\"pool\":\"v2\"}", // no time
            "{\"time\":\"" + t + "\",\"status\":\"200\",\"pool\":\"v2\"}", // no request_time
            "{\"time\":\"" + t + "\",\"status\":\"OK\",\"request_time\":\"0.1\",\"pool\":\"v2\"}",
            "{\"time\":\"" + t + "\",\"status\":\"200\",\"request_time\":\"1e-3\",\"pool\":\"v2\"}",
            "{\"time\":\"yesterday\",\"status\":\"200\",\"request_time\":\"0.1\",\"pool\":\"v2\"}",
            "{\"time\":\"" + t + "\",\"status\":\"200\",\"request_time\":\"0.1\"", // cut off
            "{\"time\":\"" + t + "\",\"status\":\"200\",\"request_time\":\"0.1\"} {}", // two
            "[1,2,3]",
            "   ",
            "",
            line(NOW - 500, "500", "0.020", "v2")));

    NginxLogMetrics.Scan scan = metrics().scan(query("v2", 100));

    assertEquals(new MetricsSample(2, 1, 20.0, WINDOW), scan.sample());
    assertEquals(10, scan.malformed());
  }

  @Test
  void anUnterminatedLastLineCountsOnlyWhenComplete() throws IOException {
    Path file = write(List.of(line(NOW - 2_000, "200", "0.010", "v2")));
    String half = line(NOW - 1_000, "500", "0.020", "v2");
    Files.writeString(file, half.substring(0, half.length() / 2), UTF_8, StandardOpenOption.APPEND);

    NginxLogMetrics.Scan inProgress = metrics().scan(query("v2", 95));
    assertEquals(1, inProgress.sample().requests());
    assertEquals(0, inProgress.malformed(), "a line being written is not malformed");

    Files.writeString(file, half.substring(half.length() / 2), UTF_8, StandardOpenOption.APPEND);
    NginxLogMetrics.Scan complete = metrics().scan(query("v2", 95));
    assertEquals(2, complete.sample().requests());
    assertEquals(1, complete.sample().failures());
  }

  @Test
  void stopsReadingAtTheFirstLineOlderThanTheWindowAndItsSlack() throws IOException {
    long slack = NginxLogMetrics.ORDER_SLACK.toMillis();
    write(
        List.of(
            line(START + 50, "500", "0.010", "v2"), // out of order beyond the slack: not seen
            line(START - slack - 1, "200", "0.010", "v2"), // reading stops here
            line(START + 100, "200", "0.010", "v2"), // a second worker's line, slightly late
            line(START - slack + 1, "200", "0.010", "v2"), // within the slack: read past
            line(START + 500, "200", "0.010", "v2"),
            line(NOW - 1, "200", "0.010", "v2")));

    MetricsSample sample = metrics().sample(query("v2", 95));

    assertEquals(3, sample.requests());
    assertEquals(0, sample.failures());
  }

  @Test
  void crlfLineEndingsAreAccepted() throws IOException {
    Path file = base.resolve(LOG);
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        line(NOW - 2_000, "200", "0.010", "v2")
            + "\r\n"
            + line(NOW - 1_000, "503", "0.020", "v2")
            + "\r\n",
        UTF_8);

    NginxLogMetrics.Scan scan = metrics().scan(query("v2", 95));

    assertEquals(new MetricsSample(2, 1, 20.0, WINDOW), scan.sample());
    assertEquals(0, scan.malformed());
  }

  @Test
  void anEmptyOrMissingLogMeansNoRequests() throws IOException {
    MetricsSample nothing = new MetricsSample(0, 0, null, WINDOW);
    assertEquals(nothing, metrics().sample(query("v2", 95)), "missing directory");

    Files.createDirectories(base.resolve(LOG).getParent());
    assertEquals(nothing, metrics().sample(query("v2", 95)), "missing file");

    Files.createFile(base.resolve(LOG));
    NginxLogMetrics.Scan empty = metrics().scan(query("v2", 95));
    assertEquals(nothing, empty.sample(), "empty file");
    assertEquals(0, empty.bytesRead());
  }

  @Test
  void absolutePathsInADirectoryTheWorkerAllowsAreUsedAsTheyAre(@TempDir Path elsewhere)
      throws IOException {
    Path file = elsewhere.resolve("api.json");
    Files.write(file, List.of(line(NOW - 1_000, "200", "0.010", "v2")), UTF_8);
    MetricsSource source =
        new MetricsSource(MetricsProviderType.NGINX_LOG, null, null, file.toString(), null);
    NginxLogMetrics allowing =
        new NginxLogMetrics(
            ConfinedPaths.within(base).allowing(List.of(elsewhere)),
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    assertEquals(1, allowing.sample(query("v2", source, 95)).requests());
    // The same file, without the directory allowed: refused.
    assertInvalidConfiguration(() -> metrics().sample(query("v2", source, 95)));
  }

  @Test
  void aMissingOrDirectoryAccessLogIsInvalidConfiguration() throws IOException {
    MetricsSource none = new MetricsSource(MetricsProviderType.NGINX_LOG, null, null, " ", null);
    assertEquals(
        "api (production): metrics.access_log is required for the nginx-log metrics provider",
        assertInvalidConfiguration(() -> metrics().sample(query("v2", none, 95))));

    Files.createDirectories(base.resolve("logs"));
    MetricsSource dir = new MetricsSource(MetricsProviderType.NGINX_LOG, null, null, "logs", null);
    String message = assertInvalidConfiguration(() -> metrics().sample(query("v2", dir, 95)));
    assertTrue(message.contains("is a directory"), message);
  }

  @Test
  void readsOnlyTheTailOfALargeLog() throws IOException {
    // 100,000 requests at 100 per second: the log spans 1,000 s; a 30 s window holds 3,000
    Path file = base.resolve(LOG);
    Files.createDirectories(file.getParent());
    long first = NOW - 1_000_000;
    int expectedRequests = 0;
    int expectedFailures = 0;
    long windowStart = NOW - 30_000;
    try (BufferedWriter out = Files.newBufferedWriter(file, UTF_8)) {
      for (int i = 0; i < 100_000; i++) {
        long time = first + i * 10L;
        String pool = i % 4 == 0 ? "trafficctl_demo_api_v2" : "trafficctl_demo_api_v1";
        String status = i % 50 == 0 ? "503" : "200";
        out.write(line(time, status, String.format(Locale.ROOT, "0.%03d", i % 100), pool));
        out.write('\n');
        if (time > windowStart && pool.endsWith("_v2")) {
          expectedRequests++;
          expectedFailures += status.equals("503") ? 1 : 0;
        }
      }
    }
    long size = Files.size(file);
    MetricsQuery query =
        new MetricsQuery("api", "production", "v2", source(null), Duration.ofSeconds(30), 95);

    NginxLogMetrics.Scan scan = metrics().scan(query);

    assertEquals(expectedRequests, scan.sample().requests());
    assertEquals(expectedFailures, scan.sample().failures());
    assertEquals(0, scan.malformed());
    // i % 100 over v2's lines (every 4th) gives latencies 0, 4, ..., 96 ms evenly: p95 is 92
    assertEquals(92.0, scan.sample().latencyMillis());
    assertTrue(
        scan.bytesRead() < size / 20,
        "read " + scan.bytesRead() + " of " + size + " bytes for a 3% window");
  }

  @Test
  void aWindowOverTheWholeLogReadsItAll() throws IOException {
    Path file = base.resolve(LOG);
    Files.createDirectories(file.getParent());
    // about 700 KB: lines straddle several 64 KiB chunk boundaries
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      lines.add(line(NOW - 3_000 + i, i % 3 == 0 ? "500" : "200", "0.001", "v2"));
    }
    write(lines);

    NginxLogMetrics.Scan scan = metrics().scan(query("v2", 50));

    assertEquals(3_000, scan.sample().requests());
    assertEquals(1_000, scan.sample().failures());
    assertEquals(Files.size(file), scan.bytesRead());
  }

  @Test
  void anAccessLogOutsideTheStateDirIsRefusedUnread() {
    MetricsSource shadow =
        new MetricsSource(MetricsProviderType.NGINX_LOG, null, null, "/etc/shadow", null);

    String message = assertInvalidConfiguration(() -> metrics().sample(query("v2", shadow, 50)));

    assertTrue(
        message.startsWith(
            "api (production): metrics.access_log \"/etc/shadow\" leads to /etc/shadow, outside"
                + " the directories this worker may use: "
                + base.toAbsolutePath().normalize()),
        message);
  }
}
