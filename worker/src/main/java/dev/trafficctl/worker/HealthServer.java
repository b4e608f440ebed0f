package dev.trafficctl.worker;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A small HTTP endpoint beside the worker: {@code GET /healthz} answers 200 while the worker polls
 * and Temporal answers its health check, 503 otherwise; {@code GET /metrics} is the Prometheus
 * scrape. Loopback by default: it tells nothing secret, but nothing outside the host needs it
 * unless the operator says so.
 */
final class HealthServer implements AutoCloseable {

  private final WorkerHttpServer http;

  private HealthServer(WorkerHttpServer http) {
    this.http = http;
  }

  /**
   * Listens on {@code host:port} (port 0: any free port).
   *
   * @param healthy asked on every {@code /healthz}; may block for one Temporal health check
   * @param metrics the text of {@code /metrics}
   */
  static HealthServer start(
      String host, int port, BooleanSupplier healthy, Supplier<String> metrics) {
    // Two threads: a scrape never waits behind a slow health check.
    return new HealthServer(
        WorkerHttpServer.start(
            "--health-port",
            host,
            new InetSocketAddress(host, port),
            "trafficctl-worker-http",
            exchange -> route(exchange, healthy, metrics)));
  }

  private static void route(
      HttpExchange exchange, BooleanSupplier healthy, Supplier<String> metrics) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (!path.equals("/healthz") && !path.equals("/metrics")) {
      respond(exchange, 404, "text/plain; charset=utf-8", "not found: try /healthz or /metrics\n");
    } else if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
    } else if (path.equals("/healthz")) {
      boolean ok = healthy.getAsBoolean();
      respond(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "unavailable\n");
    } else {
      respond(exchange, 200, WorkerMetrics.CONTENT_TYPE, metrics.get());
    }
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  int port() {
    return http.port();
  }

  @Override
  public void close() {
    http.close();
  }
}
