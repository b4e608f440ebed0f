package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.testing.LoadGenerator;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.testing.Shares;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing rules through the CLI, the worker and a real nginx in both modes: header and region
 * matches route exactly, sticky clients stay on their version, feature-flag buckets are stable per
 * client and match the configured share. Client identities come from a seeded generator, so a
 * failure reproduces. All requests go to loopback and are counted.
 */
class RoutingRulesEndToEndTest {

  @TempDir static Path tmp;

  private static TrafficPath path;
  private static Cli cli;
  private static final Map<String, Integer> listen = new LinkedHashMap<>();
  private static final OkHttpClient http = LoadGenerator.seeingEveryFailure().build();

  @BeforeAll
  static void startTheTrafficPath() throws Exception {
    path = TrafficPath.start(tmp.resolve("rules"));
    StringBuilder envs = new StringBuilder();
    Map<String, Map<String, Integer>> initial = new LinkedHashMap<>();
    for (String env : List.of("header-dynamic", "header-reload", "flags")) {
      envs.append(pools(env, env.endsWith("reload") ? "reload" : "dynamic", List.of("v1", "v2")));
      initial.put(env, Map.of("v1", 100, "v2", 0));
    }
    envs.append(pools("geo", "dynamic", List.of("us-east", "us-west")));
    initial.put("geo", Map.of("us-east", 50, "us-west", 50));
    Path catalog = path.dir.resolve("trafficctl.yaml");
    Catalog loaded = path.writeCatalog(catalog, envs);
    initial.forEach((env, weights) -> path.weights(loaded, env, weights, "before the test"));
    path.startWorker("worker.log");
    cli = new Cli(path.server.address(), catalog);
  }

  private static String pools(String env, String mode, List<String> versions) {
    Map<String, List<DemoInstance>> pools = new LinkedHashMap<>();
    for (String version : versions) {
      pools.put(version, List.of(path.demo(version, env + "-" + version + ".log")));
    }
    listen.put(env, Ports.free());
    return path.environment(env, mode, listen.get(env), Ports.free(), pools, false);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (path != null) {
      path.close();
    }
  }

  /** One GET with {@code headers}; returns the response's headers of interest. */
  private static Map<String, String> get(String env, Map<String, String> headers)
      throws IOException {
    Request.Builder request =
        new Request.Builder().url("http://127.0.0.1:" + listen.get(env) + "/");
    headers.forEach(request::header);
    try (Response response = http.newCall(request.build()).execute()) {
      assertEquals(200, response.code());
      Map<String, String> seen = new HashMap<>();
      seen.put("version", response.header("X-Version", "-"));
      seen.put("flag", response.header("X-Feature-New-Ui", "-"));
      seen.put("set-cookie", String.join("; ", response.headers("Set-Cookie")));
      return seen;
    }
  }

  private static Map<String, Long> versions(String env, Map<String, String> headers, int n)
      throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(get(env, headers).get("version"), 1L, Long::sum);
    }
    return counts;
  }

  @Test
  void aHeaderNamingAVersionRoutesThereInBothModesAndTheRestFollowTheWeights() throws Exception {
    for (String env : List.of("header-dynamic", "header-reload")) {
      cli.run("traffic", "split", "api", "--env", env, "--header", "X-Pool", "--v1=80", "--v2=20")
          .expect(0);
      assertEquals(Map.of("v2", 200L), versions(env, Map.of("X-Pool", "v2"), 200), env);
      assertEquals(Map.of("v1", 200L), versions(env, Map.of("X-Pool", "v1"), 200), env);
      Map<String, Long> rest = versions(env, Map.of("X-Pool", "nobody"), 1000);
      Shares.assertNear(rest.getOrDefault("v2", 0L), 1000, 20, env + ": unmatched requests on v2");
    }
  }

  @Test
  void aRegionHeaderRoutesEachRegionToItsPool() throws Exception {
    cli.run(
            "traffic",
            "split",
            "api",
            "--env",
            "geo",
            "--region-header",
            "X-Region",
            "--us-east=60",
            "--us-west=40")
        .expect(0);
    Run shown = cli.run("traffic", "split", "api", "--env", "geo").expect(0);
    assertTrue(shown.out().contains("us-east 60%, us-west 40%"), shown.out());
    assertTrue(shown.out().contains("X-Region names: us-east, us-west"), shown.out());
    assertEquals(Map.of("us-east", 100L), versions("geo", Map.of("X-Region", "us-east"), 100));
    assertEquals(Map.of("us-west", 100L), versions("geo", Map.of("X-Region", "us-west"), 100));
  }

  @Test
  void stickyClientsStayOnTheirVersionAndTheFlagIsStablePerClient() throws Exception {
    cli.run(
            "traffic",
            "split",
            "api",
            "--env",
            "flags",
            "--sticky",
            "--feature-flag",
            "new_ui",
            "--enabled=25",
            "--disabled=75",
            "--v1=50",
            "--v2=50")
        .expect(0);
    Random seeded = new Random(20261127);
    // Sticky: each client keeps the cookie it was given; all its requests reach one version.
    for (int c = 0; c < 20; c++) {
      String client = "trafficctl_client=sticky-" + seeded.nextLong();
      Map<String, String> first = get("flags", Map.of("Cookie", client));
      String cookie = first.get("set-cookie");
      assertTrue(cookie.contains("trafficctl_version="), "the version cookie is set: " + cookie);
      String pinned = cookie.replaceAll(".*trafficctl_version=([^;]+).*", "$1");
      Map<String, Long> seen =
          versions("flags", Map.of("Cookie", client + "; trafficctl_version=" + pinned), 20);
      assertEquals(Map.of(first.get("version"), 20L), seen, "client " + c);
    }
    // Feature flag: stable per client, and the configured share over many clients.
    int enabled = 0;
    int clients = 1000;
    for (int c = 0; c < clients; c++) {
      Map<String, String> cookie = Map.of("Cookie", "trafficctl_client=u" + seeded.nextLong());
      String flag = get("flags", cookie).get("flag");
      assertTrue(flag.equals("enabled") || flag.equals("disabled"), "upstream told: " + flag);
      if (c < 20) {
        for (int again = 0; again < 5; again++) {
          assertEquals(flag, get("flags", cookie).get("flag"), "client " + c + " changed bucket");
        }
      }
      enabled += flag.equals("enabled") ? 1 : 0;
    }
    Shares.assertNear(enabled, clients, 25, "feature flag new_ui 25%: clients enabled");
  }
}
