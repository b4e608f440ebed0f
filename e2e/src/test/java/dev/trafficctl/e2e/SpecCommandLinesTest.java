package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.testing.Waits;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example command line of the command spec, run as written (the binary renamed) against a
 * catalog of the services and versions the spec names, a dev server and a worker: those of the
 * families trafficctl has exit 0, the others exit 2 with one line naming what does not exist.
 * Between two lines the test does what a person would (waits for a gate, ends a rollout) so that
 * each line meets the state it is written for. The table it prints is the spec's coverage.
 */
class SpecCommandLinesTest {

  private static final String NOT_YET = "not in trafficctl yet";

  @TempDir static Path dir;

  private static DevServer server;
  private static WorkerProcess worker;
  private static Cli cli;
  private static final List<HttpServer> instances = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = new DevServer(dir.resolve("temporal"));
    server.start();
    // Blue and green instances that answer their health endpoint, as the spec's deploy expects.
    Map<String, List<String>> colors = new LinkedHashMap<>();
    for (String color : List.of("blue", "green")) {
      List<String> addresses = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", Ports.free()), 0);
        http.createContext(
            "/",
            exchange -> {
              exchange.sendResponseHeaders(200, -1);
              exchange.close();
            });
        http.start();
        instances.add(http);
        addresses.add("\"127.0.0.1:" + http.getAddress().getPort() + "\"");
      }
      colors.put(color, addresses);
    }
    StringBuilder catalog =
        new StringBuilder(
            """
            services:
              api:
                environments:
                  production:
                    router: { type: file, file: { state_dir: routes } }
                    health: { endpoint: /health }
                    versions:
            """);
    for (Map.Entry<String, List<String>> color : colors.entrySet()) {
      catalog
          .append("          ")
          .append(color.getKey())
          .append(": { servers: [")
          .append(String.join(", ", color.getValue()))
          .append("] }\n");
    }
    int port = 19181;
    // The versions the spec's splits name; v2 last, the version a canary rolls out by default.
    for (String version :
        List.of("v1.0", "v2.0", "us-east", "us-west", "premium", "standard", "v1", "v2")) {
      catalog
          .append("          ")
          .append(version)
          .append(": { servers: [\"127.0.0.1:")
          .append(port++)
          .append("\"] }\n");
    }
    catalog.append(
        """
          frontend:
            environments:
              production:
                router: { type: file, file: { state_dir: routes } }
                versions:
                  v1.0: { servers: ["127.0.0.1:19281"] }
                  v2.0: { servers: ["127.0.0.1:19282"] }
                metrics: { provider: nginx-log, access_log: access.json }
        """);
    Files.writeString(dir.resolve("access.json"), "");
    Path catalogFile = dir.resolve("trafficctl.yaml");
    Files.writeString(catalogFile, catalog);
    // The spec's documents beside the catalog, with timeouts short enough for a test.
    Files.createDirectories(dir.resolve("traffic"));
    Files.writeString(
        dir.resolve("traffic/blue-green.yaml"),
        """
        blue_green:
          api:
            strategy:
              switch_timeout: "300s"
              health_check_timeout: "2s"
              auto_promote: false
              cleanup_delay: "1s"
            traffic:
              load_balancer: "file"
              health_endpoint: "/health"
              readiness_timeout: "20s"
            environments:
              blue: { weight: 100, instances: 3 }
              green: { weight: 0, instances: 3 }
            rollback:
              automatic: true
              failure_threshold: 5
              monitor_duration: "60s"
        """);
    Files.writeString(
        dir.resolve("traffic/canary.yaml"),
        """
        canary:
          api:
            steps:
              - { traffic_percent: 25, duration: 1h }
              - { traffic_percent: 50, duration: 1h }
              - traffic_percent: 100
        """);
    Files.createDirectories(dir.resolve("ab-tests"));
    Files.writeString(
        dir.resolve("ab-tests/new-ui.yaml"),
        """
        ab_test:
          name: "new-ui"
          service: "frontend"
          variants:
            A: { weight: 50, config: { ui_version: "v1.0", feature_flags: { new_ui: false } } }
            B: { weight: 50, config: { ui_version: "v2.0", feature_flags: { new_ui: true } } }
          targeting:
            header: "X-User-Segment"
            segments: ["premium", "standard"]
          duration: "14d"
          minimum_sample_size: 1000
          # Named as the spec's results line names them (its document says conversion_rate and
          # bounce_rate).
          success_metrics:
            - { name: "conversion", threshold: 0.05 }
            - { name: "engagement", threshold: 0.02 }
          monitoring:
            statistical_significance: 0.95
            power: 0.80
        """);
    Files.createDirectories(dir.resolve("worker"));
    worker =
        WorkerProcess.start(server.address(), dir.resolve("worker"), dir.resolve("worker.log"));
    cli = new Cli(server.address(), catalogFile, Map.of("TRAFFICCTL_ENV", "production"));
  }

  @AfterAll
  static void stop() throws Exception {
    instances.forEach(http -> http.stop(0));
    if (worker != null) {
      worker.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyExampleCommandLineOfTheSpecDoesWhatItSays() throws Exception {
    List<String> lines = specLines();
    Map<String, Row> rows = rows();
    assertEquals(
        List.copyOf(rows.keySet()),
        lines,
        "every example line of the spec has its row, in the spec's order");

    StringBuilder table =
        new StringBuilder("| command line | exit | first line |\n|---|---|---|\n");
    for (String line : lines) {
      Row row = rows.get(line);
      row.before.run();
      Run run = cli.run(words(line));
      String first = (run.exitCode() == 0 ? run.out() : run.err()).lines().findFirst().orElse("");
      table.append("| `").append(line).append("` | ").append(run.exitCode());
      table.append(" | ").append(first.replace("|", "\\|")).append(" |\n");
      run.expect(row.exit);
      if (row.exit == 0) {
        assertFalse(run.err().contains("trafficctl: "), line + ":\n" + run.err());
      } else {
        assertEquals(1, run.err().lines().count(), line + ":\n" + run.err());
        assertTrue(run.err().contains(row.says), line + ": " + run.err());
      }
      row.after.run();
    }
    System.out.println(table);
  }

  /** What each line must do, and what a person does around it. */
  private static Map<String, Row> rows() {
    Map<String, Row> rows = new LinkedHashMap<>();
    String bg = "trafficctl traffic blue-green ";
    rows.put(bg + "deploy api --env production", ok());
    rows.put(bg + "status api --env production", ok());
    rows.put(
        bg + "promote api --env production",
        ok().before(() -> awaitMessage("waiting for promote")));
    rows.put(
        bg + "switch-to-blue api --env production",
        ok().before(() -> awaitMessage("monitor")).after(SpecCommandLinesTest::awaitEnded));
    rows.put(
        bg + "deploy api --auto-promote --health-threshold 95",
        ok().after(() -> abort("blue-green")));
    rows.put(bg + "deploy api --monitor-duration 600s --env production", ok());
    rows.put(
        bg + "switch api --from blue --to green --gradual",
        ok().before(() -> awaitMessage("waiting for promote")).after(() -> abort("blue-green")));

    String canary = "trafficctl traffic canary ";
    rows.put(
        canary + "deploy api --env production",
        ok().before(() -> cli.run("traffic", "split", "api", "--v1=100").expect(0)));
    rows.put(canary + "status api --env production", ok());
    // Promote moves a paused canary to its next step: a person pauses it at the first.
    rows.put(
        canary + "promote api --env production",
        ok().before(
                () -> {
                  awaitMessage("step 1: holding");
                  cli.run("traffic", "canary", "pause", "api").expect(0);
                }));
    rows.put(canary + "abort api --env production", ok().after(SpecCommandLinesTest::awaitEnded));
    rows.put(canary + "deploy api --metrics custom-metrics.yaml", notYet("Unknown option"));
    rows.put(
        canary + "deploy api --ab-test --variant-header \"X-Variant\"", notYet("Unknown option"));
    rows.put(canary + "deploy api --region us-east-1 --percentage 10", notYet("Unknown option"));

    String split = "trafficctl traffic split api ";
    rows.put(split + "--v1=80 --v2=20", ok());
    rows.put(split + "--us-east=60 --us-west=40", ok());
    rows.put(split + "--header \"X-User-Type\" --premium=70 --standard=30", ok());
    rows.put(split + "--from v1.0=100 --to v2.0=0", ok());
    rows.put(
        split + "--migrate --from v1.0 --to v2.0 --rate 10 --interval 2m",
        ok().after(() -> abort("migration")));
    rows.put(split + "--feature-flag \"new_ui\" --enabled=25 --disabled=75", ok());
    // Server utilization is measured; this catalog has no metrics source, and the command says so
    // before starting anything (the capacity plan itself is tested against Prometheus data).
    rows.put(
        split + "--adjust-weights --target-utilization 70",
        new Row(2, "server utilization is measured, so the catalog entry needs a metrics source"));

    for (String line :
        List.of(
            "lb list --env production",
            "lb show nginx-api --env production",
            "lb update nginx-api --config new-rules.yaml",
            "lb health nginx-api --detailed",
            "circuit list --env production",
            "circuit status api-to-database",
            "circuit reset api-to-database",
            "circuit configure api-to-database --config cb-config.yaml",
            "mesh istio traffic api --split v1=90,v2=10",
            "mesh linkerd policy api --retry-budget 10",
            "mesh consul route api --upstream database --timeout 30s",
            "traffic monitor api --env production",
            "traffic dashboard --service api --duration 1h",
            "traffic metrics api --duration 24h --format json",
            "traffic metrics api --metrics requests,errors,latency,distribution",
            "traffic analyze geographic --service api --duration 7d",
            "traffic analyze journey --service api --trace-headers \"X-Request-ID\"")) {
      rows.put("trafficctl " + line, notYet("no command '"));
    }
    rows.put("trafficctl ab-test create new-ui --variants A=50,B=50 --service frontend", ok());
    rows.put("trafficctl ab-test results new-ui --metrics conversion,engagement", ok());
    rows.put("trafficctl ab-test conclude new-ui --winner B", ok());
    for (String line :
        List.of(
            "traffic record api --duration 1h --output traffic-dump.json",
            "traffic replay --input traffic-dump.json --target staging --rate 2x",
            "traffic replay --input traffic-dump.json --modify headers.yaml",
            "traffic chaos latency --service api --delay 100ms --percentage 10",
            "traffic chaos failure --service api --error-rate 5 --duration 5m",
            "traffic chaos geographic --simulate-region-outage us-east-1",
            "traffic debug api --trace-requests --duration 5m",
            "lb debug nginx-api --check-upstream --check-health",
            "circuit analyze api-database --failure-patterns --duration 1h",
            "mesh debug api --check-rules --check-connectivity")) {
      rows.put("trafficctl " + line, notYet("no command '"));
    }
    return rows;
  }

  private static Row ok() {
    return new Row(0, null);
  }

  /** A line of a family trafficctl does not have yet: exit 2, one line saying {@code says}. */
  private static Row notYet(String says) {
    return new Row(2, says);
  }

  private static final class Row {
    final int exit;
    final String says;
    Runnable before = () -> {};
    Runnable after = () -> {};

    Row(int exit, String says) {
      this.exit = exit;
      this.says = says == null ? NOT_YET : says;
    }

    Row before(Runnable step) {
      this.before = step;
      return this;
    }

    Row after(Runnable step) {
      this.after = step;
      return this;
    }
  }

  private static JsonNode status() {
    return cli.status("api", "production");
  }

  private static void awaitMessage(String part) {
    Waits.until(
        "a status saying '" + part + "'",
        Duration.ofSeconds(60),
        SpecCommandLinesTest::status,
        s -> s.path("message").asText().contains(part));
  }

  private static void awaitEnded() {
    Waits.until(
        "the rollout ended",
        Duration.ofSeconds(60),
        SpecCommandLinesTest::status,
        s -> s.path("phase").asText().matches("Promoted|RolledBack|Aborted|Failed"));
  }

  /** Ends the running rollout of {@code group} once it has started, as a person would. */
  private static void abort(String group) {
    Waits.until(
        group + " abort accepted",
        Duration.ofSeconds(60),
        () -> cli.run("traffic", group, "abort", "api", "--reason", "next spec line"),
        run -> run.exitCode() == 0);
    awaitEnded();
  }

  /** The spec's example lines, as committed beside this test (the binary renamed). */
  private static List<String> specLines() throws IOException {
    try (InputStream in =
        SpecCommandLinesTest.class.getResourceAsStream("/spec-command-lines.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> l.startsWith("trafficctl "))
          .collect(Collectors.toList());
    }
  }

  /** A command line split into words as a shell would: blanks separate, double quotes group. */
  private static String[] words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    for (char c : line.substring("trafficctl ".length()).toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ' ' && !quoted) {
        if (!word.isEmpty()) {
          words.add(word.toString());
          word.setLength(0);
        }
      } else {
        word.append(c);
      }
    }
    if (!word.isEmpty()) {
      words.add(word.toString());
    }
    return words.toArray(String[]::new);
  }
}
