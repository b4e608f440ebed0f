package dev.trafficctl.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A bounded load on a loopback address from keep-alive clients that never retry, so every failed
 * request is counted instead of hidden. Stops by itself after {@code maxRequests} or {@code
 * maxDuration}, whichever comes first. Counts responses per version (the {@code X-Version} header)
 * and status.
 */
public final class LoadGenerator implements AutoCloseable {

  /** What the load saw. {@code failed} are requests without a response (I/O errors). */
  public record Counts(
      long sent, long failed, Map<String, Long> byVersion, Map<Integer, Long> byStatus) {

    /** Percent of the answered requests that {@code version} answered. */
    public double share(String version) {
      long answered = byVersion.values().stream().mapToLong(Long::longValue).sum();
      return answered == 0 ? 0 : 100.0 * byVersion.getOrDefault(version, 0L) / answered;
    }

    /** Requests answered with status {@code code}. */
    public long status(int code) {
      return byStatus.getOrDefault(code, 0L);
    }
  }

  private final String url;
  private final int clients;
  private final double ratePerSecond;
  private final long maxRequests;
  private final Duration maxDuration;
  private final OkHttpClient http;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong sent = new AtomicLong();
  private final LongAdder failed = new LongAdder();
  private final Map<String, LongAdder> byVersion = new ConcurrentHashMap<>();
  private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final Map<String, Long> lastAnswerNanos = new ConcurrentHashMap<>();
  private Thread[] threads = new Thread[0];

  /**
   * Load on {@code url} (loopback only) from {@code clients} clients together sending {@code
   * ratePerSecond}, ending after {@code maxRequests} requests or {@code maxDuration}.
   */
  public LoadGenerator(
      String url, int clients, double ratePerSecond, long maxRequests, Duration maxDuration) {
    if (clients < 1 || !(ratePerSecond > 0) || maxRequests < 0 || maxDuration.isNegative()) {
      throw new IllegalArgumentException(
          "a bounded load needs clients, a rate, a request count and a duration");
    }
    this.url = Loopback.requireUrl(url);
    this.clients = clients;
    this.ratePerSecond = ratePerSecond;
    this.maxRequests = maxRequests;
    this.maxDuration = maxDuration;
    this.http =
        seeingEveryFailure()
            .connectionPool(new ConnectionPool(clients, 5, TimeUnit.MINUTES))
            .build();
  }

  /**
   * An HTTP client that hides nothing from a test: no retry of a failed connection, no redirects
   * followed, every call bounded to 10 s.
   */
  public static OkHttpClient.Builder seeingEveryFailure() {
    return new OkHttpClient.Builder()
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .callTimeout(Duration.ofSeconds(10));
  }

  /** Starts the clients; they pace themselves to the rate, together. */
  public LoadGenerator start() {
    long deadline = System.nanoTime() + maxDuration.toNanos();
    long intervalNanos = (long) (1e9 * clients / ratePerSecond);
    threads = new Thread[clients];
    for (int i = 0; i < clients; i++) {
      threads[i] =
          new Thread(
              () -> {
                long next = System.nanoTime();
                while (!stop.get() && System.nanoTime() < deadline) {
                  if (sent.incrementAndGet() > maxRequests) {
                    sent.decrementAndGet();
                    return;
                  }
                  once();
                  next += intervalNanos;
                  long wait = next - System.nanoTime();
                  if (wait > 0) {
                    try {
                      TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }
              },
              "load-" + i);
      threads[i].setDaemon(true);
      threads[i].start();
    }
    return this;
  }

  private void once() {
    Request request = new Request.Builder().url(url).build();
    try (Response response = http.newCall(request).execute()) {
      response.body().bytes();
      String version = response.header("X-Version", "-");
      byVersion.computeIfAbsent(version, v -> new LongAdder()).increment();
      lastAnswerNanos.put(version, System.nanoTime());
      byStatus.computeIfAbsent(response.code(), c -> new LongAdder()).increment();
    } catch (IOException e) {
      failed.increment();
    }
  }

  /** Waits until {@code version} has answered more than {@code answers} requests. */
  public LoadGenerator awaitFlowing(String version, long answers) {
    Waits.until(
        "load flowing to " + version,
        Duration.ofSeconds(20),
        this::snapshot,
        c -> c.byVersion().getOrDefault(version, 0L) > answers);
    return this;
  }

  /** {@link System#nanoTime()} when {@code version} last answered, or null if it never did. */
  public Long lastAnswerNanos(String version) {
    return lastAnswerNanos.get(version);
  }

  /** What has been seen so far; the counters keep running. */
  public Counts snapshot() {
    Map<String, Long> versions = new TreeMap<>();
    byVersion.forEach((k, v) -> versions.put(k, v.sum()));
    Map<Integer, Long> statuses = new TreeMap<>();
    byStatus.forEach((k, v) -> statuses.put(k, v.sum()));
    return new Counts(sent.get(), failed.sum(), versions, statuses);
  }

  /**
   * Waits until {@code answers} more requests than now have been answered, within {@code bound},
   * and returns what the load saw meanwhile: what one phase of a test saw.
   */
  public Counts next(long answers, Duration bound) {
    Counts mark = snapshot();
    Counts after =
        Waits.until(
            answers + " more answers",
            bound,
            () -> since(mark, snapshot()),
            c -> c.byVersion().values().stream().mapToLong(Long::longValue).sum() >= answers);
    return after;
  }

  /** Counts since {@code before}: what one phase of a test saw. */
  public static Counts since(Counts before, Counts now) {
    Map<String, Long> versions = new TreeMap<>(now.byVersion());
    before.byVersion().forEach((k, v) -> versions.merge(k, -v, Long::sum));
    Map<Integer, Long> statuses = new TreeMap<>(now.byStatus());
    before.byStatus().forEach((k, v) -> statuses.merge(k, -v, Long::sum));
    return new Counts(
        now.sent() - before.sent(), now.failed() - before.failed(), versions, statuses);
  }

  /** Waits until the load has ended by its own bounds, then returns the totals. */
  public Counts awaitEnd() throws InterruptedException {
    for (Thread t : threads) {
      t.join(maxDuration.toMillis() + 15_000);
    }
    return snapshot();
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(15_000);
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
