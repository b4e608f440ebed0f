package dev.trafficctl.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.trafficctl.config.JsonMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo service's HTTP server: one version of "api" on one port.
 *
 * <ul>
 *   <li>{@code /} and every path not listed below: 200 with {@code {"version":"v1","instance":
 *       "127.0.0.1:18081"}} and {@code X-Version: v1}, or 500 at the configured error rate, after
 *       the configured latency. An answer to a request of an A/B test ({@code X-AB-Test}, {@code
 *       X-AB-Variant} from the router, {@code X-User-Id}) counts the user as exposed to the
 *       variant.
 *   <li>{@code POST /convert?metric=NAME}: the user of an A/B test's request converted on a success
 *       metric; 200 {@code {"counted":true}} the first time, {@code false} after, 409 for a user
 *       never exposed, 400 without the test's headers or a metric. See {@link AbTestCounts}.
 *   <li>{@code GET /health}: 200 {@code ok}, or 503 once health is set down.
 *   <li>{@code GET /metrics}: the Prometheus scrape.
 *   <li>{@code GET|POST /admin/config}, {@code GET /admin/stats}: read and change the behaviour,
 *       read the service's own counts; loopback clients only.
 * </ul>
 *
 * Health, metrics, conversion and admin requests are not counted: the counts are the traffic a
 * rollout moves.
 */
public final class DemoServer implements AutoCloseable {

  /** Worker threads; injected latency holds one per request in flight. */
  public static final int THREADS = 16;

  private static final int BACKLOG = 128;
  private static final int MAX_ADMIN_BODY = 64 * 1024;
  private static final String JSON = "application/json";
  private static final String TEXT = "text/plain; charset=utf-8";

  static {
    // The JDK server writes headers and body separately; with Nagle's algorithm on, a keep-alive
    // client's next request waits for a delayed ACK (about 40ms on Linux). Read once, at the first
    // server's creation, so it is set before any server exists.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /**
   * What to start.
   *
   * @param host the address to listen on (loopback by default in the command)
   * @param port the port; 0 picks a free one
   * @param version the version label, in responses and metrics
   * @param behaviour the behaviour at start
   * @param seed seeds the error and latency draws
   */
  public record Options(String host, int port, String version, Behaviour behaviour, long seed) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final String version;
  private final String instance;
  private final AtomicReference<Behaviour> behaviour;
  private final Faults faults;
  private final RequestMetrics metrics;
  private final AbTestCounts abTests;
  private final ObjectMapper json = JsonMapping.json();
  private final byte[] okBody;
  private final byte[] failureBody;

  private DemoServer(HttpServer server, ExecutorService executor, Options options) {
    this.server = server;
    this.executor = executor;
    this.version = options.version();
    InetSocketAddress bound = server.getAddress();
    this.instance = options.host() + ":" + bound.getPort();
    this.behaviour = new AtomicReference<>(options.behaviour());
    this.faults = new Faults(options.seed());
    this.metrics = new RequestMetrics(version);
    this.abTests = new AbTestCounts(metrics.registry());
    this.okBody = toJson(new Answer(version, instance, null));
    this.failureBody = toJson(new Answer(version, instance, "injected failure"));
  }

  /**
   * Listens and serves until {@link #close()}.
   *
   * @throws IOException when the address cannot be bound (in use, not local)
   */
  public static DemoServer start(Options options) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(options.host(), options.port()), BACKLOG);
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, threads(options.version()));
    server.setExecutor(executor);
    DemoServer demo = new DemoServer(server, executor, options);
    server.createContext("/", demo::handle);
    server.start();
    return demo;
  }

  /** {@code host:port} as the service names itself in its answers. */
  public String instance() {
    return instance;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String version() {
    return version;
  }

  public Behaviour behaviour() {
    return behaviour.get();
  }

  /** The counts {@code GET /admin/stats} answers with. */
  RequestMetrics.Stats stats() {
    return metrics.stats();
  }

  /**
   * Stops accepting connections and waits up to {@code grace} (whole seconds) for requests in
   * flight to be answered.
   */
  public void stop(Duration grace) {
    server.stop((int) Math.min(Integer.MAX_VALUE, grace.toSeconds()));
    executor.shutdownNow();
  }

  /** Stops at once; for tests and error paths. Signals go through {@link #stop(Duration)}. */
  @Override
  public void close() {
    stop(Duration.ZERO);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/health")) {
        health(exchange);
      } else if (path.equals("/metrics")) {
        metrics(exchange);
      } else if (path.equals("/convert")) {
        convert(exchange);
      } else if (path.equals("/admin") || path.startsWith("/admin/")) {
        admin(exchange, path);
      } else {
        application(exchange);
      }
    }
  }

  private void application(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    try (InputStream body = exchange.getRequestBody()) {
      body.transferTo(OutputStream.nullOutputStream());
    }
    Faults.Outcome outcome = faults.draw(behaviour.get());
    pause(outcome.delay());
    int status = outcome.fails() ? 500 : 200;
    // Counted before the answer goes out, so a client that has its answer finds it in the stats.
    metrics.record(status, System.nanoTime() - start);
    exchange.getResponseHeaders().set("X-Version", version);
    // Feature flags and the A/B test's variant a router passes upstream come back, so a client
    // can see what this instance was told (the service would switch behaviour on them).
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (startsWithIgnoreCase(name, "X-Feature-") || startsWithIgnoreCase(name, "X-AB-")) {
                exchange.getResponseHeaders().put(name, values);
              }
            });
    if (status == 200) {
      AbTestRequest test = AbTestRequest.of(exchange);
      if (test != null) {
        abTests.expose(test.test(), test.variant(), test.user());
      }
    }
    respond(exchange, status, JSON, outcome.fails() ? failureBody : okBody);
  }

  private void convert(HttpExchange exchange) throws IOException {
    if (!allowMethods(exchange, "POST")) {
      return;
    }
    try (InputStream body = exchange.getRequestBody()) {
      body.transferTo(OutputStream.nullOutputStream());
    }
    AbTestRequest test = AbTestRequest.of(exchange);
    String metric = queryParameter(exchange, "metric");
    if (test == null || !AbTestCounts.isName(metric)) {
      respondError(
          exchange,
          400,
          "a conversion needs the headers "
              + AbTestCounts.TEST_HEADER
              + ", "
              + AbTestCounts.VARIANT_HEADER
              + " (set by the router) and "
              + AbTestCounts.USER_HEADER
              + ", and ?metric=NAME");
      return;
    }
    switch (abTests.convert(test.test(), test.variant(), test.user(), metric)) {
      case COUNTED -> respond(exchange, 200, JSON, toJson(Map.of("counted", true)));
      case ALREADY_COUNTED -> respond(exchange, 200, JSON, toJson(Map.of("counted", false)));
      case NOT_EXPOSED ->
          respondError(
              exchange,
              409,
              "user " + test.user() + " was never served variant " + test.variant() + " here");
    }
  }

  /** The A/B test, variant and user of a request; null unless all three are given and valid. */
  private record AbTestRequest(String test, String variant, String user) {
    static AbTestRequest of(HttpExchange exchange) {
      var headers = exchange.getRequestHeaders();
      String test = headers.getFirst(AbTestCounts.TEST_HEADER);
      String variant = headers.getFirst(AbTestCounts.VARIANT_HEADER);
      String user = headers.getFirst(AbTestCounts.USER_HEADER);
      return AbTestCounts.isName(test) && AbTestCounts.isName(variant) && AbTestCounts.isName(user)
          ? new AbTestRequest(test, variant, user)
          : null;
    }
  }

  private static String queryParameter(HttpExchange exchange, String name) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static boolean startsWithIgnoreCase(String text, String prefix) {
    return text.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  private void health(HttpExchange exchange) throws IOException {
    if (!allowMethods(exchange, "GET", "HEAD")) {
      return;
    }
    boolean healthy = behaviour.get().healthy();
    respond(exchange, healthy ? 200 : 503, TEXT, text(healthy ? "ok" : "unhealthy"));
  }

  private void metrics(HttpExchange exchange) throws IOException {
    if (!allowMethods(exchange, "GET", "HEAD")) {
      return;
    }
    RequestMetrics.Exposition scrape =
        metrics.scrape(exchange.getRequestHeaders().getFirst("Accept"));
    respond(exchange, 200, scrape.contentType(), scrape.body());
  }

  private void admin(HttpExchange exchange, String path) throws IOException {
    if (!AdminAccess.allowed(exchange.getRemoteAddress())) {
      respondError(exchange, 403, "admin endpoints answer loopback clients only");
      return;
    }
    switch (path) {
      case "/admin/config" -> adminConfig(exchange);
      case "/admin/stats" -> {
        if (allowMethods(exchange, "GET", "HEAD")) {
          respond(exchange, 200, JSON, toJson(metrics.stats()));
        }
      }
      default -> respondError(exchange, 404, "not found: try /admin/config or /admin/stats");
    }
  }

  private void adminConfig(HttpExchange exchange) throws IOException {
    if (!allowMethods(exchange, "GET", "HEAD", "POST")) {
      return;
    }
    if (exchange.getRequestMethod().equals("POST")) {
      BehaviourChange change;
      try {
        String body = readBody(exchange);
        change =
            BehaviourChange.parse(
                exchange.getRequestHeaders().getFirst("Content-Type"), body, json);
      } catch (IllegalArgumentException e) {
        respondError(exchange, 400, e.getMessage());
        return;
      }
      behaviour.updateAndGet(change::applyTo);
    }
    respond(exchange, 200, JSON, toJson(AdminConfig.of(version, behaviour.get())));
  }

  private static String readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_ADMIN_BODY + 1);
      if (bytes.length > MAX_ADMIN_BODY) {
        throw new IllegalArgumentException("body: larger than " + MAX_ADMIN_BODY + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static boolean allowMethods(HttpExchange exchange, String... methods) throws IOException {
    String method = exchange.getRequestMethod();
    for (String allowed : methods) {
      if (allowed.equals(method)) {
        return true;
      }
    }
    exchange.getResponseHeaders().set("Allow", String.join(", ", methods));
    respond(exchange, 405, TEXT, text("method not allowed"));
    return false;
  }

  private void respondError(HttpExchange exchange, int status, String message) throws IOException {
    respond(exchange, status, JSON, toJson(Map.of("error", message)));
  }

  /** Every answer has a Content-Length, so the JDK server keeps the connection alive. */
  private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    // 0 would mean "chunked" to the JDK server; every body here has at least one byte.
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void pause(Duration delay) {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      // Stopping: answer at once rather than drop the request.
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] text(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] toJson(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ThreadFactory threads(String version) {
    AtomicInteger next = new AtomicInteger();
    return runnable -> {
      Thread thread =
          new Thread(runnable, "demo-service-" + version + "-" + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** The body of an application answer; {@code error} only on injected failures. */
  record Answer(String version, String instance, String error) {}

  /** The body of {@code GET /admin/config}. */
  record AdminConfig(
      String version, double errorRate, Duration latency, Duration latencyJitter, boolean healthy) {
    static AdminConfig of(String version, Behaviour b) {
      return new AdminConfig(version, b.errorRate(), b.latency(), b.latencyJitter(), b.healthy());
    }
  }
}
