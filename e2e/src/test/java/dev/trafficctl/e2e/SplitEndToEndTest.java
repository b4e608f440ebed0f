package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.testing.LoadGenerator;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.testing.Shares;
import dev.trafficctl.testing.Waits;
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
 * Static splits and a migration through the worker and a real nginx (dynamic mode) in front of demo
 * services, the CLI as a subprocess, all on loopback.
 */
class SplitEndToEndTest {

  @TempDir static Path tmp;

  private static TrafficPath path;
  private static Cli cli;
  private static final Map<String, Integer> listen = new LinkedHashMap<>();

  @BeforeAll
  static void startTheTrafficPath() throws Exception {
    path = TrafficPath.start(tmp.resolve("split"));
    StringBuilder envs = new StringBuilder();
    for (String env : List.of("split", "migrate")) {
      listen.put(env, Ports.free());
      envs.append(
          path.environment(
              env,
              "dynamic",
              listen.get(env),
              Ports.free(),
              List.of(path.demo("v1", env + "-v1-0.log"), path.demo("v1", env + "-v1-1.log")),
              path.demo("v2", env + "-v2.log"),
              // The split's instances are scraped: capacity-based weights read their CPU.
              env.equals("split")));
    }
    Path catalog = path.dir.resolve("trafficctl.yaml");
    Catalog loaded = path.writeCatalog(catalog, envs);
    for (String env : listen.keySet()) {
      path.weights(loaded, env, 100, "v1 serves everything");
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

  @Test
  void observedSharesMatchTheConfiguredSplit() throws Exception {
    Run split = cli.run("traffic", "split", "api", "--env", "split", "--v1=70", "--v2=30");
    assertTrue(split.expect(0).out().contains("v1 70%, v2 30%"), split.out());

    int requests = 3000;
    try (LoadGenerator load =
        new LoadGenerator(
                "http://127.0.0.1:" + listen.get("split") + "/",
                4,
                600,
                requests,
                Duration.ofSeconds(60))
            .start()) {
      LoadGenerator.Counts counts = load.awaitEnd();
      long v1 = counts.byVersion().getOrDefault("v1", 0L);
      long v2 = counts.byVersion().getOrDefault("v2", 0L);
      assertEquals(requests, v1 + v2, counts.toString());
      assertEquals(0, counts.failed(), counts.toString());
      Shares.assertNear(v2, v1 + v2, 30, "split 70/30: requests on v2");
    }

    // The split is in the service's record: `traffic split` with no weights shows it.
    Run shown = cli.run("traffic", "split", "api", "--env", "split");
    assertTrue(shown.expect(0).out().contains("v1 70%, v2 30%"), shown.out());
  }

  /**
   * The spec's {@code split api --adjust-weights --target-utilization 70}, planned from each
   * instance's own CPU as Prometheus scraped it; {@code --dry-run} changes nothing.
   */
  @Test
  void adjustWeightsPlansFromEachServersMeasuredUtilization() {
    Run plan =
        Waits.until(
            "every server's utilization measured",
            Duration.ofSeconds(60),
            () ->
                cli.run(
                    "traffic",
                    "split",
                    "api",
                    "--env",
                    "split",
                    "--adjust-weights",
                    "--target-utilization",
                    "70",
                    "--window",
                    "10s",
                    "--dry-run"),
            run -> run.exitCode() == 0 && !run.out().contains("util -"));
    System.out.println(plan.out());
    List<String> servers = plan.out().lines().filter(l -> l.startsWith("127.0.0.1:")).toList();
    assertEquals(3, servers.size(), plan.out());
    for (String server : servers) {
      assertTrue(
          server.matches("127\\.0\\.0\\.1:\\d+ v[12] +util \\d+(\\.\\d)?% +weight \\d+ -> \\d+"),
          server);
    }
  }

  @Test
  void aMigrationMovesEveryIntervalUntilTheDestinationServesEverything() throws Exception {
    try (LoadGenerator load =
        new LoadGenerator(
                "http://127.0.0.1:" + listen.get("migrate") + "/",
                4,
                200,
                20_000,
                Duration.ofSeconds(120))
            .start()
            .awaitFlowing("v1", 50)) {
      cli.run(
              "traffic",
              "split",
              "api",
              "--env",
              "migrate",
              "--migrate",
              "--from",
              "v1",
              "--to",
              "v2",
              "--rate",
              "50",
              "--interval",
              "5s")
          .expect(0);
      JsonNode half =
          cli.awaitStatus(
              "api",
              "migrate",
              "first move",
              Duration.ofSeconds(30),
              s -> s.path("step").asInt() == 1);
      assertEquals(50, half.path("weight").asInt(), half.toString());
      LoadGenerator.Counts atHalf = load.next(400, Duration.ofSeconds(10));
      JsonNode end =
          cli.awaitStatus(
              "api",
              "migrate",
              "migrated",
              Duration.ofSeconds(60),
              s -> s.path("phase").asText().matches("Promoted|RolledBack|Aborted"));
      assertEquals("Promoted", end.path("phase").asText(), end.toString());
      LoadGenerator.Counts after = load.next(300, Duration.ofSeconds(10));
      System.out.printf(
          Locale.ROOT,
          "migration: v2 share %.1f%% at 50%%, %.1f%% after; %s%n",
          atHalf.share("v2"),
          after.share("v2"),
          load.snapshot());
      assertEquals(0L, after.byVersion().getOrDefault("v1", 0L), after.toString());
      assertEquals(0, load.snapshot().failed(), load.snapshot().toString());
    }
  }
}
