package dev.trafficctl.demo;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The service's own request counts, twice over: as Prometheus metrics, named and labelled the way
 * trafficctl's PromQL templates expect ({@code http_requests_total{version,code}}, {@code
 * http_request_duration_seconds{version}}), and as plain totals for {@code /admin/stats}, which
 * tests read to measure each version's share of the traffic without a Prometheus in between. {@code
 * process_cpu_seconds_total} (the process' CPU time, as client_java's ProcessMetrics names it; that
 * module is not a dependency here) feeds the default utilization query of capacity-based server
 * weights.
 */
final class RequestMetrics {

  /** Seconds; dense below 100ms, where loopback answers and injected latencies fall. */
  static final double[] DURATION_BUCKETS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final String version;
  private final Counter requests;
  private final CounterDataPoint ok;
  private final CounterDataPoint failed;
  private final DistributionDataPoint duration;
  private final LongAdder total = new LongAdder();
  private final Map<Integer, LongAdder> byCode = new ConcurrentHashMap<>();

  RequestMetrics(String version) {
    this.version = version;
    this.requests =
        Counter.builder()
            .name("http_requests_total")
            .help("Requests answered, by version and status code (health, metrics, admin excluded)")
            .labelNames("version", "code")
            .withoutExemplars()
            .register(registry);
    Histogram durations =
        Histogram.builder()
            .name("http_request_duration_seconds")
            .help("Time from receiving a request to answering it, injected latency included")
            .unit(Unit.SECONDS)
            .labelNames("version")
            .classicOnly()
            .classicUpperBounds(DURATION_BUCKETS)
            .withoutExemplars()
            .register(registry);
    CounterWithCallback.builder()
        .name("process_cpu_seconds_total")
        .help("Total user and system CPU time spent in seconds")
        .callback(callback -> callback.call(processCpuSeconds()))
        .register(registry);
    // Both series exist from the start at 0, so the first 500 shows up in increase() and rate().
    this.ok = requests.labelValues(version, "200");
    this.failed = requests.labelValues(version, "500");
    this.duration = durations.labelValues(version);
    byCode.put(200, new LongAdder());
    byCode.put(500, new LongAdder());
  }

  /** Counts one answered request. */
  void record(int status, long elapsedNanos) {
    if (status == 200) {
      ok.inc();
    } else if (status == 500) {
      failed.inc();
    } else {
      requests.labelValues(version, Integer.toString(status)).inc();
    }
    duration.observe(elapsedNanos / 1e9);
    total.increment();
    byCode.computeIfAbsent(status, code -> new LongAdder()).increment();
  }

  String version() {
    return version;
  }

  /** The registry the scrape reads, for the service's other metrics. */
  PrometheusRegistry registry() {
    return registry;
  }

  /** The totals for {@code /admin/stats}. */
  Stats stats() {
    Map<String, Long> codes = new TreeMap<>();
    byCode.forEach((code, count) -> codes.put(Integer.toString(code), count.sum()));
    return new Stats(total.sum(), codes);
  }

  /** A scrape in the format the client asks for ({@code Accept}), Prometheus text by default. */
  Exposition scrape(String accept) throws IOException {
    ExpositionFormatWriter writer = formats.findWriter(accept);
    if (!writer.isAvailable()) {
      // The protobuf format needs a library this service leaves out; text serves every scraper.
      writer = formats.getPrometheusTextFormatWriter();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    writer.write(out, registry.scrape(), EscapingScheme.fromAcceptHeader(accept));
    return new Exposition(writer.getContentType(), out.toByteArray());
  }

  /** The body of {@code GET /admin/stats}: {@code {"requests": N, "by_code": {"200": n}}}. */
  record Stats(long requests, Map<String, Long> byCode) {}

  /** A scrape ready to send; never compared, so the array component's identity equality is moot. */
  @SuppressWarnings("ArrayRecordComponent")
  record Exposition(String contentType, byte[] body) {}

  /** CPU time of this process so far, in seconds; 0 where the JVM does not report it. */
  static double processCpuSeconds() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      long nanos = sun.getProcessCpuTime();
      return nanos < 0 ? 0 : nanos / 1e9;
    }
    return 0;
  }
}
