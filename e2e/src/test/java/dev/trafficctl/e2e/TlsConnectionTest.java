package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection settings of docs/connection.md against a real server: the dev server behind an
 * nginx that terminates TLS ({@link TlsFront}), reached by bin/trafficctl and bin/trafficctl-worker
 * with client certificates and with an API key, through flags, environment variables and a
 * temporal.toml profile; and what a user reads when a setting is wrong: one line on stderr that
 * names the problem, never a stack trace, never the key.
 */
class TlsConnectionTest {

  private static final String API_KEY = "tk-e2e-7f3c9a1d5b8e";
  private static final String WRONG_KEY = "tk-e2e-wrong-0000";

  @TempDir static Path dir;

  private static DevServer server;
  private static TlsFront front;
  private static WorkerProcess worker;
  private static Path catalog;
  private static Path keyFile;
  private static Path wrongKeyFile;

  @BeforeAll
  static void start() throws Exception {
    server = new DevServer(dir.resolve("temporal"));
    server.start();
    front = TlsFront.start(dir.resolve("tls"), server.address(), API_KEY);
    catalog = dir.resolve("trafficctl.yaml");
    Files.writeString(
        catalog,
        """
        services:
          api:
            environments:
              remote:
                router: { type: file, file: { state_dir: routes } }
                versions:
                  v1: { servers: ["127.0.0.1:19081"] }
                  v2: { servers: ["127.0.0.1:19082"] }
        """);
    keyFile = dir.resolve("api-key");
    Files.writeString(keyFile, API_KEY + "\n");
    wrongKeyFile = dir.resolve("wrong-key");
    Files.writeString(wrongKeyFile, WRONG_KEY + "\n");
    // The worker takes its TLS settings from the SDK's environment variables, as in a container.
    Path state = Files.createDirectories(dir.resolve("worker"));
    worker = WorkerProcess.start(front.mtlsAddress(), state, dir.resolve("worker.log"), mtlsEnv());
  }

  @AfterAll
  static void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    if (front != null) {
      front.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Mutual TLS to the front through TEMPORAL_TLS_* (the address comes separately). */
  private static Map<String, String> mtlsEnv() {
    return Map.of(
        "TEMPORAL_TLS_CLIENT_CERT_PATH", front.clientCert().toString(),
        "TEMPORAL_TLS_CLIENT_KEY_PATH", front.clientKey().toString(),
        "TEMPORAL_TLS_SERVER_CA_CERT_PATH", front.ca().toString(),
        "TEMPORAL_TLS_SERVER_NAME", "localhost");
  }

  private static List<String> mtlsFlags() {
    return List.of(
        "--address",
        front.mtlsAddress(),
        "--tls-cert",
        front.clientCert().toString(),
        "--tls-key",
        front.clientKey().toString(),
        "--tls-ca",
        front.ca().toString(),
        "--tls-server-name",
        "localhost");
  }

  @Test
  void theCliConnectsWithClientCertificateFlags() {
    Run run = trafficctl(Map.of(), args(List.of("traffic", "list", "--all"), mtlsFlags()));
    run.expect(0);
    assertEquals("", run.err());
  }

  @Test
  void theCliConnectsWithTemporalEnvironmentVariables() {
    Map<String, String> env = new HashMap<>(mtlsEnv());
    env.put("TEMPORAL_ADDRESS", front.mtlsAddress());
    trafficctl(env, "traffic", "list", "--all").expect(0);
  }

  @Test
  void theCliConnectsWithATemporalTomlProfile() throws Exception {
    Path toml = dir.resolve("temporal.toml");
    Files.writeString(
        toml,
        """
        [profile.remote]
        address = "%s"
        namespace = "default"
        [profile.remote.tls]
        client_cert_path = "%s"
        client_key_path = "%s"
        server_ca_cert_path = "%s"
        server_name = "localhost"
        """
            .formatted(front.mtlsAddress(), front.clientCert(), front.clientKey(), front.ca()));
    trafficctl(
            Map.of("TEMPORAL_CONFIG_FILE", toml.toString()),
            "traffic",
            "list",
            "--profile",
            "remote")
        .expect(0);
    // A flag still wins over the profile: the wrong CA fails.
    Run wrong =
        trafficctl(
            Map.of("TEMPORAL_CONFIG_FILE", toml.toString()),
            "traffic",
            "list",
            "--profile",
            "remote",
            "--tls-ca",
            front.otherCa().toString());
    wrong.expect(2);
  }

  @Test
  void aWorkerOnMutualTlsRunsACanaryToPromotion() throws Exception {
    Path doc = dir.resolve("canary.yaml");
    Files.writeString(
        doc,
        """
        canary:
          api:
            steps:
              - { traffic_percent: 50, duration: 2s }
              - traffic_percent: 100
        """);
    List<String> deploy =
        List.of(
            "traffic",
            "canary",
            "deploy",
            "api",
            "--env",
            "remote",
            "--version",
            "v2",
            "-f",
            doc.toString(),
            "--wait",
            "-o",
            "json");
    Run run = trafficctl(Map.of(), args(deploy, mtlsFlags())).expect(0);
    JsonNode status = JsonMapping.json().readTree(run.out());
    assertEquals("Promoted", status.path("phase").asText(), run.out());
    assertEquals(100, status.path("weight").asInt(), run.out());
    assertTrue(worker.logText().contains("polling"), worker.logText());
  }

  @Test
  void aServerCertificateFromAnotherCaIsOneLineAboutTrust() {
    List<String> flags = new ArrayList<>(mtlsFlags());
    flags.set(flags.indexOf("--tls-ca") + 1, front.otherCa().toString());
    Run cli = trafficctl(Map.of(), args(List.of("traffic", "list"), flags));
    String line = oneLine(cli, 2);
    assertTrue(line.contains("not signed by a trusted CA"), line);
    assertTrue(line.contains("--tls-ca"), line);

    Map<String, String> env = new HashMap<>(mtlsEnv());
    env.put("TEMPORAL_TLS_SERVER_CA_CERT_PATH", front.otherCa().toString());
    Run workerRun = trafficctlWorker(env, "--address", front.mtlsAddress());
    String workerLine = oneLine(workerRun, 2);
    assertTrue(workerLine.startsWith("trafficctl-worker: TLS: "), workerLine);
    assertTrue(workerLine.contains("not signed by a trusted CA"), workerLine);
  }

  @Test
  void withoutAClientCertificateTheMutualTlsPortRefuses() {
    Run run =
        trafficctl(
            Map.of(),
            "traffic",
            "list",
            "--address",
            front.mtlsAddress(),
            "--tls-ca",
            front.ca().toString());
    String line = oneLine(run, 2);
    assertTrue(line.contains("--tls-cert"), line);
  }

  @Test
  void aKeyInTheOldRsaFormatIsNamedBeforeAnythingIsSent() {
    List<String> flags = new ArrayList<>(mtlsFlags());
    flags.set(flags.indexOf("--tls-key") + 1, front.clientKeyPkcs1().toString());
    Run run = trafficctl(Map.of(), args(List.of("traffic", "list"), flags));
    String line = oneLine(run, 2);
    assertTrue(line.contains(front.clientKeyPkcs1() + " is not an unencrypted PKCS #8"), line);
    assertTrue(line.contains("openssl pkcs8 -topk8"), line);
  }

  @Test
  void plaintextAgainstTheTlsPortAndTlsAgainstThePlaintextPortAreNamed() {
    Run plaintext =
        trafficctl(Map.of(), "traffic", "list", "--address", front.mtlsAddress(), "--no-tls");
    assertTrue(oneLine(plaintext, 2).contains("TEMPORAL_TLS=true"), plaintext.err());
    Run tls =
        trafficctl(
            Map.of(),
            "traffic",
            "list",
            "--address",
            server.address(),
            "--tls-ca",
            front.ca().toString());
    assertTrue(oneLine(tls, 2).contains("does not speak TLS"), tls.err());
  }

  @Test
  void aClosedPortIsOneLineWithinSeconds() {
    String closed = "127.0.0.1:" + Ports.free();
    Instant started = Instant.now();
    Run run = trafficctl(Map.of(), "traffic", "list", "--address", closed);
    Duration took = Duration.between(started, Instant.now());
    String line = oneLine(run, 3);
    assertEquals(
        "trafficctl: cannot reach Temporal at "
            + closed
            + ": connection refused (is it running? check --address or TEMPORAL_ADDRESS)",
        line);
    assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "took " + took);
  }

  @Test
  void anApiKeyFromAFileOrTheEnvironmentIsSentAndAWrongOneRefused() {
    List<String> tls =
        List.of("--address", front.apiKeyAddress(), "--tls-ca", front.ca().toString());
    Run fromFile =
        trafficctl(
            Map.of(), args(List.of("traffic", "list", "--api-key-file", keyFile.toString()), tls));
    fromFile.expect(0);
    Run fromEnv =
        trafficctl(
            Map.of(
                "TEMPORAL_API_KEY", API_KEY,
                "TEMPORAL_ADDRESS", front.apiKeyAddress(),
                "TEMPORAL_TLS_SERVER_CA_CERT_PATH", front.ca().toString()),
            "traffic",
            "list");
    fromEnv.expect(0);

    Run wrong =
        trafficctl(
            Map.of(),
            args(List.of("traffic", "list", "--api-key-file", wrongKeyFile.toString()), tls));
    String line = oneLine(wrong, 2);
    assertTrue(line.contains("refused the credentials"), line);
    assertTrue(line.contains("UNAUTHENTICATED"), line);
    noSecretIn(wrong.out() + wrong.err());

    Run none = trafficctl(Map.of(), args(List.of("traffic", "list"), tls));
    assertTrue(oneLine(none, 2).contains("no API key was sent"), none.err());
  }

  @Test
  void aWorkerWithAnApiKeyPollsAndAWrongKeyIsRefusedWithoutShowingIt() throws Exception {
    Map<String, String> env =
        Map.of(
            "TEMPORAL_API_KEY", API_KEY, "TEMPORAL_TLS_SERVER_CA_CERT_PATH", front.ca().toString());
    Path state = Files.createDirectories(dir.resolve("worker-api-key"));
    Path log = dir.resolve("worker-api-key.log");
    try (WorkerProcess keyed = WorkerProcess.start(front.apiKeyAddress(), state, log, env)) {
      assertEquals(0, keyed.stop());
      noSecretIn(keyed.logText());
    }

    Run refused =
        trafficctlWorker(
            Map.of(
                "TEMPORAL_API_KEY",
                WRONG_KEY,
                "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
                front.ca().toString()),
            "--address",
            front.apiKeyAddress());
    String line = oneLine(refused, 2);
    assertTrue(line.contains("refused the credentials"), line);
    noSecretIn(refused.out() + refused.err());
  }

  /** The command failed with {@code code} and said so in exactly one line on stderr. */
  private static String oneLine(Run run, int code) {
    run.expect(code);
    List<String> lines = run.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "one line on stderr:\n" + run.err());
    String line = lines.get(0);
    assertFalse(line.contains("Exception"), line);
    assertFalse(line.contains("io exception"), line);
    assertFalse(line.contains("Channel Pipeline"), line);
    return line;
  }

  private static void noSecretIn(String text) {
    assertFalse(text.contains(API_KEY), "the API key is not shown");
    assertFalse(text.contains(WRONG_KEY), "the wrong API key is not shown");
  }

  private static List<String> args(List<String> command, List<String> flags) {
    List<String> all = new ArrayList<>(command);
    all.addAll(flags);
    return all;
  }

  private static Run trafficctl(Map<String, String> env, String... args) {
    return trafficctl(env, List.of(args));
  }

  private static Run trafficctl(Map<String, String> env, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(ProjectPaths.bin("trafficctl").toString());
    command.addAll(args);
    Map<String, String> all = new HashMap<>(env);
    all.put("TRAFFICCTL_CATALOG", catalog.toString());
    // No temporal.toml of the machine's: only what a test sets applies.
    all.putIfAbsent("TEMPORAL_CONFIG_FILE", dir.resolve("absent.toml").toString());
    return Run.of(command, all, dir, Duration.ofSeconds(60));
  }

  /** A worker that is expected to fail at start: its exit code and output. */
  private static Run trafficctlWorker(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProjectPaths.bin("trafficctl-worker").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("--health-port", "0", "--connect-timeout", "10s"));
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("TEMPORAL_CONFIG_FILE", dir.resolve("absent.toml").toString());
    return Run.of(command, all, dir, Duration.ofSeconds(60));
  }
}
