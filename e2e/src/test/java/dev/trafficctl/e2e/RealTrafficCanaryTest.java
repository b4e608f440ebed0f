package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.testing.LoadGenerator;
import dev.trafficctl.testing.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Canaries moving real traffic: a real nginx in front of demo services (v1 on two instances, v2 on
 * one), in dynamic and in reload mode, judged on real Prometheus data, under a bounded loopback
 * load from keep-alive clients that never retry.
 */
class RealTrafficCanaryTest {

  @TempDir static Path tmp;

  private static TrafficPath path;
  private static Path dir;
  private static Cli cli;
  private static final Map<String, List<DemoInstance>> v1 = new LinkedHashMap<>();
  private static final Map<String, DemoInstance> v2 = new LinkedHashMap<>();
  private static final Map<String, Integer> listen = new LinkedHashMap<>();

  @BeforeAll
  static void startTheTrafficPath() throws Exception {
    path = TrafficPath.start(tmp.resolve("real"));
    dir = path.dir;
    StringBuilder envs = new StringBuilder();
    for (String env : List.of("healthy", "reloaded", "bad")) {
      List<DemoInstance> stable = new ArrayList<>();
      for (int i = 0; i < (env.equals("bad") ? 1 : 2); i++) {
        stable.add(path.demo("v1", env + "-v1-" + i + ".log"));
      }
      DemoInstance candidate = path.demo("v2", env + "-v2.log");
      v1.put(env, stable);
      v2.put(env, candidate);
      listen.put(env, Ports.free());
      String mode = env.equals("reloaded") ? "reload" : "dynamic";
      envs.append(
          path.environment(env, mode, listen.get(env), Ports.free(), stable, candidate, true));
    }
    Path catalog = dir.resolve("trafficctl.yaml");
    Catalog loaded = path.writeCatalog(catalog, envs);
    // The service's traffic path before any rollout: nginx serving v1 only.
    for (String env : listen.keySet()) {
      path.weights(loaded, env, 100, "v1 serves everything before the rollout");
    }
    path.startWorker("worker.log");
    cli = new Cli(path.server.address(), catalog);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (path != null) {
      path.close();
    }
  }

  private static Path canary(String env, String steps, String extra) throws IOException {
    Path file = dir.resolve("canary-" + env + ".yaml");
    Files.writeString(
        file,
        """
        canary:
          api:
            steps:
        %s
            metrics:
              success_rate: { threshold: 99, window: 20s }
              error_rate: { threshold: 1, window: 20s }
              response_time: { threshold: 500ms, percentile: 95, window: 20s }
            analysis: { interval: 3s, minimum_requests: 20 }
        %s
        """
            .formatted(steps, extra));
    return file;
  }

  private static LoadGenerator load(String env) {
    return new LoadGenerator(
            "http://127.0.0.1:" + listen.get(env) + "/", 4, 200, 60_000, Duration.ofSeconds(240))
        .start();
  }

  /** What a healthy canary of {@code env} did: its last status, shares per step and load. */
  private record HealthyRun(
      JsonNode status, Map<Integer, Double> shares, LoadGenerator.Counts load) {}

  /**
   * Runs a canary of healthy v2 through {@code env} under load, and measures from the demo
   * services' own counters the share of requests the candidate served inside each step.
   */
  private static HealthyRun healthyCanary(String env) throws Exception {
    Path doc =
        canary(
            env,
            """
                  - { traffic_percent: 5, duration: 15s }
                  - { traffic_percent: 25, duration: 15s }
                  - { traffic_percent: 50, duration: 15s }
                  - traffic_percent: 100
            """,
            "");
    List<DemoInstance> stable = v1.get(env);
    DemoInstance candidate = v2.get(env);
    try (LoadGenerator load = load(env)) {
      load.awaitFlowing("v1", 50);
      cli.deployCanary("api", env, "v2", doc);
      // The counters, sampled every 100 ms while the canary runs; the step boundaries come
      // afterwards from the rollout's own step records.
      List<long[]> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread sampler =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  samples.add(
                      new long[] {
                        System.currentTimeMillis(), candidate.requests(), DemoInstance.total(stable)
                      });
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "counter-sampler");
      sampler.setDaemon(true);
      sampler.start();
      JsonNode status;
      try {
        status =
            cli.awaitStatus(
                "api",
                env,
                "the canary ends",
                Duration.ofSeconds(180),
                st -> st.path("phase").asText().matches("Promoted|RolledBack|Aborted"));
      } finally {
        sampler.interrupt();
        sampler.join(5_000);
      }
      Map<Integer, Double> shares = new LinkedHashMap<>();
      JsonNode steps = status.path("steps");
      for (int i = 0; i + 1 < steps.size(); i++) {
        // Inside the step only: from half a second after its change to a second before the next.
        long from =
            java.time.Instant.parse(steps.get(i).path("started_at").asText()).toEpochMilli() + 500;
        long to =
            java.time.Instant.parse(steps.get(i + 1).path("started_at").asText()).toEpochMilli()
                - 1000;
        shares.put(steps.get(i).path("weight").asInt(), share(at(samples, from), at(samples, to)));
      }
      load.close();
      LoadGenerator.Counts counts = load.snapshot();
      System.out.printf(
          Locale.ROOT,
          "healthy canary (%s): candidate share per step %s; %d requests, %d failed, statuses %s%n",
          env,
          shares,
          counts.sent(),
          counts.failed(),
          counts.byStatus());
      assertEquals("Promoted", status.path("phase").asText(), status.toString());
      for (int weight : List.of(5, 25, 50)) {
        Double observed = shares.get(weight);
        assertTrue(observed != null, "no measurement at " + weight + "%: " + shares);
        assertTrue(
            Math.abs(observed - weight) <= 5,
            "step " + weight + "%: the candidate served " + observed + "% " + shares);
      }
      // Every request is accounted for: answered with a 200, or counted as failed.
      long answered = counts.byStatus().values().stream().mapToLong(Long::longValue).sum();
      assertEquals(counts.status(200), answered, "every answer a 200: " + counts.byStatus());
      assertEquals(counts.sent(), answered + counts.failed(), counts.toString());
      return new HealthyRun(status, shares, counts);
    }
  }

  @Test
  void healthyCandidateTakesTheWeightOfEachStepWithNoFailedRequest() throws Exception {
    HealthyRun run = healthyCanary("healthy");
    assertEquals(0, run.load().failed(), "requests without a response: " + run.load());
  }

  /**
   * Plain nginx: every weight change is a graceful reload, which closes idle keep-alive connections
   * under a client that may just be sending on them. Those failures are counted, not hidden by
   * retries; the benchmark reports them beside the dynamic mode's.
   */
  @Test
  void reloadModeMovesTheSameSharesAndCountsTheRequestsItsReloadsFail() throws Exception {
    HealthyRun run = healthyCanary("reloaded");
    LoadGenerator.Counts load = run.load();
    System.out.printf(
        Locale.ROOT,
        "reload mode: %d of %d requests failed (%.2f%%) over %d weight changes%n",
        load.failed(),
        load.sent(),
        100.0 * load.failed() / load.sent(),
        run.status().path("steps").size());
    assertTrue(
        load.failed() < load.sent() / 10, "a reload fails a few requests, not many: " + load);
  }

  /** The counter sample taken closest to {@code millis}. */
  private static long[] at(List<long[]> samples, long millis) {
    long[] best = samples.get(0);
    for (long[] sample : samples) {
      if (Math.abs(sample[0] - millis) < Math.abs(best[0] - millis)) {
        best = sample;
      }
    }
    return best;
  }

  private static double share(long[] from, long[] to) {
    long candidate = to[1] - from[1];
    long stable = to[2] - from[2];
    return candidate + stable == 0 ? 0 : 100.0 * candidate / (candidate + stable);
  }

  @Test
  void candidateThatTurnsBadIsRolledBackAndNginxServesOnlyTheStableVersion() throws Exception {
    Path doc =
        canary(
            "bad",
            """
                  - { traffic_percent: 20, duration: 2m }
                  - traffic_percent: 100
            """,
            "");
    try (LoadGenerator load = load("bad")) {
      load.awaitFlowing("v1", 50);
      cli.deployCanary("api", "bad", "v2", doc);
      cli.awaitStatus(
          "api",
          "bad",
          "candidate at 20%",
          Duration.ofSeconds(60),
          s -> s.path("weight").asInt() == 20);
      long turnedBad = System.nanoTime();
      v2.get("bad").errorRate(20);
      JsonNode rolledBack =
          cli.awaitStatus(
              "api",
              "bad",
              "rolled back",
              Duration.ofSeconds(60),
              s -> s.path("phase").asText().equals("RolledBack"));
      System.out.printf(
          Locale.ROOT,
          "bad canary: rolled back %.1f s after the candidate turned bad: %s%n",
          (System.nanoTime() - turnedBad) / 1e9,
          rolledBack.path("message").asText());
      assertEquals(0, rolledBack.path("weight").asInt());
      String message = rolledBack.path("message").asText();
      assertTrue(message.contains("success_rate") || message.contains("error_rate"), message);
      assertTrue(message.contains("over 20s"), message);

      // From now on nginx sends nothing to v2.
      LoadGenerator.Counts after = load.next(400, Duration.ofSeconds(20));
      assertEquals(0L, after.byVersion().getOrDefault("v2", 0L), after.toString());
      assertTrue(after.byVersion().getOrDefault("v1", 0L) > 300, after.toString());
    }
  }

  @Test
  void reloadThatNginxAcceptsButCannotApplyLeavesTrafficOnTheStableVersion() throws Exception {
    // nginx serves api/clash on one port in reload mode; the catalog the rollout uses has since
    // moved the service to a port another process holds: `nginx -t` and `nginx -s reload` both
    // succeed, and nginx keeps the old configuration after logging that bind() failed.
    DemoInstance stable = path.demo("v1", "clash-v1.log");
    DemoInstance candidate = path.demo("v2", "clash-v2.log");
    int served = Ports.free();
    int admin = Ports.free();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<DemoInstance> stables = List.of(stable);
      Catalog before =
          path.writeCatalog(
              dir.resolve("clash-before.yaml"),
              path.environment("clash", "reload", served, admin, stables, candidate, false));
      Path moved = dir.resolve("clash-moved.yaml");
      path.writeCatalog(
          moved,
          path.environment(
              "clash", "reload", taken.getLocalPort(), admin, stables, candidate, false));
      path.weights(before, "clash", 100, "v1 serves everything before the rollout");
      // No metrics: the router's refusal is what this rollout is about.
      Path doc = dir.resolve("canary-clash.yaml");
      Files.writeString(
          doc,
          """
          canary:
            api:
              steps:
                - { traffic_percent: 20, duration: 1m }
                - traffic_percent: 100
          """);
      try (LoadGenerator load =
          new LoadGenerator(
                  "http://127.0.0.1:" + served + "/", 2, 50, 10_000, Duration.ofSeconds(120))
              .start()) {
        load.awaitFlowing("v1", 20);
        Cli movedCli = new Cli(path.server.address(), moved);
        movedCli.deployCanary("api", "clash", "v2", doc);
        JsonNode ended =
            movedCli.awaitStatus(
                "api",
                "clash",
                "the rollout ends",
                Duration.ofSeconds(90),
                st -> st.path("phase").asText().matches("RolledBack|Promoted|Aborted"));
        assertEquals("RolledBack", ended.path("phase").asText(), ended.toString());
        assertEquals(0, ended.path("weight").asInt());
        String message = ended.path("message").asText();
        assertTrue(message.contains("bind()"), message);
        System.out.printf(Locale.ROOT, "port clash: %s%n", message);

        // The old configuration still serves, and only v1.
        LoadGenerator.Counts after = load.next(100, Duration.ofSeconds(20));
        assertEquals(0L, after.byVersion().getOrDefault("v2", 0L), after.toString());
      }
    }
  }
}
