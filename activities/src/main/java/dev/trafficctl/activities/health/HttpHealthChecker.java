package dev.trafficctl.activities.health;

import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.catalog.ServerAddress;
import dev.trafficctl.workflows.ports.HealthCheck;
import dev.trafficctl.workflows.ports.HealthChecker;
import dev.trafficctl.workflows.ports.HealthReport;
import dev.trafficctl.workflows.ports.InstanceHealth;
import io.temporal.activity.Activity;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The {@link HealthChecker} activity: {@code GET http://<address><endpoint>} on every instance,
 * once per round, a round every {@code interval} until the deadline (one round at least, even when
 * the deadline has passed). Each request gets one try within {@code requestTimeout}: no retries, no
 * redirects followed, 2xx healthy and anything else a problem such as {@code HTTP 503}, {@code
 * connection refused} or {@code no answer within 2s}. The instances of a round are asked
 * concurrently, so a round takes about {@code requestTimeout} at most however many there are.
 */
public final class HttpHealthChecker implements HealthChecker {

  /**
   * One dispatcher for every check: its per-host limit (5 by default, counted by host name, not
   * host and port) would queue the instances of a pool that share a host, and a queued request
   * makes the round longer than {@code requestTimeout}.
   */
  private static final OkHttpClient SHARED_CLIENT = newClient();

  private final Consumer<HealthReport> heartbeat;

  /** Heartbeats to the running activity; for use as a registered activity implementation. */
  public HttpHealthChecker() {
    this(report -> Activity.getExecutionContext().heartbeat(report));
  }

  /**
   * @param heartbeat called with the report so far after every round; an {@code
   *     ActivityCanceledException} it throws ends the check
   */
  public HttpHealthChecker(Consumer<HealthReport> heartbeat) {
    this.heartbeat = heartbeat;
  }

  @Override
  public HealthReport awaitReady(HealthCheck check) {
    return run(check, true);
  }

  @Override
  public HealthReport probe(HealthCheck check) {
    return run(check, false);
  }

  private static OkHttpClient newClient() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(1024);
    dispatcher.setMaxRequestsPerHost(1024);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        // One request is one answer: a retried or redirected request would hide what the
        // instance itself said.
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .followSslRedirects(false)
        .build();
  }

  /**
   * @param untilReady stop asking an instance once it answered 2xx, and stop when all have
   */
  private HealthReport run(HealthCheck check, boolean untilReady) {
    List<HttpUrl> urls = validate(check);
    Duration timeout = check.requestTimeout().truncatedTo(ChronoUnit.MILLIS);
    OkHttpClient bounded =
        SHARED_CLIENT
            .newBuilder()
            .callTimeout(timeout)
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .build();
    String timeoutProblem = "no answer within " + SpecDurations.format(timeout);

    int n = urls.size();
    long[] probes = new long[n];
    long[] successes = new long[n];
    String[] lastProblem = new String[n];
    while (true) {
      Instant roundStart = Instant.now();
      List<Integer> asked = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (!(untilReady && successes[i] > 0)) {
          asked.add(i);
        }
      }
      String[] problems = round(bounded, asked.stream().map(urls::get).toList(), timeoutProblem);
      for (int k = 0; k < asked.size(); k++) {
        int i = asked.get(k);
        probes[i]++;
        if (problems[k] == null) {
          successes[i]++;
        } else {
          lastProblem[i] = problems[k];
        }
      }
      List<InstanceHealth> instances = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        instances.add(
            new InstanceHealth(check.addresses().get(i), probes[i], successes[i], lastProblem[i]));
      }
      HealthReport report = new HealthReport(instances);
      heartbeat.accept(report);

      Instant next = roundStart.plus(check.interval());
      if ((untilReady && report.allReady()) || !next.isBefore(check.deadline())) {
        return report;
      }
      sleepUntil(next);
    }
  }

  /** Each request's problem, in order; null where the answer was 2xx. */
  private static String[] round(OkHttpClient client, List<HttpUrl> urls, String timeoutProblem) {
    String[] problems = new String[urls.size()];
    // Counting down after writing a problem makes it visible to this thread after await().
    CountDownLatch answered = new CountDownLatch(urls.size());
    List<Call> calls = new ArrayList<>();
    for (int k = 0; k < urls.size(); k++) {
      int slot = k;
      Request request =
          new Request.Builder()
              .url(urls.get(k))
              // A fresh connection each time: a pooled one the instance has since closed would
              // fail without it being the instance's fault, and there are no retries to hide that.
              .header("Connection", "close")
              .build();
      Call call = client.newCall(request);
      calls.add(call);
      call.enqueue(
          new Callback() {
            @Override
            public void onResponse(Call c, Response response) {
              try (response) {
                problems[slot] = response.isSuccessful() ? null : "HTTP " + response.code();
              } finally {
                answered.countDown();
              }
            }

            @Override
            public void onFailure(Call c, IOException e) {
              problems[slot] = describe(e, timeoutProblem);
              answered.countDown();
            }
          });
    }
    try {
      // Every call ends within the call timeout, so this wait is bounded too.
      answered.await();
    } catch (InterruptedException e) {
      calls.forEach(Call::cancel);
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
    return problems;
  }

  private static String describe(IOException e, String timeoutProblem) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof InterruptedIOException) {
      // SocketTimeoutException (connect, read) and the call timeout's own exception alike.
      return timeoutProblem;
    }
    if (e instanceof UnknownHostException) {
      return "unknown host: " + e.getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * Returns no earlier than {@code next} on the wall clock that set it. Sleeping the truncated
   * milliseconds once could wake a fraction of a millisecond early, and a round would then start
   * before its interval was up.
   */
  private static void sleepUntil(Instant next) {
    for (Duration left = Duration.between(Instant.now(), next);
        left.compareTo(Duration.ZERO) > 0;
        left = Duration.between(Instant.now(), next)) {
      try {
        Thread.sleep(left.toMillis() + 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Activity.wrap(e);
      }
    }
  }

  /**
   * The URL of each address. The workflow passes checked catalog addresses; this refuses anything
   * else rather than send a request somewhere unintended.
   */
  private static List<HttpUrl> validate(HealthCheck check) {
    if (check == null) {
      throw InvalidConfiguration.failure("no health check given");
    }
    String where = "health check of " + check.service() + " (" + check.env() + ") " + check.pool();
    if (check.addresses().isEmpty()) {
      throw InvalidConfiguration.failure(where + ": no instance addresses");
    }
    if (check.endpoint() == null || !check.endpoint().startsWith("/")) {
      throw InvalidConfiguration.failure(
          where + ": endpoint \"" + check.endpoint() + "\" is not a path starting with /");
    }
    if (check.deadline() == null) {
      throw InvalidConfiguration.failure(where + ": no deadline");
    }
    requirePositive(where, "interval", check.interval());
    requirePositive(where, "request timeout", check.requestTimeout());
    List<HttpUrl> urls = new ArrayList<>();
    for (String address : check.addresses()) {
      ServerAddress parsed;
      try {
        parsed = ServerAddress.parse(address);
      } catch (IllegalArgumentException e) {
        throw InvalidConfiguration.failure(where + ": " + e.getMessage(), e);
      }
      HttpUrl url = HttpUrl.parse("http://" + parsed + check.endpoint());
      if (url == null) {
        throw InvalidConfiguration.failure(
            where + ": http://" + parsed + check.endpoint() + " is not a URL");
      }
      urls.add(url);
    }
    return urls;
  }

  private static void requirePositive(String where, String name, Duration d) {
    if (d == null || d.toMillis() < 1) {
      throw InvalidConfiguration.failure(
          where + ": " + name + " " + d + " is not a positive duration");
    }
  }
}
