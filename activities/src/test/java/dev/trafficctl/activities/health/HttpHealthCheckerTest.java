package dev.trafficctl.activities.health;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.trafficctl.workflows.ports.HealthCheck;
import dev.trafficctl.workflows.ports.HealthReport;
import dev.trafficctl.workflows.ports.InstanceHealth;
import io.temporal.client.ActivityCanceledException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against real HTTP servers on loopback, one per instance. */
class HttpHealthCheckerTest {

  private static final Duration INTERVAL = Duration.ofMillis(100);

  /**
   * Generous: a loopback answer takes a millisecond, but a fresh server's first one on a busy
   * machine can take far longer, and a timeout would be a problem the test did not ask for. The
   * tests of timeouts set their own.
   */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

  private final List<Instance> instances = new ArrayList<>();
  private final List<HealthReport> heartbeats = new CopyOnWriteArrayList<>();
  private final HttpHealthChecker checker = new HttpHealthChecker(heartbeats::add);

  @AfterEach
  void stopServers() {
    instances.forEach(Instance::stop);
  }

  /** A server answering 503 to its first {@code unhealthyRequests}, then {@code status}. */
  private Instance start(int unhealthyRequests, int status, Duration delay) throws IOException {
    Instance instance = new Instance(unhealthyRequests, status, delay);
    instances.add(instance);
    return instance;
  }

  private Instance answering(int status) throws IOException {
    return start(0, status, Duration.ZERO);
  }

  private static HealthCheck check(Instant deadline, Duration requestTimeout, String... addresses) {
    return new HealthCheck(
        "api", "test", "green", List.of(addresses), "/health", deadline, INTERVAL, requestTimeout);
  }

  private static HealthCheck check(Instant deadline, String... addresses) {
    return check(deadline, REQUEST_TIMEOUT, addresses);
  }

  @Test
  void awaitReadyReturnsAsSoonAsEveryInstanceAnswered2xx() throws IOException {
    Instance a = answering(200);
    Instance b = answering(204);
    Instance c = answering(200);
    Instant started = Instant.now();

    HealthReport report =
        checker.awaitReady(check(started.plusSeconds(10), a.address(), b.address(), c.address()));

    assertTrue(report.allReady(), report.toString());
    assertEquals(
        List.of(a.address(), b.address(), c.address()),
        report.instances().stream().map(InstanceHealth::address).toList());
    for (InstanceHealth instance : report.instances()) {
      assertEquals(1, instance.probes(), instance.toString());
      assertNull(instance.lastProblem(), instance.toString());
    }
    assertEquals(100.0, report.successPercent());
    assertEquals(List.of(report), heartbeats);
    assertEquals("/health", a.lastPath);
    Duration took = Duration.between(started, Instant.now());
    assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "returned before the deadline: " + took);
  }

  @Test
  void anInstanceNeverReadyIsNamedWithItsLastAnswerAtTheDeadline() throws IOException {
    Instance healthy = answering(200);
    Instance failing = answering(503);
    Instant started = Instant.now();
    // Rounds of 100ms until a second: at least 3 even when the first answers are slow.
    Instant deadline = started.plusSeconds(1);

    HealthReport report = checker.awaitReady(check(deadline, healthy.address(), failing.address()));

    assertFalse(report.allReady());
    InstanceHealth notReady = report.firstNotReady().orElseThrow();
    assertEquals(failing.address(), notReady.address());
    assertEquals("HTTP 503", notReady.lastProblem());
    assertEquals(0, notReady.successes());
    assertTrue(notReady.probes() >= 3, "polled every interval: " + notReady);
    assertEquals(notReady.probes(), failing.requests.get());
    // A ready instance is not asked again.
    assertEquals(1, report.instances().get(0).probes());
    assertEquals(1, healthy.requests.get());
    assertEquals(notReady.probes(), heartbeats.size(), "one heartbeat per round");
    assertFalse(
        Instant.now().isBefore(deadline.minus(INTERVAL)), "kept polling until the deadline");
  }

  @Test
  void anInstanceBecomingReadyAfterSomeRoundsIsReadyAndNoLongerPolled() throws IOException {
    Instance starting = start(3, 200, Duration.ZERO);
    Instant started = Instant.now();

    HealthReport report = checker.awaitReady(check(started.plusSeconds(10), starting.address()));

    assertTrue(report.allReady(), report.toString());
    InstanceHealth health = report.instances().get(0);
    assertEquals(4, health.probes());
    assertEquals(1, health.successes());
    assertEquals("HTTP 503", health.lastProblem(), "the last failure is kept");
    assertEquals(4, starting.requests.get());
    assertEquals(4, heartbeats.size());
    Duration took = Duration.between(started, Instant.now());
    assertTrue(took.compareTo(INTERVAL.multipliedBy(3)) >= 0, "rounds were spaced: " + took);
  }

  @Test
  void aSlowOrUnreachableInstanceIsAProblemAndDoesNotHoldUpTheRound() throws IOException {
    Instance slow = start(0, 200, Duration.ofSeconds(3));
    Instance healthy = answering(200);
    String closed = closedPort();
    Instant started = Instant.now();

    HealthReport report =
        checker.probe(
            check(
                started.minusSeconds(1),
                Duration.ofMillis(250),
                slow.address(),
                healthy.address(),
                closed));

    assertEquals("no answer within 250ms", report.instances().get(0).lastProblem());
    assertEquals(0, report.instances().get(0).successes());
    assertEquals(1, report.instances().get(1).successes());
    assertEquals("connection refused", report.instances().get(2).lastProblem());
    Duration took = Duration.between(started, Instant.now());
    assertTrue(took.compareTo(Duration.ofMillis(1500)) < 0, "bounded by the timeout: " + took);
  }

  @Test
  void probeCountsEveryAnswerUntilTheDeadline() throws IOException {
    Instance a = answering(200);
    Instance b = answering(200);
    Instance broken = answering(500);
    // Rounds of 100ms until a second: at least 3 even when the first answers are slow.
    Instant deadline = Instant.now().plusSeconds(1);

    HealthReport report =
        checker.probe(check(deadline, a.address(), b.address(), broken.address()));

    long rounds = heartbeats.size();
    assertTrue(rounds >= 3, "rounds: " + rounds);
    for (InstanceHealth instance : report.instances()) {
      assertEquals(rounds, instance.probes(), "healthy ones are probed on: " + instance);
    }
    assertEquals(rounds, a.requests.get());
    assertEquals(rounds, broken.requests.get());
    assertEquals(200.0 / 3, report.successPercent(), 0.001);
    assertEquals("HTTP 500", report.instances().get(2).lastProblem());
    assertNull(report.instances().get(0).lastProblem());
  }

  @Test
  void aDeadlineAlreadyPastMeansExactlyOneRound() throws IOException {
    Instance failing = answering(503);
    Instance healthy = answering(200);
    Instant past = Instant.now().minusSeconds(60);

    HealthReport awaited = checker.awaitReady(check(past, failing.address()));
    HealthReport probed = checker.probe(check(past, healthy.address()));

    assertEquals(1, awaited.probes());
    assertEquals("HTTP 503", awaited.instances().get(0).lastProblem());
    assertEquals(1, probed.probes());
    assertEquals(100.0, probed.successPercent());
    assertEquals(1, failing.requests.get());
    assertEquals(1, healthy.requests.get());
    assertEquals(2, heartbeats.size());
  }

  @Test
  void redirectsAreNotFollowed() throws IOException {
    Instance target = answering(200);
    Instance redirecting = answering(302);
    redirecting.location = "http://" + target.address() + "/health";

    HealthReport report =
        checker.probe(check(Instant.now().minusSeconds(1), redirecting.address()));

    assertEquals("HTTP 302", report.instances().get(0).lastProblem());
    assertEquals(0, target.requests.get());
  }

  @Test
  void cancellationFromTheHeartbeatEndsTheCheck() throws IOException {
    Instance failing = answering(503);
    HttpHealthChecker cancelled =
        new HttpHealthChecker(
            report -> {
              throw new ActivityCanceledException();
            });

    assertThrows(
        ActivityCanceledException.class,
        () -> cancelled.awaitReady(check(Instant.now().plusSeconds(10), failing.address())));
    assertEquals(1, failing.requests.get());
  }

  @Test
  void anythingButHostPortAndAPathIsRefusedBeforeAnyRequest() throws IOException {
    Instance healthy = answering(200);
    Instant deadline = Instant.now().plusSeconds(10);
    for (String address :
        List.of("http://127.0.0.1:80", "127.0.0.1", "127.0.0.1:0", "a b:80", "h:80/x", "")) {
      String message =
          assertInvalidConfiguration(
              () -> checker.awaitReady(check(deadline, healthy.address(), address)));
      assertTrue(message.contains("host:port"), message);
    }
    String message =
        assertInvalidConfiguration(
            () ->
                checker.probe(
                    new HealthCheck(
                        "api",
                        "test",
                        "green",
                        List.of(healthy.address()),
                        "health",
                        deadline,
                        INTERVAL,
                        REQUEST_TIMEOUT)));
    assertTrue(message.contains("endpoint \"health\""), message);
    assertInvalidConfiguration(
        () ->
            checker.probe(
                new HealthCheck(
                    "api",
                    "test",
                    "green",
                    List.of(),
                    "/health",
                    deadline,
                    INTERVAL,
                    REQUEST_TIMEOUT)));
    assertInvalidConfiguration(
        () ->
            checker.probe(
                new HealthCheck(
                    "api",
                    "test",
                    "green",
                    List.of(healthy.address()),
                    "/health",
                    deadline,
                    Duration.ZERO,
                    REQUEST_TIMEOUT)));
    assertEquals(0, healthy.requests.get());
    assertTrue(heartbeats.isEmpty());
  }

  /** A loopback port nothing listens on. */
  private static String closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  /** One instance: an HTTP server on a loopback port of its own. */
  private static final class Instance {

    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final int unhealthyRequests;
    private final int status;
    private final Duration delay;
    volatile String location;
    volatile String lastPath;

    Instance(int unhealthyRequests, int status, Duration delay) throws IOException {
      this.unhealthyRequests = unhealthyRequests;
      this.status = status;
      this.delay = delay;
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      // Threads of its own, so a slow answer does not queue the next request.
      server.setExecutor(executor);
      server.createContext("/", this::answer);
      server.start();
    }

    String address() {
      return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
      try (exchange) {
        int count = requests.incrementAndGet();
        lastPath = exchange.getRequestURI().getPath();
        if (!delay.isZero()) {
          try {
            Thread.sleep(delay.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        if (location != null) {
          exchange.getResponseHeaders().set("Location", location);
        }
        exchange.sendResponseHeaders(count > unhealthyRequests ? status : 503, -1);
      }
    }

    void stop() {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
