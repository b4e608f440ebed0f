package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.testing.Waits;
import dev.trafficctl.workflows.TaskQueues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees is true: the CLI as a subprocess against a dev server and a worker process, on
 * file routers, at the moments a new user met false statements. A rollout that failed at once is
 * shown failed, a command on an ended rollout names how it ended, a control command with no worker
 * sends nothing (or says it was sent and not yet applied), a split no worker took up is withdrawn
 * by cancelling it, and watching into a pipe prints a view only when it changes.
 *
 * <p>The first test runs before any worker has polled; the last one kills the worker.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliTruthTest {

  private static final ObjectMapper MAPPER = JsonMapping.json();
  private static final Pattern CLOCK = Pattern.compile("\\d\\d:\\d\\d");

  @TempDir static Path dir;

  private static DevServer server;
  private static WorkerProcess worker;
  private static Cli cli;
  private static Path gated;

  @BeforeAll
  static void start() throws Exception {
    server = new DevServer(dir.resolve("temporal"));
    server.start();
    StringBuilder catalogText = new StringBuilder("services:\n  api:\n    environments:\n");
    for (String env :
        List.of("waiting", "withdrawn", "full", "hand", "done", "never", "gated", "bg")) {
      catalogText
          .append("      ")
          .append(env)
          .append(":\n        router: { type: file, file: { state_dir: routes-")
          .append(env)
          .append(" } }\n        versions:\n")
          .append("          v1: { servers: [\"127.0.0.1:19081\"] }\n")
          .append("          v2: { servers: [\"127.0.0.1:19082\"] }\n")
          .append("          blue: { servers: [\"127.0.0.1:19083\"] }\n")
          .append("          green: { servers: [\"127.0.0.1:19084\"] }\n");
    }
    Path catalog = dir.resolve("trafficctl.yaml");
    Files.writeString(catalog, catalogText);
    Files.createDirectories(dir.resolve("worker"));
    cli = new Cli(server.address(), catalog);
    gated = dir.resolve("canary-gated.yaml");
    Files.writeString(
        gated,
        """
        canary:
          api:
            steps:
              - { traffic_percent: 50, duration: 1s }
              - traffic_percent: 100
            auto_promote: false
        """);
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

  /**
   * The status of {@code workflowId}'s latest run as Temporal has it, e.g. {@code ..._CANCELED}.
   */
  private static String runStatus(String workflowId) {
    String json =
        server
            .temporal(List.of("workflow", "describe", "-w", workflowId, "--output", "json"))
            .expect(0)
            .out();
    try {
      return MAPPER.readTree(json).path("workflowExecutionInfo").path("status").asText();
    } catch (java.io.IOException e) {
      throw new AssertionError(json, e);
    }
  }

  private static void startWorker(String log) {
    worker = WorkerProcess.start(server.address(), dir.resolve("worker"), dir.resolve(log));
  }

  @Test
  @Order(1)
  void withNoWorkerStatusAnswersFromTheMemoAndAControlCommandSendsNothing() {
    Run deploy = deploy("waiting", gated);
    deploy.expect(0);
    assertTrue(deploy.err().contains("no worker is polling"), deploy.err());

    // No poller was ever seen: the saved status at once, without asking for a query.
    Run status = cli.run("traffic", "canary", "status", "api", "--env", "waiting").expect(0);
    assertTrue(
        status.out().contains("Note:       no worker is polling " + TaskQueues.ROLLOUTS),
        status.out());

    Run pause = cli.run("traffic", "canary", "pause", "api", "--env", "waiting").expect(3);
    assertEquals(
        "trafficctl: no worker is polling "
            + TaskQueues.ROLLOUTS
            + "; nothing was sent (start one: bin/trafficctl-worker)\n",
        pause.err());

    // A split no worker takes up in time is withdrawn by cancelling it, not terminating it: had
    // a worker taken it up just then, the workflow would put the weights back.
    Run split =
        cli.run(
                "traffic",
                "split",
                "api",
                "--env",
                "withdrawn",
                "--v1=80",
                "--v2=20",
                "--timeout",
                "2s")
            .expect(1);
    assertTrue(
        split
            .err()
            .endsWith(
                "trafficctl: no worker is polling "
                    + TaskQueues.ROLLOUTS
                    + ": the split of withdrawn.api did not start within 2s and was cancelled; it"
                    + " ends without changing anything when a worker takes it up; start one"
                    + " (bin/trafficctl-worker) and try again\n"),
        split.err());

    startWorker("worker.log");
    // The first worker ends it, cancelled, without reading or changing the router.
    String ended =
        Waits.until(
            "the withdrawn split closed once a worker polls",
            Duration.ofSeconds(30),
            () -> runStatus("withdrawn.api"),
            closed -> !closed.endsWith("RUNNING"));
    assertEquals("WORKFLOW_EXECUTION_STATUS_CANCELED", ended);
    String history =
        server
            .temporal(List.of("workflow", "show", "-w", "withdrawn.api", "--output", "json"))
            .expect(0)
            .out();
    assertFalse(history.contains("SetWeights"), history);
    assertFalse(history.contains("ReadWeights"), history);

    JsonNode picked =
        cli.awaitStatus(
            "api",
            "waiting",
            "the canary taken up once a worker polls",
            Duration.ofSeconds(30),
            s -> s.path("phase").asText().equals("Paused"));
    // The pause refused above never reached it: it stands at its gate, not paused by a person.
    assertEquals(50, picked.path("weight").asInt(), picked.toString());
    assertTrue(picked.path("actions").isEmpty(), picked.toString());
  }

  @Test
  @Order(2)
  void aRolloutThatFailedAtOnceIsShownFailedNeverRunning() throws Exception {
    cli.run("traffic", "split", "api", "--env", "full", "--v1=0", "--v2=100").expect(0);

    // What the CLI can know, it refuses before starting anything.
    Run refused = deploy("full", gated);
    refused.expect(4);
    assertOneLine(refused.err());
    assertTrue(
        refused
            .err()
            .matches(
                "trafficctl: full.api: v2 serves all traffic already \\(weights \\{v1=0, v2=100\\}"
                    + " from the last split\\); nothing to deploy\\n"),
        refused.err());

    // The same weights put in force by hand (a GitOps revert) where no rollout ever ran: the CLI
    // cannot know them and starts the canary; the workflow reads the router and refuses it.
    Path routes = dir.resolve("worker");
    Path byHand = Files.createDirectories(routes.resolve("routes-hand/hand")).resolve("api.json");
    Files.copy(routes.resolve("routes-full/full/api.json"), byHand);
    cli.deployCanary("api", "hand", "v2", gated);
    JsonNode failed =
        cli.awaitStatus(
            "api",
            "hand",
            "the canary failed",
            Duration.ofSeconds(30),
            s -> s.path("phase").asText().equals("Failed"));
    assertEquals("v2 already serves 100% of api in hand", failed.path("message").asText());

    Run status = cli.run("traffic", "canary", "status", "api", "--env", "hand").expect(1);
    assertTrue(
        status.out().contains("Status:     Failed - v2 already serves 100% of api in hand, ended"),
        status.out());
    assertFalse(status.out().contains("Progressing"), status.out());
    assertFalse(status.out().contains("waiting for a worker"), status.out());

    Run list = cli.run("traffic", "list", "--all", "--env", "hand").expect(0);
    String canaryRow =
        list.out().lines().filter(l -> l.contains("canary")).findFirst().orElseThrow();
    assertTrue(canaryRow.matches(".*\\bFailed\\s+0%\\s+failed\\b.*"), list.out());

    Run pause = cli.run("traffic", "canary", "pause", "api", "--env", "hand").expect(4);
    assertOneLine(pause.err());
    assertTrue(
        pause
            .err()
            .matches(
                "trafficctl: hand.api: the last rollout \\(canary -> v2\\) ended Failed at"
                    + " \\d\\d:\\d\\d: v2 already serves 100% of api in hand; nothing to pause\\n"),
        pause.err());

    // The worker says it in one line, with the workflow id; no stack trace for bad input.
    String log = worker.logText();
    assertTrue(
        log.contains("hand.api (Canary) refused its input: v2 already serves 100% of api in hand"),
        log);
    assertFalse(log.contains("\tat "), log);
  }

  @Test
  @Order(3)
  void commandsOnAnEndedRolloutSayHowItEnded() throws Exception {
    Path quick = dir.resolve("canary-quick.yaml");
    Files.writeString(
        quick,
        """
        canary:
          api:
            steps:
              - { traffic_percent: 50, duration: 2s }
              - traffic_percent: 100
        """);
    Run deploy = deploy("done", quick, "--wait").expect(0);
    // Each progress line says the phase, the weight and the rollout's own words, once.
    List<String> progress = deploy.out().lines().filter(l -> l.startsWith("done.api: ")).toList();
    assertTrue(progress.size() >= 2, deploy.out());
    for (int i = 0; i < progress.size(); i++) {
      assertTrue(progress.get(i).matches("done\\.api: [A-Za-z]+ \\d+% - .+"), progress.get(i));
      assertFalse(progress.get(i).contains(" weight "), progress.get(i));
      if (i > 0) {
        assertFalse(progress.get(i).equals(progress.get(i - 1)), deploy.out());
      }
    }
    cli.run("traffic", "canary", "status", "api", "--env", "done").expect(0);

    for (String command : List.of("pause", "promote", "resume")) {
      Run run = cli.run("traffic", "canary", command, "api", "--env", "done").expect(4);
      assertOneLine(run.err());
      assertTrue(
          run.err()
              .startsWith(
                  "trafficctl: done.api: the last rollout (canary v1 -> v2) ended Promoted at "),
          run.err());
      assertTrue(run.err().endsWith("; nothing to " + command + "\n"), run.err());
      assertTrue(CLOCK.matcher(run.err()).find(), run.err());
    }

    Run never = cli.run("traffic", "canary", "pause", "api", "--env", "never").expect(4);
    assertEquals(
        "trafficctl: no rollout never.api has run; start one with trafficctl traffic canary"
            + " deploy\n",
        never.err());
  }

  @Test
  @Order(4)
  void aCommandOfAnotherStrategyNamesTheRolloutThatRuns() {
    deployToItsGate();
    Run promote = cli.run("traffic", "blue-green", "promote", "api", "--env", "gated").expect(4);
    assertEquals(
        "trafficctl: gated.api is a canary, not a blue-green rollout: use trafficctl traffic"
            + " canary promote\n",
        promote.err());
  }

  @Test
  @Order(5)
  void watchingIntoAPipePrintsAViewOnlyWhenItChanges() throws Exception {
    Path out = dir.resolve("watch.out");
    Process watch =
        cli.start(out, "traffic", "canary", "status", "api", "--env", "gated", "--watch");
    try {
      // Several seconds of a canary standing at its gate: nothing changes but its clocks.
      Thread.sleep(5_000);
      cli.run("traffic", "canary", "abort", "api", "--env", "gated", "--reason", "watched enough")
          .expect(0);
      assertTrue(watch.waitFor(30, TimeUnit.SECONDS), "watch ends with the rollout");
      assertEquals(1, watch.exitValue(), "an aborted rollout");
    } finally {
      watch.destroyForcibly();
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    long views = text.lines().filter(l -> l.startsWith("Rollout:")).count();
    // The gate, maybe the abort under way, the end: never one view per second.
    assertTrue(views >= 2 && views <= 3, views + " views:\n" + text);
    assertTrue(text.contains("Status:     Aborted - "), text);
  }

  @Test
  @Order(6)
  void anUpdateNoWorkerAnswersInTimeIsSentAndAppliesLater() throws Exception {
    deployToItsGate();
    worker.kill();
    // The killed worker still counts as a poller for a while: the update goes out, unanswered.
    Run abort =
        cli.run(
                "traffic",
                "canary",
                "abort",
                "api",
                "--env",
                "gated",
                "--reason",
                "while down",
                "--timeout",
                "2s")
            .expect(5);
    assertEquals(
        "trafficctl: gated.api: abort sent; it applies when a worker polls (no answer within"
            + " 2s)\n",
        abort.err());
    startWorker("worker-2.log");
    JsonNode aborted =
        cli.awaitStatus(
            "api",
            "gated",
            "aborted once a worker polls again",
            Duration.ofSeconds(60),
            s -> s.path("phase").asText().equals("Aborted"));
    assertTrue(aborted.path("message").asText().contains("while down"), aborted.toString());
  }

  @Test
  @Order(7)
  void blueGreenAfterACanaryIsRefusedBeforeStartingAndTheNamedWayOutWorks() throws Exception {
    Path quick = dir.resolve("canary-bg.yaml");
    Files.writeString(
        quick,
        """
        canary:
          api:
            steps:
              - traffic_percent: 100
        """);
    deploy("bg", quick, "--wait").expect(0);
    Path doc = dir.resolve("blue-green.yaml");
    Files.writeString(
        doc,
        """
        blue_green:
          api:
            environments:
              blue: { weight: 100, instances: 1 }
              green: { weight: 0, instances: 1 }
        """);

    Run deploy =
        cli.run(
                "traffic",
                "blue-green",
                "deploy",
                "api",
                "--env",
                "bg",
                "-f",
                doc.toString(),
                "--auto-promote")
            .expect(4);
    assertEquals(
        "trafficctl: bg.api: the router holds version weights {v1=0, v2=100} from the last"
            + " canary, not blue and green; move all traffic to one color first: trafficctl"
            + " traffic split api --env bg --blue=100 (or --green=100; blue and green must be"
            + " versions in the catalog)\n",
        deploy.err());
    Run manualSwitch =
        cli.run(
                "traffic",
                "blue-green",
                "switch",
                "api",
                "--env",
                "bg",
                "-f",
                doc.toString(),
                "--from",
                "blue",
                "--to",
                "green")
            .expect(4);
    assertTrue(
        manualSwitch
            .err()
            .contains("the router holds version weights {v1=0, v2=100} from the last canary"),
        manualSwitch.err());

    // The way out it names works as written.
    cli.run("traffic", "split", "api", "--env", "bg", "--blue=100").expect(0);
    Run started =
        cli.run("traffic", "blue-green", "deploy", "api", "--env", "bg", "-f", doc.toString())
            .expect(0);
    assertTrue(started.out().startsWith("started bg.api"), started.out());
    cli.run("traffic", "blue-green", "abort", "api", "--env", "bg", "--reason", "seen it start")
        .expect(0);
  }

  /** {@code traffic canary deploy api --env ENV --version v2 -f DOC ...}, run to its end. */
  private static Run deploy(String env, Path doc, String... extra) {
    return cli.deploy("api", env, "v2", doc, extra);
  }

  /** Starts the gated canary and waits until it stands at its promotion gate. */
  private static void deployToItsGate() {
    cli.deployCanary("api", "gated", "v2", gated);
    cli.awaitStatus(
        "api",
        "gated",
        "at its gate",
        Duration.ofSeconds(30),
        s -> s.path("phase").asText().equals("Paused"));
  }

  private static void assertOneLine(String err) {
    assertEquals(1, err.lines().count(), err);
  }
}
