package dev.trafficctl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.tuning.PollerBehaviorAutoscaling;
import io.temporal.worker.tuning.PollerBehaviorSimpleMaximum;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The worker's own settings and their defaults (the connection's are the client module's). */
class TrafficWorkerSettingsTest {

  private static final String KEYS = "k2:" + "A".repeat(43) + "=,k1:" + "B".repeat(43) + "=";
  private static final String KEY = "tk-worker-Zq8vR2kP0s";

  @TempDir Path dir;

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
  void tuningFlagsReachTheSdksOptionsAndUnsetOnesKeepItsDefaults() {
    WorkerTuning tuning =
        settings(
                "--workflow-task-slots", "300",
                "--activity-slots", "150",
                "--workflow-pollers", "auto",
                "--activity-pollers", "8",
                "--workflow-cache", "1200",
                "--workflow-threads", "1500")
            .tuning();

    WorkerOptions worker = tuning.apply(WorkerOptions.newBuilder()).build();
    assertEquals(300, worker.getMaxConcurrentWorkflowTaskExecutionSize());
    assertEquals(150, worker.getMaxConcurrentActivityExecutionSize());
    assertTrue(worker.getWorkflowTaskPollersBehavior() instanceof PollerBehaviorAutoscaling);
    assertEquals(
        8,
        ((PollerBehaviorSimpleMaximum) worker.getActivityTaskPollersBehavior())
            .getMaxConcurrentTaskPollers());
    WorkerFactoryOptions factory = tuning.apply(WorkerFactoryOptions.newBuilder()).build();
    assertEquals(1200, factory.getWorkflowCacheSize());
    assertEquals(1500, factory.getMaxWorkflowThreadCount());
    assertEquals(
        "workflow task slots 300, activity slots 150, workflow pollers autoscaled, activity"
            + " pollers 8, workflow cache 1200, workflow threads 1500",
        tuning.describe());

    WorkerTuning none = settings().tuning();
    assertEquals(WorkerTuning.DEFAULTS, none);
    assertEquals(
        WorkerFactoryOptions.newBuilder().validateAndBuildWithDefaults().getWorkflowCacheSize(),
        none.apply(WorkerFactoryOptions.newBuilder())
            .validateAndBuildWithDefaults()
            .getWorkflowCacheSize());
  }

  @Test
  void aTuningCountBelowOneIsBadInputInOneLine() {
    StartupFailure cache =
        assertThrows(StartupFailure.class, () -> settings("--workflow-cache", "0"));
    assertEquals(StartupFailure.BAD_INPUT, cache.exitCode());
    assertEquals("--workflow-cache 0 must be at least 1", cache.getMessage());

    StringWriter err = new StringWriter();
    CommandLine cli = TrafficWorker.newCommandLine(new TrafficWorker());
    cli.setErr(new PrintWriter(err));
    assertEquals(StartupFailure.BAD_INPUT, cli.execute("--workflow-pollers", "none"));
    assertEquals(
        "trafficctl-worker: Invalid value for option '--workflow-pollers': 'none' is not a number"
            + " of pollers or auto (see 'trafficctl-worker --help')",
        err.toString().strip());

    StringWriter none = new StringWriter();
    CommandLine zero = TrafficWorker.newCommandLine(new TrafficWorker());
    zero.setErr(new PrintWriter(none));
    assertEquals(StartupFailure.BAD_INPUT, zero.execute("--activity-pollers", "0"));
    assertEquals(
        "trafficctl-worker: Invalid value for option '--activity-pollers': '0' must be at least 1,"
            + " or auto (see 'trafficctl-worker --help')",
        none.toString().strip());
  }

  @Test
  void routerHostsComeFromTheFlagsElseTheEnvironmentAndMustBeNames() {
    assertEquals(List.of(), settings().routerHosts());
    assertEquals(
        List.of("lb-1", "lb-2.eu"),
        settings("--router-host", "lb-1", "--router-host", "lb-2.eu", "--router-host", "lb-1")
            .routerHosts());
    assertEquals(
        List.of("lb-3", "lb-4"),
        settings(Map.of("TRAFFICCTL_ROUTER_HOSTS", "lb-3, lb-4,")).routerHosts());
    assertEquals(
        List.of("lb-1"),
        settings(Map.of("TRAFFICCTL_ROUTER_HOSTS", "lb-3"), "--router-host", "lb-1").routerHosts());

    StartupFailure failure =
        assertThrows(StartupFailure.class, () -> settings("--router-host", "LB_1"));
    assertEquals(StartupFailure.BAD_INPUT, failure.exitCode());
    assertEquals(
        "--router-host: \"LB_1\" is not a router host name ([a-z0-9][a-z0-9.-]*, as the"
            + " catalog's router.host)",
        failure.getMessage());
  }

  @Test
  void aHealthPortOutOfRangeIsBadInput() {
    StartupFailure failure =
        assertThrows(StartupFailure.class, () -> settings("--health-port", "70000"));
    assertEquals(StartupFailure.BAD_INPUT, failure.exitCode());
    assertEquals("--health-port 70000 is not a port (0..65535)", failure.getMessage());
  }

  private record Exit(int code, String err, boolean contacted) {}

  /**
   * The worker's command as main runs it, with {@code env} as its environment, against a socket
   * standing in for Temporal; true in {@link Exit#contacted} when anything connected to it.
   */
  private Exit run(Map<String, String> env, String... args) throws IOException {
    try (ServerSocket temporal = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      TrafficWorker worker = new TrafficWorker();
      Map<String, String> environment = new HashMap<>(env);
      environment.put("TEMPORAL_CONFIG_FILE", dir.resolve("absent.toml").toString());
      worker.environment = environment;
      StringWriter err = new StringWriter();
      List<String> all = new ArrayList<>(List.of(args));
      all.addAll(
          List.of(
              "--address",
              "127.0.0.1:" + temporal.getLocalPort(),
              "--connect-timeout",
              "2s",
              "--health-port",
              "0",
              "--state-dir",
              dir.toString()));
      int code =
          TrafficWorker.newCommandLine(worker)
              .setErr(new PrintWriter(err))
              .execute(all.toArray(String[]::new));
      temporal.setSoTimeout(200);
      boolean contacted;
      try (var ignored = temporal.accept()) {
        contacted = true;
      } catch (SocketTimeoutException none) {
        contacted = false;
      }
      return new Exit(code, err.toString(), contacted);
    }
  }

  @Test
  void anApiKeyWithNoTlsIsRefusedBeforeConnecting() throws IOException {
    Exit exit = run(Map.of("TEMPORAL_API_KEY", KEY), "--no-tls");

    assertEquals(StartupFailure.BAD_INPUT, exit.code(), exit.err());
    assertEquals(
        "trafficctl-worker: refusing to send the API key from TEMPORAL_API_KEY in clear text:"
            + " TLS is off (--no-tls); turn TLS on or remove the API key",
        exit.err().strip());
    assertFalse(exit.contacted(), "a connection was opened, the key sent");
  }

  @Test
  void anApiKeyFileWithTemporalTlsFalseIsRefused() throws IOException {
    Path keyFile = dir.resolve("api-key");
    Files.writeString(keyFile, KEY + "\n");

    Exit exit = run(Map.of("TEMPORAL_TLS", "false"), "--api-key-file", keyFile.toString());

    assertEquals(StartupFailure.BAD_INPUT, exit.code(), exit.err());
    assertEquals(
        "trafficctl-worker: refusing to send the API key from --api-key-file "
            + keyFile
            + " in clear text: TLS is off (TEMPORAL_TLS=false); turn TLS on or remove the API key",
        exit.err().strip());
    assertFalse(exit.err().contains(KEY));
    assertFalse(exit.contacted(), "a connection was opened, the key sent");
  }
}
