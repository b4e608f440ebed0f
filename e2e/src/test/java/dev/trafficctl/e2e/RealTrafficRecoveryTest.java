package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.testing.LoadGenerator;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.testing.Shares;
import dev.trafficctl.testing.Traffic;
import dev.trafficctl.testing.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane fails while real traffic flows: the worker killed with SIGKILL mid-step, and
 * the Temporal dev server stopped and restarted while a canary waits for promotion. nginx (dynamic
 * mode) keeps serving the weights in force meanwhile, without one failed request; the rollout
 * resumes where it was and completes on real Prometheus data.
 */
class RealTrafficRecoveryTest {

  @TempDir static Path tmp;

  /** How long a rollback in environment {@code outage} tries nginx before it hands over. */
  private static final String OUTAGE_ROLLBACK = "        rollback: { handover_after: 30s }\n";

  private static TrafficPath path;
  private static Cli cli;
  private static final Map<String, Integer> listen = new LinkedHashMap<>();

  @BeforeAll
  static void startTheTrafficPath() throws Exception {
    path = TrafficPath.start(tmp.resolve("recovery"));
    StringBuilder envs = new StringBuilder();
    for (String env : List.of("killed", "restarted", "outage")) {
      List<DemoInstance> stable =
          List.of(path.demo("v1", env + "-v1-0.log"), path.demo("v1", env + "-v1-1.log"));
      listen.put(env, Ports.free());
      envs.append(
          path.environment(
              env,
              "dynamic",
              listen.get(env),
              Ports.free(),
              stable,
              path.demo("v2", env + "-v2.log"),
              true));
      if (env.equals("outage")) {
        envs.append(OUTAGE_ROLLBACK);
      }
    }
    Path catalog = path.dir.resolve("trafficctl.yaml");
    Catalog loaded = path.writeCatalog(catalog, envs);
    for (String env : listen.keySet()) {
      path.weights(loaded, env, 100, "v1 serves everything before the rollout");
    }
    path.startWorker("worker-1.log");
    cli = new Cli(path.server.address(), catalog);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (path != null) {
      path.close();
    }
  }

  private static Path canary(String env, String body) throws IOException {
    Path file = path.dir.resolve("canary-" + env + ".yaml");
    Files.writeString(file, "canary:\n  api:\n" + body.indent(4));
    return file;
  }

  private static LoadGenerator load(String env) {
    return new LoadGenerator(
            "http://127.0.0.1:" + listen.get(env) + "/", 4, 200, 60_000, Duration.ofSeconds(240))
        .start()
        .awaitFlowing("v1", 50);
  }

  /** While nothing changes the router, the candidate's share stays at {@code weight}. */
  private static void assertServing(LoadGenerator load, int weight, String when) {
    LoadGenerator.Counts window = load.next(400, Duration.ofSeconds(30));
    long answered = window.byVersion().values().stream().mapToLong(Long::longValue).sum();
    Shares.assertNear(
        window.byVersion().getOrDefault("v2", 0L),
        answered,
        weight,
        when + ": candidate share " + window);
    assertEquals(0, window.failed(), when + ": " + window);
  }

  @Test
  void workerKilledMidStepTheNextOneFinishesTheCanary() throws Exception {
    Path doc =
        canary(
            "killed",
            """
            steps:
              - { traffic_percent: 10, duration: 20s }
              - { traffic_percent: 50, duration: 10s }
              - traffic_percent: 100
            metrics:
              success_rate: { threshold: 99, window: 20s }
              response_time: { threshold: 500ms, percentile: 95, window: 20s }
            analysis: { interval: 3s, minimum_requests: 20 }
            """);
    try (LoadGenerator load = load("killed")) {
      cli.deployCanary("api", "killed", "v2", doc);
      cli.awaitStatus(
          "api",
          "killed",
          "step 1 holding 10%",
          Duration.ofSeconds(60),
          s ->
              s.path("step").asInt() == 1
                  && s.path("weight").asInt() == 10
                  && s.path("phase").asText().equals("Progressing"));

      path.killWorker();
      JsonNode whileDown = cli.status("api", "killed");
      assertEquals(1, whileDown.path("step").asInt(), "the memo still answers: " + whileDown);
      Run noWorker = cli.run("traffic", "canary", "status", "api", "--env", "killed");
      assertTrue(noWorker.out().contains("no worker"), noWorker.out());
      assertServing(load, 10, "worker down");

      path.startWorker("worker-2.log");
      JsonNode done =
          cli.awaitStatus(
              "api",
              "killed",
              "the canary promoted by the second worker",
              Duration.ofSeconds(120),
              s -> s.path("phase").asText().matches("Promoted|RolledBack|Aborted"));
      assertEquals("Promoted", done.path("phase").asText(), done.toString());
      assertEquals(100, done.path("weight").asInt());
      assertEquals("v1", done.path("stable_version").asText());
      List<String> outcomes = new ArrayList<>();
      done.path("steps")
          .forEach(s -> outcomes.add(s.path("weight").asInt() + ":" + s.path("outcome").asText()));
      assertEquals(List.of("10:passed", "50:passed", "100:promoted"), outcomes);
      assertServing(load, 100, "promoted");
      LoadGenerator.Counts total = load.snapshot();
      System.out.printf(Locale.ROOT, "worker killed mid-step: %s%n", total);
      assertEquals(0, total.failed(), "no request failed across the kill: " + total);
    }

    // Found by its search attributes, which the Web UI and `temporal` show.
    Run listed =
        path.server.temporal(
            List.of("workflow", "list", "--query", "TrafficService='api' AND TrafficEnv='killed'"));
    assertTrue(listed.expect(0).out().contains("killed.api"), listed.out());
    Run described = path.server.temporal(List.of("workflow", "describe", "-w", "killed.api"));
    for (String attribute :
        List.of(
            "TrafficService", "TrafficEnv", "TrafficStrategy", "TrafficPhase", "TrafficWeight")) {
      assertTrue(described.expect(0).out().contains(attribute), described.out());
    }
    assertTrue(described.out().contains("Promoted"), described.out());
  }

  @Test
  void serverRestartedWhilePausedPromoteStillWorks() throws Exception {
    Path doc =
        canary(
            "restarted",
            """
            steps:
              - { traffic_percent: 20, duration: 3s }
              - traffic_percent: 100
            auto_promote: false
            metrics:
              error_rate: { threshold: 1, window: 20s }
            analysis: { interval: 2s, minimum_requests: 20 }
            """);
    try (LoadGenerator load = load("restarted")) {
      cli.deployCanary("api", "restarted", "v2", doc);
      cli.awaitStatus(
          "api",
          "restarted",
          "paused for promotion",
          Duration.ofSeconds(60),
          s -> s.path("phase").asText().equals("Paused"));

      path.server.stop();
      cli.run("traffic", "canary", "status", "api", "--env", "restarted").expect(3);
      assertServing(load, 20, "Temporal down");
      path.server.start();

      JsonNode after =
          cli.awaitStatus(
              "api",
              "restarted",
              "still paused after the restart",
              Duration.ofSeconds(60),
              s -> s.path("phase").asText().equals("Paused"));
      assertTrue(after.path("message").asText().contains("waiting for promote"), after.toString());
      assertEquals(20, after.path("weight").asInt());

      Run promoted =
          Waits.until(
              "promote accepted once the worker is back",
              Duration.ofSeconds(60),
              () -> cli.run("traffic", "canary", "promote", "api", "--env", "restarted"),
              r -> r.exitCode() == 0);
      assertTrue(
          promoted.out().contains("Progressing") || promoted.out().contains("Promoted"),
          promoted.out());
      JsonNode done =
          cli.awaitStatus(
              "api",
              "restarted",
              "promoted",
              Duration.ofSeconds(60),
              s -> s.path("phase").asText().equals("Promoted"));
      assertEquals(100, done.path("weight").asInt());
      assertEquals("promote", done.path("actions").get(0).path("action").asText());
      assertEquals("e2e-tester", done.path("actions").get(0).path("by").asText());
      assertServing(load, 100, "promoted after the restart");
      LoadGenerator.Counts total = load.snapshot();
      System.out.printf(Locale.ROOT, "server restarted while paused: %s%n", total);
      assertEquals(0, total.failed(), "no request failed across the restart: " + total);
    }
  }

  /**
   * nginx goes down mid-canary and the canary is aborted: the rollback cannot reach nginx, and
   * after the catalog's 30 s window hands over to its reconciler and ends, saying so. nginx comes
   * back with the candidate's 10% (its state file), and the reconciler puts v1 back at 100%.
   */
  @Test
  void nginxDownThroughTheRollbackTheReconcilerPutsTheStableVersionBackOnceItIsUp()
      throws Exception {
    Path doc =
        canary(
            "outage",
            """
            steps:
              - { traffic_percent: 10, duration: 10m }
              - traffic_percent: 100
            metrics:
              error_rate: { threshold: 50, window: 20s }
            analysis: { interval: 5s, minimum_requests: 1000000, inconclusive_limit: 1000 }
            """);
    cli.deployCanary("api", "outage", "v2", doc);
    cli.awaitStatus(
        "api",
        "outage",
        "step 1 holding 10%",
        Duration.ofSeconds(60),
        s -> s.path("step").asInt() == 1 && s.path("weight").asInt() == 10);

    path.nginx.close();
    Instant aborted = Instant.now();
    cli.run("traffic", "canary", "abort", "api", "--env", "outage", "--reason", "nginx is down")
        .expect(0);
    JsonNode rollingBack =
        cli.awaitStatus(
            "api",
            "outage",
            "rolling back while nginx is down",
            Duration.ofSeconds(20),
            s -> s.path("phase").asText().equals("RollingBack"));
    JsonNode ended =
        cli.awaitStatus(
            "api",
            "outage",
            "handed over after the 30 s window",
            Duration.ofSeconds(90),
            s -> s.path("phase").asText().equals("Aborted"));
    assertTrue(
        ended
            .path("message")
            .asText()
            .matches(
                "aborted by .*; the router is unreachable since \\S+: reconcile:outage.api puts"
                    + " v1 back at 100% once it answers"),
        ended + " after " + rollingBack);

    Instant handedOver = Instant.now();
    path.nginx.start();
    Instant nginxBack = Instant.now();
    Traffic traffic = new Traffic();
    // The demo instances answer {"version":"v1","instance":...}: counted by version.
    Map<String, Integer> served =
        Waits.until(
            "the reconciler puts v1 back at 100%",
            Duration.ofSeconds(90),
            () -> byVersion(traffic.send("127.0.0.1:" + listen.get("outage"), 200)),
            counts -> counts.equals(Map.of("v1", 200)));
    assertEquals(Map.of("v1", 200), served);
    Run reconciled =
        path.server.temporal(List.of("workflow", "describe", "-w", "reconcile:outage.api"));
    assertTrue(reconciled.expect(0).out().contains("COMPLETED"), reconciled.out());
    assertTrue(reconciled.out().contains("put change "), reconciled.out());
    System.out.printf(
        Locale.ROOT,
        "nginx outage: aborted at +0s, handed over at +%ds, nginx back at +%ds, v1 at 100%% at"
            + " +%ds%n",
        Duration.between(aborted, handedOver).toSeconds(),
        Duration.between(aborted, nginxBack).toSeconds(),
        Duration.between(aborted, Instant.now()).toSeconds());
  }

  private static Map<String, Integer> byVersion(Map<String, Integer> byAnswer) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    byAnswer.forEach(
        (answer, n) ->
            counts.merge(
                answer.replaceFirst(".*\"version\":\"([^\"]+)\".*", "$1"), n, Integer::sum));
    return counts;
  }
}
