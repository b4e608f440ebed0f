package dev.trafficctl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The worker's own settings and their defaults (the connection's are the client module's). */
class TrafficWorkerSettingsTest {

  private static final String KEYS = "k2:" + "A".repeat(43) + "=,k1:" + "B".repeat(43) + "=";

  private static WorkerSettings settings(String... args) {
    return settings(Map.of(), args);
  }

  private static WorkerSettings settings(Map<String, String> env, String... args) {
    TrafficWorker worker = new TrafficWorker();
    TrafficWorker.newCommandLine(worker).parseArgs(args);
    Map<String, String> all = new HashMap<>(env);
    all.put("TEMPORAL_CONFIG_FILE", "/nonexistent/temporal.toml");
    worker.environment = all;
    return worker.settings();
  }

  @Test
  void withoutKeysPayloadsStayPlainAndNoCodecServerRuns() {
    WorkerSettings settings = settings();
    assertFalse(settings.encryption().encrypts());
    assertNull(settings.codec());
  }

  @Test
  void keysAndTheCodecServerComeFromTheEnvironment() {
    WorkerSettings settings =
        settings(
            Map.of(
                "TRAFFICCTL_PAYLOAD_KEYS", KEYS,
                "TRAFFICCTL_REQUIRE_ENCRYPTED_PAYLOADS", "true",
                "TRAFFICCTL_CODEC_PORT", "0",
                "TRAFFICCTL_WEB_UI", "http://127.0.0.1:9233"),
            "--codec-host",
            "localhost");
    assertEquals(List.of("k2", "k1"), settings.encryption().keys().ids());
    assertTrue(settings.encryption().requireEncrypted());
    assertEquals("localhost", settings.codec().host());
    assertEquals(0, settings.codec().port());
    assertNull(settings.codec().bearerToken());
    assertEquals(
        Set.of("http://127.0.0.1:9233", "http://localhost:9233"),
        settings.codec().allowedOrigins());
  }

  @Test
  void theCodecServerAndRequiringEncryptionNeedAKey() {
    StartupFailure codec =
        assertThrows(StartupFailure.class, () -> settings("--codec-port", "7281"));
    assertEquals(StartupFailure.BAD_INPUT, codec.exitCode());
    assertTrue(codec.getMessage().startsWith("--codec-port serves the payload keys"));
    StartupFailure require =
        assertThrows(StartupFailure.class, () -> settings("--require-encrypted-payloads"));
    assertTrue(require.getMessage().startsWith("--require-encrypted-payloads needs a payload key"));
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
