package dev.trafficctl.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP endpoint the worker serves beside its polling (health and metrics, the codec server): one
 * handler for every path, two daemon threads (so one slow request never holds up the next, and the
 * worker's exit never waits for them), and a one-line startup failure naming the flag that asked
 * for it.
 */
final class WorkerHttpServer implements AutoCloseable {

  /** Answers one request; the exchange is closed afterwards. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private WorkerHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Listens on {@code address} (port 0: any free port) and serves {@code handler}.
   *
   * @param portFlag the flag that set the port, for the failure: {@code --health-port}
   * @param host the host as the person wrote it, for the failure
   * @param threads the name of its threads
   */
  static WorkerHttpServer start(
      String portFlag, String host, InetSocketAddress address, String threads, Handler handler) {
    int port = address.getPort();
    HttpServer server;
    try {
      server = HttpServer.create(address, 16);
    } catch (BindException e) {
      throw new StartupFailure(
          StartupFailure.BAD_INPUT,
          portFlag + " " + port + ": cannot listen on " + host + ":" + port + " (in use?)");
    } catch (IOException e) {
      throw new StartupFailure(
          StartupFailure.BAD_INPUT,
          portFlag + " " + port + ": cannot listen on " + host + ": " + e.getMessage());
    }
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            runnable -> {
              Thread thread = new Thread(runnable, threads);
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            handler.handle(exchange);
          }
        });
    server.start();
    return new WorkerHttpServer(server, executor);
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
