package dev.trafficctl.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A small HTTP endpoint beside the worker: {@code GET /healthz} answers 200 while the worker polls
 * and Temporal answers its health check, 503 otherwise; {@code GET /metrics} is the Prometheus
 * scrape. Loopback by default: it tells nothing secret, but nothing outside the host needs it
 * unless the operator says so.
 */
final class HealthServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;

  private HealthServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Listens on {@code host:port} (port 0: any free port).
   *
   * @param healthy asked on every {@code /healthz}; may block for one Temporal health check
   * @param metrics the text of {@code /metrics}
   */
  static HealthServer start(
      String host, int port, BooleanSupplier healthy, Supplier<String> metrics) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (BindException e) {
      throw new StartupFailure(
          StartupFailure.BAD_INPUT,
          "--health-port " + port + ": cannot listen on " + host + ":" + port + " (in use?)");
    } catch (IOException e) {
      throw new StartupFailure(
          StartupFailure.BAD_INPUT,
          "--health-port " + port + ": cannot listen on " + host + ": " + e.getMessage());
    }
    // Two threads: a scrape never waits behind a slow health check.
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            runnable -> {
              Thread thread = new Thread(runnable, "trafficctl-worker-http");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            route(exchange, healthy, metrics);
          }
        });
    server.start();
    return new HealthServer(server, executor);
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
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
