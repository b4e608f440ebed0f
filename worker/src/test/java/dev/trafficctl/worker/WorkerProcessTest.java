package dev.trafficctl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.activities.notify.WebUiLinks;
import dev.trafficctl.client.payload.PayloadEncryption;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.workflows.TrafficDataConverter;
import dev.trafficctl.workflows.canary.CanaryInput;
import dev.trafficctl.workflows.canary.CanaryWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker against Temporal's in-process test server listening on a loopback port: it polls, runs
 * the canary workflow type with trafficctl's data converter, answers /healthz and /metrics, and
 * stops within its shutdown timeout.
 */
class WorkerProcessTest {

  private static final WebUiLinks LINKS = new WebUiLinks("http://localhost:8233", "default");

  private static TestServer.PortBoundTestServer temporal;
  private static String address;

  @TempDir Path stateDir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void startTemporal() {
    int port = Ports.free();
    temporal = TestServer.createPortBoundServer(port, true);
    address = "127.0.0.1:" + port;
  }

  @AfterAll
  static void stopTemporal() {
    temporal.close();
  }

  private WorkerSettings settings(String taskQueue, int healthPort) {
    return new WorkerSettings(
        ClientConfigProfile.newBuilder().setAddress(address).setNamespace("default").build(),
        taskQueue,
        "127.0.0.1",
        healthPort,
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        Duration.ofMillis(100),
        PayloadEncryption.OFF,
        null,
        WorkerTuning.DEFAULTS,
        List.of());
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void pollsServesHealthAndMetricsAndStops() throws Exception {
    String taskQueue = "worker-process-test";
    WorkerProcess worker =
        WorkerProcess.start(
            settings(taskQueue, Ports.free()),
            Activities.create(
                ActivityLimits.defaults(stateDir), Notifications.create(Map.of(), LINKS)));
    int healthPort = worker.healthPort();
    try {
      assertEquals(200, get(healthPort, "/healthz").statusCode());

      // The canary type runs here with trafficctl's converter: a bad input fails on validation.
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
      try {
        WorkflowClient client =
            WorkflowClient.newInstance(
                stubs,
                WorkflowClientOptions.newBuilder()
                    .setDataConverter(TrafficDataConverter.get())
                    .build());
        CanaryWorkflow canary =
            client.newWorkflowStub(
                CanaryWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(taskQueue)
                    .setWorkflowId("test.api")
                    .setWorkflowExecutionTimeout(Duration.ofSeconds(10))
                    .build());
        WorkflowFailedException failed =
            assertThrows(
                WorkflowFailedException.class,
                () -> canary.run(new CanaryInput("api", "test", "v2", null, null, "test")));
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failed.getCause());
        assertEquals(dev.trafficctl.workflows.WorkflowFailures.INVALID_INPUT, cause.getType());
      } finally {
        stubs.shutdownNow();
      }

      String metrics = awaitMetric(healthPort, "temporal_");
      assertTrue(metrics.contains("temporal_"), metrics);
      assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics");
    } finally {
      Instant stopping = Instant.now();
      assertTimeoutPreemptively(Duration.ofSeconds(10), worker::close);
      Duration took = Duration.between(stopping, Instant.now());
      assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "stopped in " + took);
    }
    assertThrows(IOException.class, () -> get(healthPort, "/healthz"), "endpoint closed");
  }

  @Test
  void anUnreachableServerIsExitCodeThree() {
    WorkerSettings settings =
        new WorkerSettings(
            ClientConfigProfile.newBuilder()
                .setAddress("127.0.0.1:" + Ports.free())
                .setNamespace("default")
                .build(),
            "worker-process-test-down",
            "127.0.0.1",
            0,
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            PayloadEncryption.OFF,
            null,
            WorkerTuning.DEFAULTS,
            List.of());
    StartupFailure failure =
        assertThrows(
            StartupFailure.class,
            () ->
                WorkerProcess.start(
                    settings,
                    Activities.create(
                        ActivityLimits.defaults(stateDir), Notifications.create(Map.of(), LINKS))));
    assertEquals(StartupFailure.UNREACHABLE, failure.exitCode(), failure.getMessage());
  }

  /** The SDK's metrics reach the registry on the reporting interval; wait for them, bounded. */
  private String awaitMetric(int port, String prefix) throws Exception {
    Instant deadline = Instant.now().plusSeconds(5);
    String body = "";
    while (Instant.now().isBefore(deadline)) {
      body = get(port, "/metrics").body();
      if (body.lines().anyMatch(line -> line.startsWith(prefix))) {
        return body;
      }
      Thread.sleep(100);
    }
    return body;
  }
}
