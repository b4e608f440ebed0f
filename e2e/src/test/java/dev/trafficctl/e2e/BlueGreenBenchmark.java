package dev.trafficctl.e2e;

import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.testing.LoadGenerator;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.testing.Waits;
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
 * Figures of a blue-green switch on the real traffic path, not a test (the class name keeps it out
 * of the suite; {@code bench/blue-green.sh} runs it). Five rollouts back and forth between blue and
 * green on nginx in dynamic mode, under a 200 req/s keep-alive load that never retries, each
 * waiting for promote. Per run: from issuing {@code trafficctl traffic blue-green promote} until
 * the old color's last answer (promote-to-100%), and the requests that failed meanwhile.
 */
class BlueGreenBenchmark {

  private static final int RUNS = 5;

  @TempDir static Path tmp;

  private static TrafficPath path;
  private static Cli cli;
  private static int listen;

  @BeforeAll
  static void startTheTrafficPath() throws Exception {
    path = TrafficPath.start(tmp.resolve("bench-bg"));
    Map<String, List<DemoInstance>> pools = new LinkedHashMap<>();
    pools.put("blue", List.of(path.demo("blue", "blue-0.log"), path.demo("blue", "blue-1.log")));
    pools.put(
        "green", List.of(path.demo("green", "green-0.log"), path.demo("green", "green-1.log")));
    listen = Ports.free();
    Path catalog = path.dir.resolve("trafficctl.yaml");
    Catalog loaded =
        path.writeCatalog(
            catalog, path.environment("bench", "dynamic", listen, Ports.free(), pools, false));
    path.weights(loaded, "bench", Map.of("blue", 100, "green", 0), "blue is live");
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
  void promoteToAllTraffic() throws Exception {
    Path doc = path.dir.resolve("blue-green.yaml");
    Files.writeString(
        doc,
        """
        blue_green:
          api:
            strategy: { health_check_timeout: 2s, auto_promote: false, cleanup_delay: 1s }
            traffic: { load_balancer: nginx, health_endpoint: /health, readiness_timeout: 30s }
            environments:
              blue: { weight: 100, instances: 2 }
              green: { weight: 0, instances: 2 }
            rollback: { monitor_duration: 2s }
        """);
    List<Double> seconds = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    long failed = 0;
    long requests = 0;
    try (LoadGenerator load =
        new LoadGenerator(
                "http://127.0.0.1:" + listen + "/", 4, 200, 200_000, Duration.ofMinutes(8))
            .start()
            .awaitFlowing("blue", 50)) {
      String live = "blue";
      for (int run = 1; run <= RUNS; run++) {
        String next = live.equals("blue") ? "green" : "blue";
        cli.run("traffic", "blue-green", "deploy", "api", "--env", "bench", "-f", doc.toString())
            .expect(0);
        cli.awaitStatus(
            "api",
            "bench",
            "waiting for promote",
            Duration.ofSeconds(60),
            s -> s.path("phase").asText().equals("Paused"));
        LoadGenerator.Counts before = load.snapshot();
        long promote = System.nanoTime();
        cli.run("traffic", "blue-green", "promote", "api", "--env", "bench").expect(0);
        String old = live;
        Waits.until(
            "a window of answers with none from " + old,
            Duration.ofSeconds(30),
            () -> load.next(200, Duration.ofSeconds(10)),
            c -> c.byVersion().getOrDefault(old, 0L) == 0);
        double s = (load.lastAnswerNanos(old) - promote) / 1e9;
        LoadGenerator.Counts during = LoadGenerator.since(before, load.snapshot());
        seconds.add(s);
        failed += during.failed();
        requests += during.sent();
        rows.add(
            String.format(
                Locale.ROOT,
                "| %d | %s -> %s | %.2f | %d of %d |",
                run,
                old,
                next,
                s,
                during.failed(),
                during.sent()));
        cli.awaitStatus(
            "api",
            "bench",
            "promoted",
            Duration.ofSeconds(60),
            st -> st.path("phase").asText().equals("Promoted"));
        live = next;
      }
    }
    double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.println("| switch | colors | promote-to-100% s | failed requests |");
    System.out.println("|---|---|---|---|");
    rows.forEach(System.out::println);
    System.out.printf(
        Locale.ROOT,
        "| median / max | | %.2f / %.2f | %d of %d |%n",
        sorted[sorted.length / 2],
        sorted[sorted.length - 1],
        failed,
        requests);
  }
}
