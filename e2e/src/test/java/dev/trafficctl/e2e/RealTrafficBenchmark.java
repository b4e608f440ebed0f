package dev.trafficctl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.testing.LoadGenerator;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures of the real traffic path, not a test: the class name keeps it out of the normal suite
 * (surefire's defaults run classes ending in Test, Tests or TestCase). Run it through {@code
 * bench/real-traffic.sh}, which prints the result lines.
 *
 * <ol>
 *   <li>Breach to rollback: a canary at 20% under a 200 req/s load whose candidate starts failing
 *       20% of its requests; the wall time from that moment until {@code status} says RolledBack.
 *       Five runs, each in an environment of its own with a candidate instance of its own, so no
 *       run's errors are still inside the next run's 20 s metric window.
 *   <li>Requests lost while weights change: the nginx router moving v2 between 10% and 90%, 30
 *       times, once every ~300 ms, under a keep-alive load that never retries; once in dynamic mode
 *       (Lua shared dict, no reload) and once in reload mode ({@code nginx -s reload} per change),
 *       on the same nginx instance.
 * </ol>
 *
 * Everything runs on loopback, bounded in requests and time; {@link AfterAll} stops every process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealTrafficBenchmark {

  private static final int ROLLBACK_RUNS = 5;
  private static final int WEIGHT_CHANGES = 30;
  private static final Duration CHANGE_EVERY = Duration.ofMillis(300);
  private static final List<String> ROUTER_MODES = List.of("dynamic", "reload");

  @TempDir static Path tmp;

  private static TrafficPath path;
  private static Path dir;
  private static Cli cli;
  private static Catalog loaded;
  private static final Map<String, DemoInstance> candidates = new LinkedHashMap<>();
  private static final Map<String, Integer> listen = new LinkedHashMap<>();

  @BeforeAll
  static void startTheTrafficPath() throws Exception {
    path = TrafficPath.start(tmp.resolve("bench"));
    dir = path.dir;

    // v1 on two instances, shared by every environment: it never fails. Each rollback run has a
    // candidate of its own (its error counter is its own), the weight-change runs share one.
    List<DemoInstance> stable = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      stable.add(path.demo("v1", "v1-" + i + ".log"));
    }
    StringBuilder envs = new StringBuilder();
    for (int run = 1; run <= ROLLBACK_RUNS; run++) {
      String env = "rollback-" + run;
      DemoInstance candidate = path.demo("v2", env + "-v2.log");
      candidates.put(env, candidate);
      envs.append(environment(env, "dynamic", stable, candidate, true));
    }
    DemoInstance weighted = path.demo("v2", "weights-v2.log");
    for (String mode : ROUTER_MODES) {
      envs.append(environment("weights-" + mode, mode, stable, weighted, false));
    }
    Path catalog = dir.resolve("trafficctl.yaml");
    loaded = path.writeCatalog(catalog, envs);
    // Every environment's traffic path before anything runs: nginx serving v1 only.
    for (String env : listen.keySet()) {
      stableOnly(env, "v1 serves everything before the benchmark");
    }
    path.startWorker("worker.log");
    cli = new Cli(path.server.address(), catalog);
  }

  private static String environment(
      String env, String mode, List<DemoInstance> stable, DemoInstance candidate, boolean metrics) {
    listen.put(env, Ports.free());
    return path.environment(env, mode, listen.get(env), Ports.free(), stable, candidate, metrics);
  }

  private static void stableOnly(String env, String reason) {
    weights(env, 100, reason);
  }

  private static void weights(String env, int v1, String reason) {
    path.weights(loaded, env, v1, reason);
  }

  /** The rows of the one table printed at the end, in the order measured. */
  private static final List<String> TABLE = new ArrayList<>();

  @AfterAll
  static void stopEverything() throws Exception {
    System.out.println("| figure | value | detail |");
    System.out.println("|---|---|---|");
    TABLE.forEach(System.out::println);
    if (path != null) {
      path.close();
    }
  }

  private static LoadGenerator load(String env, double rate, Duration bound) {
    return new LoadGenerator(
            "http://127.0.0.1:" + listen.get(env) + "/",
            4,
            rate,
            (long) (rate * bound.toSeconds()),
            bound)
        .start();
  }

  @Test
  @Order(1)
  void breachToRollback() throws Exception {
    Path doc = dir.resolve("canary.yaml");
    Files.writeString(
        doc,
        """
        canary:
          api:
            steps:
              - { traffic_percent: 20, duration: 5m }
              - traffic_percent: 100
            metrics:
              success_rate: { threshold: 99, window: 20s }
              error_rate: { threshold: 1, window: 20s }
            analysis: { interval: 3s, minimum_requests: 20 }
        """);
    double[] wall = new double[ROLLBACK_RUNS];
    double[] recorded = new double[ROLLBACK_RUNS];
    for (int run = 1; run <= ROLLBACK_RUNS; run++) {
      String env = "rollback-" + run;
      DemoInstance candidate = candidates.get(env);
      try (LoadGenerator load = load(env, 200, Duration.ofSeconds(120))) {
        load.awaitFlowing("v1", 50);
        cli.deployCanary("api", env, "v2", doc);
        cli.awaitStatus(
            "api",
            env,
            "candidate at 20%",
            Duration.ofSeconds(60),
            s -> s.path("weight").asInt() == 20);
        Instant turnedBadAt = Instant.now();
        long turnedBad = System.nanoTime();
        candidate.errorRate(20);
        JsonNode ended =
            cli.awaitStatus(
                "api",
                env,
                "the canary ends",
                Duration.ofSeconds(90),
                s -> s.path("phase").asText().matches("Promoted|RolledBack|Aborted"));
        long seen = System.nanoTime();
        if (!ended.path("phase").asText().equals("RolledBack")) {
          throw new AssertionError("run " + run + " ended " + ended);
        }
        wall[run - 1] = (seen - turnedBad) / 1e9;
        recorded[run - 1] =
            Duration.between(turnedBadAt, Instant.parse(ended.path("phase_since").asText()))
                    .toMillis()
                / 1e3;
        TABLE.add(
            String.format(
                Locale.ROOT,
                "| rollback run %d | %.1f s seen, %.1f s by phase_since | %s |",
                run,
                wall[run - 1],
                recorded[run - 1],
                ended.path("message").asText()));
      } finally {
        candidate.errorRate(0);
        stableOnly(env, "benchmark reset after run " + run);
      }
    }
    TABLE.add(
        String.format(
            Locale.ROOT,
            "| breach-to-rollback | median %.1f s, max %.1f s (by phase_since: median %.1f s, max"
                + " %.1f s) | %d runs |",
            median(wall),
            Arrays.stream(wall).max().orElseThrow(),
            median(recorded),
            Arrays.stream(recorded).max().orElseThrow(),
            ROLLBACK_RUNS));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** What one router mode's weight changes cost the load. */
  private record ChangeResult(
      String mode, int changes, LoadGenerator.Counts counts, double seconds, double maxChange) {

    long requests() {
      return counts.byStatus().values().stream().mapToLong(Long::longValue).sum() + counts.failed();
    }

    long non200() {
      return counts.byStatus().entrySet().stream()
          .filter(e -> e.getKey() != 200)
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    long failed() {
      return counts.failed() + non200();
    }

    String summary() {
      long requests = requests();
      return String.format(
          Locale.ROOT,
          "%s %d changes, %d requests, %d failed (%.2f%%)",
          mode,
          changes,
          requests,
          failed(),
          requests == 0 ? 0 : 100.0 * failed() / requests);
    }
  }

  @Test
  @Order(2)
  void failedRequestsDuringWeightChanges() throws Exception {
    List<ChangeResult> results = new ArrayList<>();
    for (String mode : ROUTER_MODES) {
      results.add(changeWeightsUnderLoad(mode));
    }
    for (ChangeResult r : results) {
      TABLE.add(
          String.format(
              Locale.ROOT,
              "| weight changes (%s) | %d changes in %.1f s, slowest %.0f ms | %s; %d without a"
                  + " response, %d non-200 |",
              r.mode(),
              r.changes(),
              r.seconds(),
              r.maxChange(),
              r.summary(),
              r.counts().failed(),
              r.non200()));
    }
  }

  private static ChangeResult changeWeightsUnderLoad(String mode) throws Exception {
    String env = "weights-" + mode;
    try (LoadGenerator load = load(env, 300, Duration.ofSeconds(90))) {
      Waits.until(
          "load flowing through nginx",
          Duration.ofSeconds(20),
          load::snapshot,
          c -> c.byVersion().getOrDefault("v1", 0L) > 100);
      LoadGenerator.Counts before = load.snapshot();
      long start = System.nanoTime();
      double maxChange = 0;
      for (int i = 0; i < WEIGHT_CHANGES; i++) {
        int v2 = i % 2 == 0 ? 10 : 90;
        long t = System.nanoTime();
        weights(env, 100 - v2, "benchmark change " + (i + 1) + ": v2 at " + v2 + "%");
        maxChange = Math.max(maxChange, (System.nanoTime() - t) / 1e6);
        // One change every ~300 ms; a change that took longer is followed at once. The last
        // interval counts too: what a change breaks can show after it returns.
        long wait = start + (i + 1) * CHANGE_EVERY.toNanos() - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      LoadGenerator.Counts during = LoadGenerator.since(before, load.snapshot());
      return new ChangeResult(mode, WEIGHT_CHANGES, during, seconds, maxChange);
    } finally {
      stableOnly(env, "benchmark reset after the " + mode + " changes");
    }
  }
}
