package dev.trafficctl.activities.metrics.nginxlog;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonFactory;
import dev.trafficctl.activities.ConfinedPaths;
import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.activities.ResourceName;
import dev.trafficctl.activities.metrics.MetricsReader;
import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.catalog.MetricsSource;
import dev.trafficctl.workflows.ports.MetricsQuery;
import dev.trafficctl.workflows.ports.MetricsSample;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a version's requests, failures and latency percentile from nginx's JSON access log (the
 * catalog's {@code metrics.access_log}; a relative path resolves against the worker's state
 * directory, and the file must be inside it or a directory the worker allows: {@link
 * ConfinedPaths}).
 *
 * <h2>The log format (the contract with the nginx configuration)</h2>
 *
 * One JSON object per line, as nginx writes it with {@code escape=json}:
 *
 * <pre>
 * log_format trafficctl_json escape=json
 *   '{"time":"$msec","status":"$status","request_time":"$request_time",'
 *   '"upstream_addr":"$upstream_addr","upstream_status":"$upstream_status",'
 *   '"pool":"$pool"}';
 * access_log /var/log/nginx/api.json trafficctl_json;
 * </pre>
 *
 * where {@code $pool} stands for the variable that holds the version pool the router chose for the
 * request. That gives lines such as
 *
 * <pre>
 * {"time":"1732700000.123","status":"200","request_time":"0.012","upstream_addr":"127.0.0.1:18083","upstream_status":"200","pool":"v2"}
 * </pre>
 *
 * <ul>
 *   <li>{@code time} (required): when the line was written, in seconds since the epoch ({@code
 *       $msec}, millisecond resolution); ISO 8601 with an offset ({@code $time_iso8601}, second
 *       resolution) is accepted too. A request belongs to the window when this time is after the
 *       window's start and not after now.
 *   <li>{@code status} (required unless {@code upstream_status} is present): the status sent to the
 *       client, which is what counts. After a retry ({@code "upstream_status":"502, 200"}) it is
 *       the final one, as nginx reports it; without {@code status} the last code of {@code
 *       upstream_status} is used (codes are separated by {@code ,} for retries and {@code :} for
 *       internal redirects). A request fails when the catalog's {@code failure_status} says so
 *       ({@link MetricsSource#isFailure(int)}; 5xx by default).
 *   <li>{@code request_time} (required): the request's duration in seconds ({@code $request_time}),
 *       retries included, as the client saw it.
 *   <li>{@code pool}: the version pool the router chose for the request. Either the version's name
 *       ({@code v2}) or an upstream name ending in {@code _<version>} ({@code
 *       trafficctl_demo_api_v2}). A line without a pool ({@code ""} or {@code "-"}: nginx answered
 *       itself) belongs to no version.
 *   <li>Anything else ({@code upstream_addr}, request fields) is ignored, so the line may carry
 *       more. Values may be JSON strings or numbers.
 * </ul>
 *
 * <p>The version of a request is read only from {@code pool}. {@code upstream_addr} is not mapped
 * back through the catalog's servers, because a query does not carry the catalog entry. Since a
 * pool name need carry only the version, each service and environment needs its own access log.
 *
 * <p>Lines that are not JSON objects, lack a required field or carry a value of the wrong kind are
 * skipped; each sample logs one warning with their count and the newest of them. A last line
 * without its newline counts when it is a whole object; otherwise nginx is still writing it, and it
 * is left for the next sample without a warning.
 *
 * <h2>How a sample is computed</h2>
 *
 * The log is read from its end backwards in 64 KiB chunks, and reading stops at the first line
 * written more than {@link #ORDER_SLACK} before the window's start. Each nginx worker writes its
 * lines in time order; with several workers they interleave nearly in order, and the slack covers
 * that. (So {@code access_log} must not buffer lines for longer than the slack: no {@code
 * buffer=}/{@code flush=} beyond it.) The cost of a sample is therefore proportional to the
 * window's traffic, not to the size of the log.
 *
 * <p>The latency percentile is the nearest-rank percentile of the window's request times: sorted
 * ascending, the value at rank {@code ceil(p / 100 * n)} (at least 1), so it is always a latency
 * some request had. With no requests it is null.
 *
 * <p>Rotation: only the current file is read. Right after a rotation the window holds only what the
 * new file has, so the sample has fewer requests (which the judge may call inconclusive), never
 * wrong counts. A missing file means nginx has not logged a request yet: 0 requests, null latency
 * (inconclusive), and a warning naming the path. A file that cannot be read fails retryably; an
 * {@code access_log} that is not a file path fails as invalid configuration.
 */
public final class NginxLogMetrics implements MetricsReader {

  /** How far before the window's start lines may still appear, as nginx workers interleave. */
  static final Duration ORDER_SLACK = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(NginxLogMetrics.class);
  private static final int EXAMPLE_LIMIT = 200;

  private final ConfinedPaths paths;
  private final Clock clock;
  private final JsonFactory json = new JsonFactory();

  /**
   * @param base the directory relative {@code access_log} paths resolve against, and the only one
   *     they may lead into
   */
  public NginxLogMetrics(Path base) {
    this(ConfinedPaths.within(base), Clock.systemUTC());
  }

  public NginxLogMetrics(Path base, Clock clock) {
    this(ConfinedPaths.within(base), clock);
  }

  /**
   * @param paths where {@code access_log}s resolve and may lead: the worker's state directory and
   *     the directories its settings allow (nginx's log directory, typically)
   */
  public NginxLogMetrics(ConfinedPaths paths) {
    this(paths, Clock.systemUTC());
  }

  public NginxLogMetrics(ConfinedPaths paths, Clock clock) {
    this.paths = paths;
    this.clock = clock;
  }

  @Override
  public MetricsSample sample(MetricsQuery query) {
    return scan(query).sample();
  }

  /**
   * What one sample read.
   *
   * @param malformed lines skipped because they are not in the log format
   * @param bytesRead bytes read from the access log (0 when it does not exist)
   */
  record Scan(MetricsSample sample, long malformed, long bytesRead) {}

  /** {@link #sample}, with the figures tests check besides the sample. */
  Scan scan(MetricsQuery query) {
    MetricsSource source = query.source();
    String version = ResourceName.require("version", query.version());
    Path file = locate(query);
    Duration window = query.window().truncatedTo(ChronoUnit.MILLIS);
    long now = clock.millis();
    Tally tally = new Tally(version, source, now - window.toMillis(), now);

    long bytesRead;
    try (RandomAccessFile in = open(file)) {
      if (in == null) {
        log.warn(
            "{} ({}): access log {} does not exist (yet); reporting no requests for {}",
            query.service(),
            query.env(),
            file,
            version);
        return new Scan(new MetricsSample(0, 0, null, window), 0, 0);
      }
      bytesRead = BackwardLines.read(in, tally);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read access log " + file + ": " + e, e);
    }

    if (tally.malformed > 0) {
      log.warn(
          "{} ({}): skipped {} lines of {} that are not nginx JSON access log lines with time,"
              + " status and request_time; the newest: {}",
          query.service(),
          query.env(),
          tally.malformed,
          file,
          tally.newestMalformed);
    }
    if (tally.inWindow > 0 && tally.withPool == 0) {
      log.warn(
          "{} ({}): none of the {} requests in the last {} of {} names a version pool; requests"
              + " the router sends to a version need the pool in the log format as \"pool\"",
          query.service(),
          query.env(),
          tally.inWindow,
          SpecDurations.format(window),
          file);
    }
    MetricsSample sample =
        new MetricsSample(
            tally.requests,
            tally.failures,
            nearestRank(tally.latencies, tally.requests, query.percentile()),
            window);
    return new Scan(sample, tally.malformed, bytesRead);
  }

  private Path locate(MetricsQuery query) {
    String accessLog = query.source().accessLog();
    String where = query.service() + " (" + query.env() + ")";
    if (accessLog == null || accessLog.isBlank()) {
      throw InvalidConfiguration.failure(
          where + ": metrics.access_log is required for the nginx-log metrics provider");
    }
    Path file = paths.resolve(where, "metrics.access_log", accessLog);
    if (Files.isDirectory(file)) {
      throw InvalidConfiguration.failure(
          where + ": metrics.access_log " + file + " is a directory, not nginx's access log");
    }
    return file;
  }

  /** The file opened for reading, or null when it does not exist. */
  private static RandomAccessFile open(Path file) throws IOException {
    try {
      return new RandomAccessFile(file.toFile(), "r");
    } catch (FileNotFoundException e) {
      if (Files.notExists(file)) {
        return null;
      }
      throw e;
    }
  }

  /**
   * The nearest-rank percentile of the first {@code n} latencies (microseconds), in milliseconds;
   * null when there are none. Sorts the array in place.
   */
  static Double nearestRank(long[] micros, long n, double percentile) {
    if (n == 0) {
      return null;
    }
    int count = Math.toIntExact(n);
    Arrays.sort(micros, 0, count);
    long rank =
        BigDecimal.valueOf(percentile)
            .multiply(BigDecimal.valueOf(count))
            .divide(BigDecimal.valueOf(100))
            .setScale(0, RoundingMode.CEILING)
            .longValueExact();
    int index = (int) Math.min(count, Math.max(1, rank)) - 1;
    return micros[index] / 1000.0;
  }

  /** Counts the lines of one sample as they come, newest first. */
  private final class Tally implements BackwardLines.Visitor {

    private final String version;
    private final MetricsSource source;
    private final long windowStart;
    private final long now;
    private final long stopBefore;

    long requests;
    long failures;
    long[] latencies = new long[1024];
    long inWindow;
    long withPool;
    long malformed;
    String newestMalformed;

    Tally(String version, MetricsSource source, long windowStart, long now) {
      this.version = version;
      this.source = source;
      this.windowStart = windowStart;
      this.now = now;
      this.stopBefore = windowStart - ORDER_SLACK.toMillis();
    }

    @Override
    public boolean line(byte[] bytes, int offset, int length, boolean terminated) {
      Optional<AccessLogEntry> parsed = AccessLogEntry.parse(json, bytes, offset, length);
      if (parsed.isEmpty()) {
        if (terminated && !isBlank(bytes, offset, length)) {
          skipped(new String(bytes, offset, Math.min(length, EXAMPLE_LIMIT), UTF_8));
        }
        return true;
      }
      AccessLogEntry entry = parsed.get();
      if (entry.epochMillis() < stopBefore) {
        return false;
      }
      if (entry.epochMillis() <= windowStart || entry.epochMillis() > now) {
        return true;
      }
      inWindow++;
      if (entry.pool() == null) {
        return true;
      }
      withPool++;
      if (!entry.servedBy(version)) {
        return true;
      }
      if (requests == latencies.length) {
        latencies = Arrays.copyOf(latencies, latencies.length * 2);
      }
      latencies[(int) requests] = entry.requestMicros();
      requests++;
      if (source.isFailure(entry.status())) {
        failures++;
      }
      return true;
    }

    @Override
    public void overlongLine() {
      skipped("(a line longer than " + BackwardLines.MAX_LINE_BYTES + " bytes)");
    }

    private void skipped(String example) {
      malformed++;
      if (newestMalformed == null) {
        newestMalformed = example;
      }
    }
  }

  private static boolean isBlank(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
        return false;
      }
    }
    return true;
  }
}
