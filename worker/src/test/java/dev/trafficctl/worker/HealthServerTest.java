package dev.trafficctl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthzFollowsTheCheckAndMetricsIsTheScrape() throws Exception {
    AtomicBoolean healthy = new AtomicBoolean(false);
    try (HealthServer server =
        HealthServer.start("127.0.0.1", 0, healthy::get, () -> "temporal_x 1\n")) {
      assertEquals(503, get(server.port(), "/healthz").statusCode());
      healthy.set(true);
      assertEquals(200, get(server.port(), "/healthz").statusCode());
      HttpResponse<String> metrics = get(server.port(), "/metrics");
      assertEquals(200, metrics.statusCode());
      assertEquals("temporal_x 1\n", metrics.body());
      assertEquals(
          WorkerMetrics.CONTENT_TYPE, metrics.headers().firstValue("Content-Type").orElseThrow());
      assertEquals(404, get(server.port(), "/").statusCode());
      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode());
    }
  }

  @Test
  void aPortInUseIsBadInput() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      StartupFailure failure =
          assertThrows(
              StartupFailure.class,
              () -> HealthServer.start("127.0.0.1", taken.getLocalPort(), () -> true, () -> ""));
      assertEquals(StartupFailure.BAD_INPUT, failure.exitCode());
    }
  }
}
