package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.testing.LoadGenerator;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.testing.Shares;
import dev.trafficctl.testing.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An A/B test end to end: {@code trafficctl ab-test create} starts it through the CLI, a worker
 * routes a real nginx (dynamic mode) by the variants' weights for the targeted segments only, the
 * demo services count exposed and converted users, Prometheus scrapes them and the workflow reads
 * them. Simulated users (seeded, so a failure reproduces) convert at 10% on A and 20% on B; {@code
 * results} must show exactly the users and conversions the users made, B ahead, and {@code conclude
 * --auto} must pick B and move all traffic to v2. Every request goes to loopback and is counted;
 * the test ends by itself.
 */
class AbTestEndToEndTest {

  private static final String ENV = "abtest";
  private static final String OTHER_ENV = "abtest-eu";
  private static final String FLAGS_ENV = "abtest-flags";
  private static final int USERS = 2_000;
  private static final Map<String, Double> CONVERSION = Map.of("v1", 0.10, "v2", 0.20);
  private static final double BOUNCE = 0.40;

  @TempDir static Path tmp;

  private static TrafficPath path;
  private static Cli cli;
  private static int listen;
  private static int flagsListen;
  private static final ObjectMapper json = new ObjectMapper();
  private static final OkHttpClient http = LoadGenerator.seeingEveryFailure().build();

  @BeforeAll
  static void startTheTrafficPath() throws Exception {
    path = TrafficPath.start(tmp.resolve("abtest"));
    listen = Ports.free();
    Map<String, List<DemoInstance>> pools = new LinkedHashMap<>();
    pools.put("v1", List.of(path.demo("v1", "v1.log")));
    pools.put("v2", List.of(path.demo("v2", "v2.log")));
    String env = path.environment(ENV, "dynamic", listen, Ports.free(), pools, true);
    // A second environment of the same service, behind a file router, where a test of the same
    // name can run at the same time.
    String other =
        """
              %s:
                router: { type: file, file: { state_dir: routes } }
                versions:
                  v1: { servers: ["%s"] }
                  v2: { servers: ["%s"] }
                metrics:
                  provider: prometheus
                  address: "%s"
                  selector: 'job="api-%s",version="{{version}}"'
        """
            .formatted(
                OTHER_ENV,
                pools.get("v1").get(0).address(),
                pools.get("v2").get(0).address(),
                path.prometheus.address(),
                ENV);
    // A third, on its own nginx site, for a test of feature flags on one version. Prometheus
    // scrapes the same demo services again as this environment's job: each test counts its own.
    flagsListen = Ports.free();
    String flags = path.environment(FLAGS_ENV, "dynamic", flagsListen, Ports.free(), pools, true);
    Path catalog = path.dir.resolve("trafficctl.yaml");
    Catalog loaded = path.writeCatalog(catalog, env + other + flags);
    path.weights(loaded, ENV, Map.of("v1", 100, "v2", 0), "v1 serves everything");
    path.weights(loaded, FLAGS_ENV, Map.of("v1", 100, "v2", 0), "v1 serves everything");
    Files.createDirectories(path.dir.resolve("ab-tests"));
    // The spec's new-ui document, on this catalog's versions; the threshold (the smallest lift
    // worth finding) plans a sample this test can reach in a minute.
    Files.writeString(
        path.dir.resolve("ab-tests/new-ui.yaml"),
        """
        ab_test:
          name: "new-ui"
          service: "api"
          variants:
            A:
              weight: 50
              config: { ui_version: "v1", feature_flags: { new_ui: false } }
            B:
              weight: 50
              config: { ui_version: "v2", feature_flags: { new_ui: true } }
          targeting:
            header: "X-User-Segment"
            segments: ["premium", "standard"]
          duration: "30m"
          minimum_sample_size: 400
          success_metrics:
            - name: "conversion_rate"
              threshold: 0.5
            - name: "bounce_rate"
              threshold: -0.2
          monitoring:
            statistical_significance: 0.95
            power: 0.80
        """);
    // Two variants of one build, told apart by a feature flag alone.
    Files.writeString(
        path.dir.resolve("ab-tests/new-ui-flag.yaml"),
        """
        ab_test:
          name: "new-ui-flag"
          service: "api"
          variants:
            A: { weight: 50, config: { ui_version: "v1", feature_flags: { new_ui: false } } }
            B: { weight: 50, config: { ui_version: "v1", feature_flags: { new_ui: true } } }
          duration: "30m"
          minimum_sample_size: 400
          success_metrics:
            - name: "conversion_rate"
              threshold: 0.5
          monitoring:
            statistical_significance: 0.95
            power: 0.80
        """);
    path.startWorker("worker.log");
    cli = new Cli(path.server.address(), catalog);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (path != null) {
      path.close();
    }
  }

  /** What one answer through nginx showed. */
  private record Seen(String version, String variant, String flag, String variantCookie) {}

  private static Seen get(Map<String, String> headers) throws IOException {
    return get(listen, headers);
  }

  private static Seen get(int port, Map<String, String> headers) throws IOException {
    Request.Builder request = new Request.Builder().url("http://127.0.0.1:" + port + "/");
    headers.forEach(request::header);
    try (Response response = http.newCall(request.build()).execute()) {
      assertEquals(200, response.code());
      String cookie = null;
      for (String set : response.headers("Set-Cookie")) {
        if (set.startsWith("trafficctl_variant=")) {
          cookie = set.substring("trafficctl_variant=".length(), set.indexOf(';'));
        }
      }
      return new Seen(
          response.header("X-Version", "-"),
          response.header("X-AB-Variant", "-"),
          response.header("X-Feature-New-Ui", "-"),
          cookie);
    }
  }

  private static void convert(Map<String, String> headers, String metric) throws IOException {
    Request.Builder request =
        new Request.Builder()
            .url("http://127.0.0.1:" + listen + "/convert?metric=" + metric)
            .post(RequestBody.create(new byte[0]));
    headers.forEach(request::header);
    try (Response response = http.newCall(request.build()).execute()) {
      assertEquals(200, response.code(), response.body() == null ? "" : response.body().string());
    }
  }

  @Test
  void bConvertsBetterResultsShowItAndConcludeAutoMovesAllTrafficToIt() throws Exception {
    Run created =
        cli.run(
                "ab-test",
                "create",
                "new-ui",
                "--service",
                "api",
                "--env",
                ENV,
                "--variants",
                "A=50,B=50")
            .expect(0);
    assertTrue(created.out().contains("started A/B test new-ui as abtest.api"), created.out());
    Waits.until(
        "the test's routing is in force",
        Duration.ofSeconds(60),
        () -> answerWhileReloading(Map.of("X-User-Segment", "premium")),
        seen -> seen != null && !seen.variant().equals("-"));
    http.connectionPool().evictAll();
    Run listed = cli.run("ab-test", "list").expect(0);
    assertTrue(
        listed.out().contains("new-ui") && listed.out().contains("abtest.api"), listed.out());

    // The same test running in two environments: a command must be told which one.
    cli.run("ab-test", "create", "new-ui", "--service", "api", "--env", OTHER_ENV).expect(0);
    Run ambiguous = cli.run("ab-test", "results", "new-ui").expect(2);
    assertEquals(
        "trafficctl: A/B test new-ui runs as abtest-eu.api and abtest.api; choose one with --env\n",
        ambiguous.err());
    cli.run("ab-test", "abort", "new-ui", "--env", OTHER_ENV, "--reason", "one is enough")
        .expect(0);
    JsonNode aborted =
        cli.awaitStatus(
            "api",
            OTHER_ENV,
            "the second test aborted",
            Duration.ofSeconds(60),
            s -> s.get("phase").asText().equals("Aborted"));
    assertTrue(aborted.get("message").asText().contains("one is enough"), aborted.toString());

    // Targeting: requests outside the segments stay on the control, are told nothing and get no
    // cookie, so they are neither counted nor pinned.
    for (Map<String, String> outside :
        List.of(
            Map.<String, String>of(),
            Map.of("X-User-Segment", "free", "X-User-Id", "outsider"),
            Map.of("X-User-Segment", "Premium", "X-User-Id", "outsider"))) {
      for (int i = 0; i < 100; i++) {
        assertEquals(new Seen("v1", "-", "-", null), get(outside), outside.toString());
      }
    }

    // Users of the listed segments: assigned by weight, kept by the cookie, each told its variant
    // and its feature flag; they convert at their variant's rate.
    Random seeded = new Random(20261127);
    Map<String, long[]> counted = new TreeMap<>(); // version -> {users, conversions, bounces}
    for (int u = 0; u < USERS; u++) {
      String user = "user-" + u;
      String segment = u % 2 == 0 ? "premium" : "standard";
      Seen first = get(Map.of("X-User-Segment", segment, "X-User-Id", user));
      assertEquals(first.version(), first.variantCookie(), "the cookie names the version given");
      Map<String, String> kept =
          Map.of(
              "X-User-Segment",
              segment,
              "X-User-Id",
              user,
              "Cookie",
              "trafficctl_variant=" + first.version());
      for (int again = 0; again < 2; again++) {
        Seen next = get(kept);
        assertEquals(first.version(), next.version(), user + " changed variant");
      }
      boolean b = first.version().equals("v2");
      assertEquals(b ? "B" : "A", first.variant());
      assertEquals(b ? "enabled" : "disabled", first.flag());
      long[] c = counted.computeIfAbsent(first.version(), v -> new long[3]);
      c[0]++;
      if (seeded.nextDouble() < CONVERSION.get(first.version())) {
        convert(kept, "conversion_rate");
        c[1]++;
      }
      if (seeded.nextDouble() < BOUNCE) {
        convert(kept, "bounce_rate");
        c[2]++;
      }
    }
    Shares.assertNear(
        counted.get("v2")[0],
        counted.get("v1")[0] + counted.get("v2")[0],
        50,
        "A/B test users on B (A " + counted.get("v1")[0] + ")");

    // results: an analysis reads exactly what the users did (Prometheus scrapes every second,
    // the workflow analyses every minute).
    JsonNode results =
        Waits.until(
            "an analysis that counted every user",
            Duration.ofMinutes(4),
            AbTestEndToEndTest::results,
            r -> users(r, 0, "A") + users(r, 0, "B") == USERS);
    for (String[] v : new String[][] {{"A", "v1"}, {"B", "v2"}}) {
      long[] c = counted.get(v[1]);
      JsonNode conversion = variant(results, 0, v[0]);
      assertEquals(c[0], conversion.get("users").asLong(), v[0] + " users");
      assertEquals(c[1], conversion.get("conversions").asLong(), v[0] + " conversions");
      JsonNode bounce = variant(results, 1, v[0]);
      assertEquals(c[0], bounce.get("users").asLong(), v[0] + " users (bounce_rate)");
      assertEquals(c[2], bounce.get("conversions").asLong(), v[0] + " bounces");
    }
    JsonNode primary = results.get("metrics").get(0);
    assertEquals("conversion_rate", primary.get("metric").asText());
    assertEquals("B", primary.get("decision").asText(), primary.toString());
    JsonNode lift = primary.get("comparisons").get(0);
    assertEquals("WINNER", lift.get("verdict").asText());
    assertTrue(lift.get("relative_lift_lower").asDouble() > 0, lift.toString());
    assertTrue(lift.get("p_value").asDouble() < 0.001, lift.toString());

    Run table = cli.run("ab-test", "results", "new-ui").expect(0);
    System.out.println("ab-test results new-ui:\n" + table.out());
    assertTrue(table.out().contains("conversion_rate (primary)"), table.out());
    Run one = cli.run("ab-test", "results", "new-ui", "--metrics", "bounce_rate").expect(0);
    assertTrue(!one.out().contains("conversion_rate") && one.out().contains("bounce_rate"));
    Run unknown = cli.run("ab-test", "results", "new-ui", "--metrics", "revenue").expect(2);
    assertEquals(
        "trafficctl: --metrics: new-ui has no success metric \"revenue\" (it has:"
            + " conversion_rate, bounce_rate)\n",
        unknown.err());

    // conclude --auto picks B; all traffic, targeted or not, moves to v2 with B's config.
    Run concluded =
        cli.run("ab-test", "conclude", "new-ui", "--auto", "--reason", "B converts better")
            .expect(0);
    System.out.println(concluded.out());
    JsonNode done =
        cli.awaitStatus(
            "api",
            ENV,
            "the test concluded",
            Duration.ofSeconds(60),
            s -> s.get("phase").asText().equals("Promoted"));
    assertTrue(
        done.get("message").asText().contains("concluded: B (v2) serves 100%"), done.toString());
    // The conclusion's rules reloaded nginx: connections to its old workers close.
    http.connectionPool().evictAll();
    for (Map<String, String> anyone :
        List.of(
            Map.<String, String>of(),
            Map.of("X-User-Segment", "premium", "Cookie", "trafficctl_variant=v1"),
            Map.of("X-User-Segment", "free"))) {
      for (int i = 0; i < 100; i++) {
        assertEquals(new Seen("v2", "-", "enabled", null), get(anyone), anyone.toString());
      }
    }
    JsonNode after = results();
    assertEquals("B", after.get("conclusion").get("winner").asText());
    assertTrue(after.get("conclusion").get("automatic").asBoolean());
    assertEquals("e2e-tester", after.get("conclusion").get("by").asText());
    // An ended test's results are its workflow's result, kept with the history: no worker needed.
    path.killWorker();
    assertEquals(after, results(), "results without a worker");
    Run all = cli.run("ab-test", "list", "--all").expect(0);
    assertTrue(all.out().contains("new-ui") && all.out().contains("completed"), all.out());
    Run nothing = cli.run("ab-test", "conclude", "new-ui", "--winner", "A");
    assertEquals(4, nothing.exitCode(), nothing.err());
    assertTrue(nothing.err().contains("no running A/B test named new-ui"), nothing.err());
    path.startWorker("worker-again.log"); // for the class's other test
  }

  /**
   * Variants A and B both on v1, differing in the {@code new_ui} flag alone: every request reaches
   * v1, users are divided by weight and keep their variant, each request tells v1 its variant and
   * flag; concluding B leaves v1 serving everyone with the flag on.
   */
  @Test
  void variantsOfOneVersionAreToldApartByTheirFlagsAndTheWinnersFlagStays() throws Exception {
    cli.run("ab-test", "create", "new-ui-flag", "--service", "api", "--env", FLAGS_ENV).expect(0);
    Waits.until(
        "the test's routing is in force",
        Duration.ofSeconds(60),
        () -> answerWhileReloading(flagsListen, Map.of("X-User-Id", "probe")),
        seen -> seen != null && !seen.variant().equals("-"));
    http.connectionPool().evictAll();

    int onB = 0;
    int users = 400;
    for (int u = 0; u < users; u++) {
      Map<String, String> user = Map.of("X-User-Id", "flag-user-" + u);
      Seen first = get(flagsListen, user);
      assertEquals("v1", first.version(), "every variant is v1");
      boolean b = first.variant().equals("B");
      assertEquals(b ? "enabled" : "disabled", first.flag(), first.toString());
      Seen again =
          get(
              flagsListen,
              Map.of(
                  "X-User-Id",
                  "flag-user-" + u,
                  "Cookie",
                  "trafficctl_variant=" + first.variantCookie()));
      assertEquals(first.variant(), again.variant(), "the cookie keeps the variant");
      onB += b ? 1 : 0;
    }
    System.out.println("flag test: " + onB + " of " + users + " users on B");
    Shares.assertNear(onB, users, 50, "users on B, the same version as A");

    cli.run("ab-test", "conclude", "new-ui-flag", "--winner", "B", "--reason", "flag on").expect(0);
    JsonNode done =
        cli.awaitStatus(
            "api",
            FLAGS_ENV,
            "the flag test concluded",
            Duration.ofSeconds(60),
            s -> s.get("phase").asText().equals("Promoted"));
    assertTrue(
        done.get("message").asText().contains("concluded: B (v1) serves 100%"), done.toString());
    http.connectionPool().evictAll();
    for (int i = 0; i < 100; i++) {
      assertEquals(
          new Seen("v1", "-", "enabled", null),
          get(flagsListen, Map.of("Cookie", "trafficctl_variant=v1")));
    }
  }

  /** One answer, or null while nginx reloads onto the test's rules (a closed connection). */
  private static Seen answerWhileReloading(Map<String, String> headers) {
    return answerWhileReloading(listen, headers);
  }

  private static Seen answerWhileReloading(int port, Map<String, String> headers) {
    try {
      return get(port, headers);
    } catch (IOException e) {
      return null;
    }
  }

  private static JsonNode results() {
    Run run = cli.run("ab-test", "results", "new-ui", "--output", "json").expect(0);
    try {
      return json.readTree(run.out());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode variant(JsonNode results, int metric, String name) {
    for (JsonNode v : results.get("metrics").get(metric).get("variants")) {
      if (v.get("variant").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no variant " + name + " in " + results);
  }

  private static long users(JsonNode results, int metric, String name) {
    return results.get("metrics").size() <= metric
        ? -1
        : variant(results, metric, name).get("users").asLong();
  }
}
