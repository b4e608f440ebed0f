package dev.trafficctl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.testing.Ports;
import io.temporal.testserver.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real main in its own JVM: logs the polling line, and SIGTERM drains it to exit code 0. */
class TrafficWorkerSignalTest {

  @TempDir Path stateDir;

  @Test
  void sigtermStopsTheWorkerWithExitCodeZero() throws Exception {
    int temporalPort = Ports.free();
    try (TestServer.PortBoundTestServer temporal =
        TestServer.createPortBoundServer(temporalPort, true)) {
      int healthPort = Ports.free();
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Process worker =
          new ProcessBuilder(
                  java.toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  TrafficWorker.class.getName(),
                  "--address",
                  "127.0.0.1:" + temporalPort,
                  "--task-queue",
                  "signal-test",
                  "--health-port",
                  String.valueOf(healthPort),
                  "--state-dir",
                  stateDir.toString())
              .redirectErrorStream(true)
              .start();
      List<String> output = new CopyOnWriteArrayList<>();
      CountDownLatch polling = new CountDownLatch(1);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader lines =
                    new BufferedReader(
                        new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = lines.readLine()) != null) {
                    output.add(line);
                    if (line.contains("trafficctl-worker polling signal-test on 127.0.0.1:")) {
                      polling.countDown();
                    }
                  }
                } catch (java.io.IOException e) {
                  // The process is gone; the assertions below tell what happened.
                }
              });
      reader.start();
      try {
        assertTrue(polling.await(15, TimeUnit.SECONDS), () -> "no polling line: " + output);
        assertTrue(
            output.stream().anyMatch(l -> l.endsWith("namespace default") && l.contains("polling")),
            () -> String.join("\n", output));
        assertTrue(
            output.stream()
                .anyMatch(
                    l ->
                        l.endsWith(
                            "trafficctl-worker: the SDK's default slots, pollers and cache")),
            () -> String.join("\n", output));
        HttpResponse<String> health =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + healthPort + "/healthz"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());

        // SIGTERM through the handle: Process.destroy() would also close our end of its output.
        worker.toHandle().destroy();
        assertTrue(worker.waitFor(25, TimeUnit.SECONDS), () -> "still running: " + output);
        reader.join(2000);
        assertEquals(0, worker.exitValue(), () -> String.join("\n", output));
        assertTrue(
            output.stream().anyMatch(l -> l.contains("trafficctl-worker stopped in")),
            () -> String.join("\n", output));
      } finally {
        worker.destroyForcibly();
      }
    }
  }
}
