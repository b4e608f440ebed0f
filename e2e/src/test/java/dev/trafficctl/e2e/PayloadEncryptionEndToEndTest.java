package dev.trafficctl.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted payloads against a real dev server, a worker process holding the key (serving the codec
 * protocol and refusing plain inputs) and the CLI, one of each for the class. A paused canary whose
 * input carries a webhook URL with a token and an email address: {@code temporal workflow show}
 * shows neither without the codec and both through the worker's codec server; the search attributes
 * stay plain and queryable; {@code status} reads the memo with the key and says in one line that it
 * cannot without; a plain start through Temporal's API is refused, the same start encoded through
 * the codec server runs; and the Web UI, given the codec endpoint, shows the input decoded in
 * headless Chromium.
 */
class PayloadEncryptionEndToEndTest {

  private static final String ENV = "secret";
  private static final String TOKEN = "tok-" + Long.toHexString(new SecureRandom().nextLong());
  private static final String EMAIL =
      "oncall-" + Long.toHexString(new SecureRandom().nextLong()) + "@example.com";
  // A loopback port nothing listens on: the canary notifies no channel, and if it did, nothing
  // would leave the machine.
  private static final String WEBHOOK = "http://127.0.0.1:9/hooks/deploys?token=" + TOKEN;

  @TempDir static Path dir;

  private static DevServer server;
  private static WorkerProcess worker;
  private static Cli keyed;
  private static Cli keyless;
  private static String codecEndpoint;

  @BeforeAll
  static void startAPausedEncryptedCanary() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path keys =
        Files.writeString(
            dir.resolve("payload.keys"),
            "# the first encrypts\ne2e-1:" + Base64.getEncoder().encodeToString(key) + "\n");
    int codecPort = Ports.free();
    codecEndpoint = "http://127.0.0.1:" + codecPort;
    server =
        new DevServer(
            dir.resolve("temporal"),
            Map.of("TRAFFICCTL_TEMPORAL_UI_CODEC_ENDPOINT", codecEndpoint));
    server.start();
    Path state = Files.createDirectories(dir.resolve("worker"));
    worker =
        WorkerProcess.start(
            server.address(),
            state,
            dir.resolve("worker.log"),
            Map.of(
                "TRAFFICCTL_PAYLOAD_KEY_FILE", keys.toString(),
                "TRAFFICCTL_CODEC_PORT", Integer.toString(codecPort),
                "TRAFFICCTL_REQUIRE_ENCRYPTED_PAYLOADS", "true",
                "TRAFFICCTL_WEB_UI", server.uiAddress()));

    Path catalog = dir.resolve("trafficctl.yaml");
    Files.writeString(
        catalog,
        """
        services:
          api:
            environments:
              secret:
                router: { type: file, file: { state_dir: routes-api } }
                versions:
                  v1: { servers: ["127.0.0.1:19181"] }
                  v2: { servers: ["127.0.0.1:19182"] }
                notifications:
                  webhook: { url: "%s" }
                  email: { to: ["%s"] }
          pay:
            environments:
              secret:
                router: { type: file, file: { state_dir: routes-pay } }
                versions:
                  v1: { servers: ["127.0.0.1:19183"] }
                  v2: { servers: ["127.0.0.1:19184"] }
        """
            .formatted(WEBHOOK, EMAIL));
    keyed =
        new Cli(server.address(), catalog, Map.of("TRAFFICCTL_PAYLOAD_KEY_FILE", keys.toString()));
    keyless = new Cli(server.address(), catalog);
    for (String service : List.of("api", "pay")) {
      keyed.deployCanary(service, ENV, "v2", pausedCanary(service));
      keyed.awaitStatus(
          service,
          ENV,
          service + " paused for promotion",
          Duration.ofSeconds(60),
          s -> s.path("phase").asText().equals("Paused"));
    }
    // pay ends, so its status is read from the memo, as for any closed run.
    keyed.run("traffic", "canary", "abort", "pay", "--env", ENV, "--reason", "done").expect(0);
    keyed.awaitStatus(
        "pay",
        ENV,
        "pay aborted",
        Duration.ofSeconds(60),
        s -> s.path("phase").asText().equals("Aborted"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theHistoryHidesTheTokenAndTheEmailExceptThroughTheWorkersCodecServer() {
    for (List<String> format : List.of(List.of("--detailed"), List.of("--output", "json"))) {
      List<String> show = new ArrayList<>(List.of("workflow", "show", "-w", ENV + ".api"));
      show.addAll(format);
      String plain = readable(server.temporal(show).expect(0).out());
      assertFalse(plain.contains(TOKEN), "the token shows without the codec:\n" + plain);
      assertFalse(plain.contains(EMAIL), "the email shows without the codec:\n" + plain);
      assertTrue(plain.contains("binary/encrypted"), "no encrypted payload:\n" + plain);

      show.addAll(List.of("--codec-endpoint", codecEndpoint));
      String decoded = readable(server.temporal(show).expect(0).out());
      assertTrue(decoded.contains(TOKEN), "the token is not decoded:\n" + decoded);
      assertTrue(decoded.contains(EMAIL), "the email is not decoded:\n" + decoded);
    }
  }

  /**
   * What {@code workflow show} printed, with every base64 value in it decoded too: its JSON output
   * gives payload data and metadata as protobuf JSON writes bytes, the detailed view the metadata;
   * a secret in either form counts as shown.
   */
  private static String readable(String out) {
    StringBuilder all = new StringBuilder(out);
    Matcher base64 = Pattern.compile("[A-Za-z0-9+/]{8,}={0,2}").matcher(out);
    while (base64.find()) {
      try {
        all.append('\n').append(new String(Base64.getDecoder().decode(base64.group()), UTF_8));
      } catch (IllegalArgumentException e) {
        // Not base64 after all (a word of the output).
      }
    }
    return all.toString();
  }

  /**
   * The codec leaves search attributes alone: the server indexes them, the list filters on them.
   */
  @Test
  void searchAttributesStayPlainAndQueryable() {
    String query =
        "TrafficService=\"api\" AND TrafficEnv=\"" + ENV + "\" AND TrafficPhase=\"Paused\"";
    String listed = server.temporal(List.of("workflow", "list", "--query", query)).expect(0).out();
    assertTrue(listed.contains(ENV + ".api"), listed);
    String table = keyless.run("traffic", "list", "--env", ENV).expect(0).out();
    assertTrue(table.contains("api") && table.contains("Paused"), table);
  }

  @Test
  void statusReadsTheMemoWithTheKeyAndSaysInOneLineThatItCannotWithout() {
    // pay has ended: its status comes from the memo the workflow saved, encrypted.
    JsonNode saved =
        json(keyed.run("traffic", "canary", "status", "pay", "--env", ENV, "-o", "json").out());
    assertEquals("Aborted", saved.path("phase").asText(), saved.toString());

    Run memo = keyless.run("traffic", "canary", "status", "pay", "--env", ENV);
    assertEquals(2, memo.exitCode(), memo.err());
    assertEquals("", memo.out());
    assertEquals(1, memo.err().strip().lines().count(), memo.err());
    assertTrue(
        memo.err()
            .startsWith(
                "trafficctl: the payload is encrypted (key id e2e-1) and no payload key is configured"),
        memo.err());

    // api runs: the worker answers the status query, encrypted as well.
    Run live = keyless.run("traffic", "canary", "status", "api", "--env", ENV);
    assertEquals(2, live.exitCode(), live.err());
    assertTrue(live.err().contains("encrypted (key id e2e-1)"), live.err());
    JsonNode status =
        json(
            keyed
                .run("traffic", "canary", "status", "api", "--env", ENV, "-o", "json")
                .expect(0)
                .out());
    assertEquals("Paused", status.path("phase").asText(), status.toString());
  }

  /**
   * A pipeline's plain start through Temporal's API meets a worker that requires encryption: its
   * first workflow task fails with the reason and nothing runs. The same start, encoded through the
   * codec server, runs.
   */
  @Test
  void aPlainPipelineStartIsRefusedAndTheSameStartThroughTheCodecServerRuns() throws Exception {
    Path input = dir.resolve("web-input.json");
    Files.writeString(
        input,
        """
        {"service": "web", "env": "%s", "version": "v2",
         "canary": {"steps": [{"traffic_percent": 30, "duration": "1s"}, {"traffic_percent": 100}],
                    "auto_promote": false},
         "target": {"router": {"type": "file", "file": {"state_dir": "routes-web"}},
                    "versions": {"v1": {"servers": ["127.0.0.1:19185"]},
                                 "v2": {"servers": ["127.0.0.1:19186"]}}},
         "requested_by": "ci/pipeline-1"}
        """
            .formatted(ENV));
    String plainId = ENV + ".web";
    server.temporal(start(plainId, input)).expect(0);
    String refusal =
        Waits.until(
            "the plain start's workflow task to fail",
            Duration.ofSeconds(30),
            () ->
                server
                    .temporal(
                        List.of(
                            "workflow",
                            "show",
                            "-w",
                            plainId,
                            "--detailed",
                            "--codec-endpoint",
                            codecEndpoint))
                    .expect(0)
                    .out(),
            out -> out.contains("WorkflowTaskFailed"));
    assertTrue(refusal.contains("was refused: this worker requires encrypted payloads"), refusal);
    assertFalse(refusal.contains("ActivityTaskScheduled"), "a refused start ran:\n" + refusal);
    server
        .temporal(List.of("workflow", "terminate", "-w", plainId, "--reason", "refused"))
        .expect(0);

    String encodedId = ENV + ".web2";
    List<String> encoded = start(encodedId, input);
    encoded.addAll(List.of("--codec-endpoint", codecEndpoint));
    server.temporal(encoded).expect(0);
    String ran =
        Waits.until(
            "the encoded start to run its first step",
            Duration.ofSeconds(30),
            () ->
                server
                    .temporal(List.of("workflow", "show", "-w", encodedId, "--detailed"))
                    .expect(0)
                    .out(),
            out -> out.contains("ActivityTaskCompleted"));
    assertFalse(ran.contains("WorkflowTaskFailed"), ran);
    assertFalse(ran.contains("ci/pipeline-1"), "the input is plain in the history:\n" + ran);
  }

  private static List<String> start(String workflowId, Path input) {
    return new ArrayList<>(
        List.of(
            "workflow",
            "start",
            "--type",
            "Canary",
            "--task-queue",
            "trafficctl-rollouts",
            "-w",
            workflowId,
            "--input-file",
            input.toString()));
  }

  /** The Web UI, started with the worker's codec server as its codec endpoint, in Chromium. */
  @Test
  void theWebUiShowsTheInputDecodedThroughTheCodecEndpoint() {
    Path browser = ProjectPaths.root().resolve("e2e/src/test/browser");
    WebUiBrowserTest.requireBrowserTools(browser);
    Path shots = ProjectPaths.root().resolve("e2e/target/web-ui-decoded");
    List<String> command =
        List.of(
            "node",
            browser.resolve("web-ui.mjs").toString(),
            "decoded",
            "--ui",
            server.uiAddress(),
            "--out",
            shots.toString(),
            "--workflow-id",
            ENV + ".api",
            "--allow-host",
            codecEndpoint.substring("http://".length()),
            "--expect",
            TOKEN,
            "--expect",
            EMAIL,
            "--phase",
            "Paused");
    long started = System.nanoTime();
    Run run = Run.of(command, Map.of(), browser, Duration.ofMinutes(2));
    System.out.printf(
        Locale.ROOT,
        "web UI decoded run: %d ms, exit %d%n%s",
        (System.nanoTime() - started) / 1_000_000,
        run.exitCode(),
        run.out());
    run.expect(0);
    JsonNode result = json(run.out());
    assertTrue(result.path("ok").asBoolean(), run.out());
    JsonNode decoded = result.path("decoded");
    assertTrue(decoded.path("input_text").asText().contains(WEBHOOK), decoded.toString());
    assertTrue(decoded.path("codec_calls").size() > 0, "the UI never called the codec server");
  }

  private static Path pausedCanary(String service) throws Exception {
    return Files.writeString(
        dir.resolve("canary-" + service + ".yaml"),
        """
        canary:
          %s:
            steps:
              - { traffic_percent: 20, duration: 1s }
              - traffic_percent: 100
            auto_promote: false
        """
            .formatted(service));
  }

  private static JsonNode json(String text) {
    try {
      return JsonMapping.json().readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON:\n" + text, e);
    }
  }
}
