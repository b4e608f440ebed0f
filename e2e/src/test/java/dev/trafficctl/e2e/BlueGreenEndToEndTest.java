package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.testing.LoadGenerator;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.testing.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blue-green rollouts moving real traffic: nginx (dynamic mode) in front of demo services labelled
 * blue (two instances) and green (one), under a bounded loopback load from keep-alive clients that
 * never retry, with the worker and the CLI as processes on a Temporal dev server.
 */
class BlueGreenEndToEndTest {

  @TempDir static Path tmp;

  private static TrafficPath path;
  private static Cli cli;
  private static final Map<String, Integer> listen = new LinkedHashMap<>();
  private static final Map<String, DemoInstance> green = new LinkedHashMap<>();

  @BeforeAll
  static void startTheTrafficPath() throws Exception {
    path = TrafficPath.start(tmp.resolve("bluegreen"));
    StringBuilder envs = new StringBuilder();
    for (String env : List.of("switched", "failing", "restarted")) {
      Map<String, List<DemoInstance>> pools = new LinkedHashMap<>();
      pools.put(
          "blue",
          List.of(path.demo("blue", env + "-blue-0.log"), path.demo("blue", env + "-blue-1.log")));
      green.put(env, path.demo("green", env + "-green.log"));
      pools.put("green", List.of(green.get(env)));
      listen.put(env, Ports.free());
      envs.append(path.environment(env, "dynamic", listen.get(env), Ports.free(), pools, true));
    }
    Path catalog = path.dir.resolve("trafficctl.yaml");
    Catalog loaded = path.writeCatalog(catalog, envs);
    for (String env : listen.keySet()) {
      path.weights(loaded, env, Map.of("blue", 100, "green", 0), "blue is live");
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

  /** A blue-green document for {@code env}: health checks of seconds, a short cleanup. */
  private static Path document(String env, boolean autoPromote, String monitor) throws IOException {
    Path file = path.dir.resolve("blue-green-" + env + ".yaml");
    Files.writeString(
        file,
        """
        blue_green:
          api:
            strategy:
              switch_timeout: 5m
              health_check_timeout: 3s
              auto_promote: %s
              cleanup_delay: 5s
            traffic: { load_balancer: nginx, health_endpoint: /health, readiness_timeout: 30s }
            environments:
              blue: { weight: 100, instances: 2 }
              green: { weight: 0, instances: 1 }
            rollback: { automatic: true, failure_threshold: 5, monitor_duration: %s }
        """
            .formatted(autoPromote, monitor));
    return file;
  }

  private static LoadGenerator load(String env) {
    return new LoadGenerator(
            "http://127.0.0.1:" + listen.get(env) + "/", 4, 200, 60_000, Duration.ofSeconds(240))
        .start()
        .awaitFlowing("blue", 50);
  }

  private static void deploy(String env, Path doc) {
    cli.run("traffic", "blue-green", "deploy", "api", "--env", env, "-f", doc.toString()).expect(0);
  }

  private static JsonNode awaitPhase(String env, String phase, Duration bound) {
    return cli.awaitStatus("api", env, phase, bound, s -> s.path("phase").asText().equals(phase));
  }

  private static JsonNode awaitEnd(String env, Duration bound) {
    return cli.awaitStatus(
        "api",
        env,
        "the rollout ends",
        bound,
        s -> s.path("phase").asText().matches("Promoted|RolledBack|Aborted"));
  }

  @Test
  void promoteSwitchesAllTrafficToGreenWithoutOneFailedRequest() throws Exception {
    try (LoadGenerator load = load("switched")) {
      deploy("switched", document("switched", false, "10s"));
      JsonNode waiting = awaitPhase("switched", "Paused", Duration.ofSeconds(60));
      assertEquals(3, waiting.path("step").asInt(), waiting.toString());
      assertEquals(0, load.next(200, Duration.ofSeconds(20)).byVersion().getOrDefault("green", 0L));

      long promoted = System.nanoTime();
      cli.run("traffic", "blue-green", "promote", "api", "--env", "switched").expect(0);
      // All of green's soon after: a window of answers with no blue in it.
      LoadGenerator.Counts allGreen =
          Waits.until(
              "a window of answers all from green",
              Duration.ofSeconds(30),
              () -> load.next(100, Duration.ofSeconds(10)),
              c -> c.byVersion().getOrDefault("blue", 0L) == 0);
      double seconds = (System.nanoTime() - promoted) / 1e9;
      JsonNode end = awaitEnd("switched", Duration.ofSeconds(90));
      LoadGenerator.Counts total = load.snapshot();
      System.out.printf(
          Locale.ROOT,
          "blue-green switch: all traffic on green within %.1f s of promote (%s); %s%n",
          seconds,
          allGreen,
          total);
      assertEquals("Promoted", end.path("phase").asText(), end.toString());
      assertEquals(100, end.path("weight").asInt());
      assertEquals(0, total.failed(), "no request failed across the switch: " + total);
      assertEquals(total.status(200), total.byStatus().values().stream().mapToLong(l -> l).sum());
    }
  }

  @Test
  void greenFailingAfterTheSwitchIsSwitchedBackToBlue() throws Exception {
    try (LoadGenerator load = load("failing")) {
      deploy("failing", document("failing", true, "2m"));
      cli.awaitStatus(
          "api",
          "failing",
          "monitoring green",
          Duration.ofSeconds(60),
          s -> s.path("step").asInt() == 5 && s.path("weight").asInt() == 100);
      long turnedBad = System.nanoTime();
      green.get("failing").errorRate(30);
      JsonNode end = awaitEnd("failing", Duration.ofSeconds(90));
      System.out.printf(
          Locale.ROOT,
          "blue-green: switched back %.1f s after green turned bad: %s%n",
          (System.nanoTime() - turnedBad) / 1e9,
          end.path("message").asText());
      assertEquals("RolledBack", end.path("phase").asText(), end.toString());
      assertEquals(0, end.path("weight").asInt());
      assertTrue(end.path("message").asText().contains("error_rate"), end.toString());

      LoadGenerator.Counts after = load.next(300, Duration.ofSeconds(20));
      assertEquals(0L, after.byVersion().getOrDefault("green", 0L), after.toString());
      assertEquals(0, load.snapshot().failed(), load.snapshot().toString());
    }
  }

  @Test
  void serverRestartedWhileWaitingForPromotionPromoteStillWorks() throws Exception {
    try (LoadGenerator load = load("restarted")) {
      deploy("restarted", document("restarted", false, "5s"));
      awaitPhase("restarted", "Paused", Duration.ofSeconds(60));

      path.server.stop();
      cli.run("traffic", "blue-green", "status", "api", "--env", "restarted").expect(3);
      path.server.start();

      JsonNode after = awaitPhase("restarted", "Paused", Duration.ofSeconds(60));
      assertEquals(3, after.path("step").asInt(), after.toString());
      Waits.until(
          "promote accepted once the worker is back",
          Duration.ofSeconds(60),
          () -> cli.run("traffic", "blue-green", "promote", "api", "--env", "restarted"),
          r -> r.exitCode() == 0);
      JsonNode end = awaitEnd("restarted", Duration.ofSeconds(90));
      assertEquals("Promoted", end.path("phase").asText(), end.toString());
      assertEquals("promote", end.path("actions").get(0).path("action").asText());
      LoadGenerator.Counts greenOnly = load.next(200, Duration.ofSeconds(20));
      assertEquals(0L, greenOnly.byVersion().getOrDefault("blue", 0L), greenOnly.toString());
      assertEquals(0, load.snapshot().failed(), load.snapshot().toString());
    }
  }
}
