package dev.trafficctl.activities.router.nginx;

import static dev.trafficctl.activities.router.nginx.NginxTargets.weights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.activities.router.CancelledAttempt;
import dev.trafficctl.activities.router.Changes;
import dev.trafficctl.activities.router.OtherProcessLock;
import dev.trafficctl.activities.router.TrafficRouterActivity;
import dev.trafficctl.config.catalog.NginxMode;
import dev.trafficctl.config.catalog.RouterType;
import dev.trafficctl.testing.Shares;
import dev.trafficctl.testing.Traffic;
import dev.trafficctl.workflows.ports.FailureTypes;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteLayer;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RoutingRules;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Routing rules on a real nginx, in both modes: exact header matches before the weights, the sticky
 * cookie while its version has weight, and a feature flag's stable per-client bucket told to the
 * upstream.
 */
class NginxRoutingRulesTest {

  private static final String FLAG_HEADER = "X-Feature-New-Ui";

  @TempDir Path dir;

  private NginxRig rig;
  private NginxRouter router;
  private final Traffic traffic = new Traffic();

  private NginxTargets start(NginxMode mode) {
    rig = NginxRig.start(dir, mode == NginxMode.DYNAMIC, Map.of("stable", 1, "premium", 1));
    router = new NginxRouter(dir, NginxAdminClient.DEFAULT_CLIENT, Duration.ofSeconds(10));
    return rig.targets(mode, "stable", "premium");
  }

  @AfterEach
  void stop() {
    if (rig != null) {
      rig.close();
    }
  }

  private RouteState set(NginxTargets t, Map<String, Integer> weights, RoutingRules rules) {
    return new TrafficRouterActivity(Map.of(RouterType.NGINX, router))
        .change(Changes.of(t.target(), weights, "test", rules));
  }

  @ParameterizedTest
  @EnumSource(NginxMode.class)
  void aMatchingHeaderRoutesEveryRequestToItsPoolAndTheRestFollowTheWeights(NginxMode mode) {
    NginxTargets t = start(mode);
    RoutingRules rules =
        new RoutingRules(
            List.of(
                new RoutingRules.MatchRule("premium-users", "X-User-Type", List.of("premium")),
                new RoutingRules.MatchRule("regions", "X-Region", List.of("stable", "premium"))),
            null,
            null);
    RouteState state = set(t, weights("stable", 80, "premium", 20), rules);
    assertEquals(weights("stable", 80, "premium", 20), state.weights());
    assertEquals(rules, state.rules(), "the rules in force are read back");
    assertEquals(rules, router.read(t.target()).rules());

    assertEquals(
        Map.of("premium", 200), traffic.sendWith(t.listen, 200, Map.of("X-User-Type", "premium")));
    // The first rule that matches decides.
    assertEquals(
        Map.of("premium", 100),
        traffic.sendWith(t.listen, 100, Map.of("X-User-Type", "premium", "X-Region", "stable")));
    assertEquals(
        Map.of("stable", 100), traffic.sendWith(t.listen, 100, Map.of("X-Region", "stable")));
    // Exact values only: another value, another case or no header follow the weights.
    for (Map<String, String> headers :
        List.of(
            Map.of("X-User-Type", "Premium"),
            Map.of("X-User-Type", "premium-plus"),
            Map.<String, String>of())) {
      Map<String, Integer> counts = traffic.sendWith(t.listen, 1000, headers);
      Shares.assertShare(counts, "premium", 20, headers.toString());
    }

    // A matched pool is served even without weight.
    set(t, weights("stable", 100, "premium", 0), rules);
    assertEquals(
        Map.of("premium", 200), traffic.sendWith(t.listen, 200, Map.of("X-User-Type", "premium")));
    assertEquals(Map.of("stable", 200), traffic.sendWith(t.listen, 200, Map.of()));

    // Rules taken away: the header no longer matters.
    RouteState none = set(t, weights("stable", 100, "premium", 0), RoutingRules.NONE);
    assertEquals(RoutingRules.NONE, none.rules());
    assertEquals(
        Map.of("stable", 100), traffic.sendWith(t.listen, 100, Map.of("X-User-Type", "premium")));
  }

  /**
   * The layers a change does not carry stay as they are: a canary's weights after a split's header
   * rule keep routing premium users to their pool; a late change of the weights, overtaken by a
   * newer one, is refused and nginx keeps serving the newer.
   */
  @ParameterizedTest
  @EnumSource(NginxMode.class)
  void aChangeOfTheWeightsKeepsTheRulesAndALateOneIsRefused(NginxMode mode) {
    NginxTargets t = start(mode);
    TrafficRouterActivity activity = new TrafficRouterActivity(Map.of(RouterType.NGINX, router));
    RoutingRules premiumUsers =
        new RoutingRules(
            List.of(new RoutingRules.MatchRule("premium-users", "X-User-Type", List.of("premium"))),
            null,
            null);
    activity.change(
        Changes.by(t.target(), "split")
            .withWeights(weights("stable", 100, "premium", 0))
            .withRules(premiumUsers));
    RouteChange late = Changes.weights(t.target(), weights("stable", 50, "premium", 50), "late");
    RouteState canary =
        activity.change(
            Changes.weights(t.target(), weights("stable", 0, "premium", 100), "canary"));

    assertEquals(premiumUsers, canary.rules(), "the split's rules stay");
    assertEquals(
        Map.of("premium", 100), traffic.sendWith(t.listen, 100, Map.of("X-User-Type", "premium")));
    assertEquals(Map.of("premium", 100), traffic.sendWith(t.listen, 100, Map.of()));
    ApplicationFailure refused =
        assertThrows(ApplicationFailure.class, () -> activity.change(late));
    assertEquals(FailureTypes.STALE_CHANGE, refused.getType());
    assertEquals(weights("stable", 0, "premium", 100), router.read(t.target()).weights());
    assertEquals(Map.of("premium", 100), traffic.sendWith(t.listen, 100, Map.of()));
    assertEquals(
        Set.of(RouteLayer.WEIGHTS, RouteLayer.RULES), router.read(t.target()).layers().keySet());
  }

  /**
   * An attempt cancelled while another process (a second worker) changes the same service leaves
   * the queue and applies nothing: nginx keeps serving what it served.
   */
  @ParameterizedTest
  @EnumSource(NginxMode.class)
  void anAttemptCancelledWhileQueuedChangesNothing(NginxMode mode) throws Exception {
    NginxTargets t = start(mode);
    TrafficRouterActivity activity = new TrafficRouterActivity(Map.of(RouterType.NGINX, router));
    set(t, weights("stable", 100, "premium", 0), RoutingRules.NONE);
    Path include = Path.of(t.configDir).resolve("production.api.conf");
    String served = Files.readString(include);

    Throwable ended;
    try (OtherProcessLock lock =
        OtherProcessLock.hold(Path.of(t.configDir).resolve(".production.api.lock"))) {
      ended =
          CancelledAttempt.run(
              activity,
              Changes.weights(t.target(), weights("stable", 50, "premium", 50), "step"),
              lock);
    }

    assertInstanceOf(CanceledFailure.class, ended, String.valueOf(ended));
    assertEquals(served, Files.readString(include), "the include is untouched");
    assertEquals(weights("stable", 100, "premium", 0), router.read(t.target()).weights());
    assertEquals(Map.of("stable", 200), traffic.sendWith(t.listen, 200, Map.of()));
  }

  /**
   * Services of one config dir change side by side: while another process holds one service's
   * files, another service's change goes through (it queues only for nginx -t and the reload, which
   * every service shares), in both modes.
   */
  @ParameterizedTest
  @EnumSource(NginxMode.class)
  void anotherServicesChangeDoesNotQueueBehindAServiceBeingChanged(NginxMode mode)
      throws Exception {
    NginxTargets api = start(mode);
    NginxTargets web = rig.targets(mode, "stable", "premium");
    web.service = "web";
    set(api, weights("stable", 100, "premium", 0), RoutingRules.NONE);

    try (OtherProcessLock lock =
        OtherProcessLock.hold(Path.of(api.configDir).resolve(".production.api.lock"))) {
      setWithin(web, weights("stable", 20, "premium", 80));
    }
    Shares.assertShare(traffic.sendWith(web.listen, 400, Map.of()), "premium", 80, "web");
    assertEquals(Map.of("stable", 100), traffic.sendWith(api.listen, 100, Map.of()));
  }

  /**
   * In dynamic mode a change of weights alone needs no reload, so it does not wait while nginx is
   * tested and reloaded for another service (another process holding the config dir's reload lock
   * here): the admin endpoint takes it at once.
   */
  @Test
  void aDynamicWeightsChangeDoesNotWaitForAnotherServicesReload() throws Exception {
    NginxTargets api = start(NginxMode.DYNAMIC);
    set(api, weights("stable", 100, "premium", 0), RoutingRules.NONE);

    try (OtherProcessLock reloading =
        OtherProcessLock.hold(Path.of(api.configDir).resolve(".trafficctl.lock"))) {
      setWithin(api, weights("stable", 0, "premium", 100));
      assertEquals(Map.of("premium", 100), traffic.sendWith(api.listen, 100, Map.of()));
    }
  }

  /** Sets {@code weights} (no rules), failing when that takes longer than 20 s. */
  private void setWithin(NginxTargets t, Map<String, Integer> weights) {
    RouteState changed =
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> set(t, weights, RoutingRules.NONE));
    assertEquals(weights, changed.weights());
  }

  @ParameterizedTest
  @EnumSource(NginxMode.class)
  void theStickyCookieKeepsAClientOnItsVersionWhileItHasWeight(NginxMode mode) {
    NginxTargets t = start(mode);
    RoutingRules rules = new RoutingRules(List.of(), "tc_version", null);
    set(t, weights("stable", 50, "premium", 50), rules);

    // A new client is told the version it was given.
    HttpResponse<String> fresh = traffic.getWith(t.listen, "/", Map.of());
    String cookie = fresh.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.startsWith("tc_version=" + fresh.body() + ";"), cookie);
    assertTrue(cookie.contains("Max-Age=3600"), cookie);

    Map<String, String> onPremium = Map.of("Cookie", "a=b; tc_version=premium");
    assertEquals(Map.of("premium", 100), traffic.sendWith(t.listen, 100, onPremium));
    // Its weight falls but stays above 0: the client stays.
    set(t, weights("stable", 95, "premium", 5), rules);
    assertEquals(Map.of("premium", 200), traffic.sendWith(t.listen, 200, onPremium));
    // Its weight goes to 0: the client moves, and is told so.
    set(t, weights("stable", 100, "premium", 0), rules);
    HttpResponse<String> moved = traffic.getWith(t.listen, "/", onPremium);
    assertEquals("stable", moved.body());
    assertTrue(
        moved.headers().firstValue("Set-Cookie").orElseThrow().startsWith("tc_version=stable;"));
    assertEquals(Map.of("stable", 100), traffic.sendWith(t.listen, 100, onPremium));
  }

  @ParameterizedTest
  @EnumSource(NginxMode.class)
  void aFeatureFlagGivesEachClientAStableBucketAndTellsTheUpstream(NginxMode mode) {
    NginxTargets t = start(mode);
    RoutingRules rules =
        new RoutingRules(
            List.of(), null, new RoutingRules.FeatureFlag("new_ui", 30, "tc_client", FLAG_HEADER));
    assertEquals(rules, set(t, weights("stable", 50, "premium", 50), rules).rules());

    // A client without the cookie is given one, and its first request's bucket is the one its
    // later requests get. Several clients, so that both buckets are seen.
    Set<String> buckets = new TreeSet<>();
    for (int client = 0; client < 10; client++) {
      HttpResponse<String> first = traffic.getWith(t.listen, "/", Map.of());
      String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
      assertTrue(setCookie.startsWith("tc_client="), setCookie);
      assertTrue(setCookie.endsWith("; Path=/; Max-Age=31536000"), setCookie);
      String id = setCookie.substring("tc_client=".length(), setCookie.indexOf(';'));
      String bucket = saw(first);
      buckets.add(bucket);
      HttpClient kept = traffic.newClient();
      for (int i = 0; i < 20; i++) {
        // A header the client sends itself is replaced, not passed on.
        HttpResponse<String> again =
            Traffic.getWith(
                kept,
                t.listen,
                "/again/" + i,
                Map.of("Cookie", "tc_client=" + id, FLAG_HEADER, "enabled"));
        assertEquals(bucket, saw(again), "request " + i + " of client " + id);
        assertTrue(again.headers().allValues("Set-Cookie").isEmpty(), "the cookie is kept");
      }
    }
    assertTrue(Set.of("enabled", "disabled").containsAll(buckets), buckets.toString());

    // Over many clients the enabled share is the flag's percent.
    Random random = new Random(42);
    HttpClient client = traffic.newClient();
    int enabled = 0;
    int clients = 1000;
    for (int i = 0; i < clients; i++) {
      byte[] id = new byte[16];
      random.nextBytes(id);
      HttpResponse<String> response =
          Traffic.getWith(
              client, t.listen, "/", Map.of("Cookie", "tc_client=" + HexFormat.of().formatHex(id)));
      if (saw(response).equals("enabled")) {
        enabled++;
      }
    }
    double share = 100.0 * enabled / clients;
    Shares.assertShare(
        Map.of("enabled", enabled, "disabled", clients - enabled), "enabled", 30, "feature flag");
    System.out.printf("nginx %s: feature flag at 30%% -> %.1f%% of clients%n", mode, share);
  }

  @ParameterizedTest
  @EnumSource(NginxMode.class)
  void segmentsLimitTheWeightsAndTheStickyCookieToListedRequestsAndVersionsTellTheUpstream(
      NginxMode mode) {
    NginxTargets t = start(mode);
    RoutingRules rules =
        new RoutingRules(
            List.of(),
            "tc_variant",
            null,
            new RoutingRules.Segments("X-User-Segment", List.of("premium", "standard"), "stable"),
            Map.of(
                "stable", Map.of("X-Feature-Variant", "A"),
                "premium", Map.of("X-Feature-Variant", "B", "X-Feature-Test", "new-ui")));
    assertEquals(rules, set(t, weights("stable", 50, "premium", 50), rules).rules());
    assertEquals(rules, router.read(t.target()).rules(), "the rules are read back");

    // Outside the segments: all on the outside version, with no cookie and no version headers,
    // whatever cookie it has.
    for (Map<String, String> headers :
        List.of(
            Map.<String, String>of(),
            Map.of("X-User-Segment", "free"),
            Map.of("X-User-Segment", "Premium"),
            Map.of("Cookie", "x=y"),
            Map.of("X-User-Segment", "free", "Cookie", "tc_variant=premium"))) {
      assertEquals(
          Map.of("stable", 100), traffic.sendWith(t.listen, 100, headers), headers.toString());
      HttpResponse<String> outside = traffic.getWith(t.listen, "/", headers);
      assertTrue(outside.headers().allValues("Set-Cookie").isEmpty(), headers.toString());
      // Not in the test: told nothing, so the application counts no exposure.
      assertEquals(
          "(none)", outside.headers().firstValue("X-Upstream-Saw-Variant").orElse("(none)"));
    }

    // Listed segments follow the weights; each answer names its version in the cookie, and each
    // version's headers reach the upstream (only its own).
    for (String segment : List.of("premium", "standard")) {
      Map<String, String> headers = Map.of("X-User-Segment", segment);
      Shares.assertShare(traffic.sendWith(t.listen, 1000, headers), "premium", 50, segment);
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> answer = traffic.getWith(t.listen, "/", headers);
        String version = answer.body();
        String cookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("tc_variant=" + version + "; Path=/; Max-Age="), cookie);
        assertEquals(
            version.equals("premium") ? "B" : "A",
            answer.headers().firstValue("X-Upstream-Saw-Variant").orElse(null));
        assertEquals(
            version.equals("premium") ? "new-ui" : "(none)",
            answer.headers().firstValue("X-Upstream-Saw-Test").orElse("(none)"));
      }
    }
    // A listed request with the cookie stays on its version.
    assertEquals(
        Map.of("premium", 200),
        traffic.sendWith(
            t.listen, 200, Map.of("X-User-Segment", "standard", "Cookie", "tc_variant=premium")));
  }

  private static String saw(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return response.headers().firstValue("X-Upstream-Saw-New-Ui").orElse("(none)");
  }
}
