package dev.trafficctl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's own settings and their defaults (the connection's are the client module's). */
class TrafficWorkerSettingsTest {

  private static WorkerSettings settings(String... args) {
    TrafficWorker worker = new TrafficWorker();
    TrafficWorker.newCommandLine(worker).parseArgs(args);
    worker.environment = Map.of("TEMPORAL_CONFIG_FILE", "/nonexistent/temporal.toml");
    return worker.settings();
  }

  @Test
  void theTaskQueueDefaultsToTheRolloutsQueue() {
    WorkerSettings settings = settings();
    assertEquals("trafficctl-rollouts", settings.taskQueue());
    assertEquals(7280, settings.healthPort());
    assertEquals("127.0.0.1", settings.healthHost());
    assertEquals("127.0.0.1:7233", settings.address());
  }

  @Test
  void aHealthPortOutOfRangeIsBadInput() {
    StartupFailure failure =
        assertThrows(StartupFailure.class, () -> settings("--health-port", "70000"));
    assertEquals(StartupFailure.BAD_INPUT, failure.exitCode());
    assertEquals("--health-port 70000 is not a port (0..65535)", failure.getMessage());
  }
}
