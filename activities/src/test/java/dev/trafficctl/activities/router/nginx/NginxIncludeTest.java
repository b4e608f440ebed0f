package dev.trafficctl.activities.router.nginx;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static dev.trafficctl.activities.router.nginx.NginxTargets.weights;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.activities.AllowedBinaries;
import dev.trafficctl.activities.ConfinedPaths;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.catalog.NginxMode;
import dev.trafficctl.config.loadbalancer.Algorithms;
import dev.trafficctl.config.loadbalancer.BalancingMethod;
import dev.trafficctl.config.loadbalancer.LoadBalancerSpec;
import dev.trafficctl.config.loadbalancer.LoadBalancerType;
import dev.trafficctl.config.loadbalancer.SessionPersistence;
import dev.trafficctl.config.loadbalancer.Upstream;
import dev.trafficctl.config.loadbalancer.UpstreamServer;
import dev.trafficctl.testing.NginxProcess;
import dev.trafficctl.workflows.ports.RoutingRules;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rendered include, byte for byte against golden files, accepted by a real {@code nginx -t},
 * and closed to configuration injected through names, addresses, cookies, paths or reasons.
 *
 * <p>To re-record the golden files after a deliberate change: {@code mvn test -pl activities
 * -Dtest=NginxIncludeTest -Dtrafficctl.golden.update=true}, then review the diff.
 */
class NginxIncludeTest {

  private static final Path GOLDEN = Path.of("src/test/resources/router/nginx");
  private static final Path BASE = Path.of("/srv/trafficctl");

  /**
   * Rendering is what these tests check, not confinement (ConfinedPathsTest and
   * NginxConfinementTest do): paths may lead anywhere, and the binary is nginx's default.
   */
  private static final ConfinedPaths ANYWHERE =
      ConfinedPaths.within(BASE).allowing(List.of(Path.of("/")));

  private static final AllowedBinaries ANY_NGINX = AllowedBinaries.DEFAULT;
  private static final Map<String, Integer> CANARY = weights("v1", 90, "v2", 10);

  /** A fixed secret, so that the golden files hold a fixed verifier. */
  static final AdminSecret ADMIN_SECRET = new AdminSecret("0123456789abcdef".repeat(4));

  static final AdminSecret.Verifier ADMIN_SECRET_VERIFIER = ADMIN_SECRET.verifier();

  /** Two exact-match rules, a sticky cookie and a feature flag: every kind of routing rule. */
  static final RoutingRules RULES =
      new RoutingRules(
          List.of(
              new RoutingRules.MatchRule("premium-users", "X-User-Type", List.of("v2")),
              new RoutingRules.MatchRule("regions", "X-Region", List.of("v1", "v2"))),
          "trafficctl_version",
          new RoutingRules.FeatureFlag("new_ui", 25, "trafficctl_client", "X-Feature-New-Ui"));

  @TempDir Path dir;

  /** v1 on two servers, v2 on one; the spec's load-balancer document with least_conn, cookie. */
  private static NginxTargets api(NginxMode mode) {
    NginxTargets t = new NginxTargets();
    t.mode = mode;
    t.versions.put("v1", List.of("127.0.0.1:18081", "127.0.0.1:18082"));
    t.versions.put("v2", List.of("127.0.0.1:18083"));
    t.listen = "127.0.0.1:18080";
    t.admin = "127.0.0.1:19080";
    t.loadBalancer = resource("lb-api.yaml").toString();
    return t;
  }

  private static NginxSite site(NginxTargets t) {
    return NginxSite.resolve(t.target(), ANYWHERE, ANY_NGINX, new DocumentLoader());
  }

  @Test
  void dynamicModeMatchesItsGoldenFile() throws IOException {
    String rendered =
        NginxInclude.render(
            site(api(NginxMode.DYNAMIC)),
            NginxRoutes.weighted(CANARY),
            ADMIN_SECRET_VERIFIER,
            7,
            "step 2: 10%");
    assertGolden("dynamic.conf.golden", rendered);
  }

  @Test
  void reloadModeMatchesItsGoldenFile() throws IOException {
    String rendered =
        NginxInclude.render(
            site(api(NginxMode.RELOAD)),
            NginxRoutes.weighted(CANARY),
            ADMIN_SECRET_VERIFIER,
            7,
            "step 2: 10%");
    assertGolden("reload.conf.golden", rendered);
  }

  @Test
  void dynamicModeWithRoutingRulesMatchesItsGoldenFile() throws IOException {
    NginxTargets t = api(NginxMode.DYNAMIC);
    t.loadBalancer = null;
    String rendered =
        NginxInclude.render(
            site(t), new NginxRoutes(CANARY, RULES, Map.of()), ADMIN_SECRET_VERIFIER, 7, "rules");
    assertGolden("dynamic-rules.conf.golden", rendered);
  }

  @Test
  void reloadModeWithRoutingRulesMatchesItsGoldenFile() throws IOException {
    NginxTargets t = api(NginxMode.RELOAD);
    t.loadBalancer = null;
    String rendered =
        NginxInclude.render(
            site(t), new NginxRoutes(CANARY, RULES, Map.of()), ADMIN_SECRET_VERIFIER, 7, "rules");
    assertGolden("reload-rules.conf.golden", rendered);
  }

  @Test
  void reloadModeChainsTheRulesBeforeTheStickyCookieAndTheSplit() {
    NginxTargets t = api(NginxMode.RELOAD);
    t.loadBalancer = null;
    String rendered =
        NginxInclude.render(
            site(t),
            new NginxRoutes(weights("v1", 100, "v2", 0), RULES, Map.of()),
            ADMIN_SECRET_VERIFIER,
            1,
            null);
    // Rule 1 falls through to rule 2, rule 2 to the sticky cookie, that one to the split.
    assertTrue(
        rendered.contains(
            "map $http_x_user_type $trafficctl_match1_production__api {\n"
                + "    default $trafficctl_match2_production__api;\n"
                + "    \"~^v2$\" \"v2\";\n}"),
        rendered);
    assertTrue(
        rendered.contains(
            "map $http_x_region $trafficctl_match2_production__api {\n"
                + "    default $trafficctl_sticky_production__api;\n"),
        rendered);
    assertTrue(
        rendered.contains(
            "map $http_cookie $trafficctl_sticky_production__api {\n"
                + "    default $trafficctl_split_production__api;\n"
                + "    \"~(^|;)\\s*trafficctl_version=v1\\s*(;|$)\" \"v1\";\n}"),
        rendered);
    assertTrue(
        rendered.contains("set $trafficctl_version $trafficctl_match1_production__api;"), rendered);
    // A header match still reaches a version without weight; the sticky map does not.
    assertFalse(rendered.contains("trafficctl_version=v2"), rendered);
    assertTrue(
        rendered.contains(
            "split_clients \"${trafficctl_client_production__api}new_ui\""
                + " $trafficctl_flag_production__api {\n"
                + "    25% \"enabled\";\n"
                + "    * \"disabled\";\n}"),
        rendered);
    assertTrue(
        rendered.contains("proxy_set_header X-Feature-New-Ui $trafficctl_flag_production__api;"),
        rendered);
    assertTrue(
        rendered.contains(
            "add_header Set-Cookie \"trafficctl_version=$trafficctl_version; Path=/;"
                + " Max-Age=3600; HttpOnly; SameSite=Lax\" always;"),
        rendered);
  }

  @Test
  void featureFlagsAtNoneAndAllRenderOneBucket() {
    for (int percent : new int[] {0, 100}) {
      RoutingRules rules =
          new RoutingRules(
              List.of(),
              null,
              new RoutingRules.FeatureFlag("beta", percent, "client-id", "X-Feature-Beta"));
      String rendered =
          NginxInclude.render(
              site(api(NginxMode.RELOAD)),
              new NginxRoutes(CANARY, rules, Map.of()),
              ADMIN_SECRET_VERIFIER,
              1,
              null);
      String only = percent == 0 ? "disabled" : "enabled";
      assertTrue(
          rendered.contains(
              "beta\" $trafficctl_flag_production__api {\n    * \"" + only + "\";\n}"),
          rendered);
    }
  }

  @Test
  void theRulesAreServedBackAsLines() {
    String rendered =
        NginxInclude.render(
            site(api(NginxMode.DYNAMIC)),
            new NginxRoutes(CANARY, RULES, Map.of()),
            ADMIN_SECRET_VERIFIER,
            1,
            null);
    String lines =
        "match premium-users X-User-Type v2\n"
            + "match regions X-Region v1 v2\n"
            + "sticky trafficctl_version\n"
            + "flag new_ui 25 trafficctl_client X-Feature-New-Ui\n";
    assertEquals(lines, RuleLines.format(RULES));
    assertTrue(rendered.contains("return 200 \"" + lines.replace("\n", "\\n") + "\";"), rendered);
    assertEquals(RULES, RuleLines.parse(lines));
    assertEquals(RoutingRules.NONE, RuleLines.parse(""));
  }

  @ParameterizedTest
  @EnumSource(NginxMode.class)
  void nginxAcceptsTheRenderedIncludeWithRoutingRules(NginxMode mode) {
    assertNginxAccepts(api(mode), null, RULES);
    NginxTargets bare = api(mode);
    bare.loadBalancer = null;
    assertNginxAccepts(bare, null, RULES);
    RoutingRules flagOnly =
        new RoutingRules(
            List.of(), null, new RoutingRules.FeatureFlag("x", 100, "c", "X-Feature-X"));
    assertNginxAccepts(api(mode), null, flagOnly);
  }

  @Test
  void refusesRoutingRulesThatCouldInjectConfiguration() {
    NginxSite site = site(api(NginxMode.RELOAD));
    for (String header :
        List.of("X-User-Type;", "X User", "X_User", "X-User\"", "X-${a}", "", "X-\n")) {
      RoutingRules rules =
          new RoutingRules(
              List.of(new RoutingRules.MatchRule("r", header, List.of("v2"))), null, null);
      String message = assertInvalidConfiguration(() -> render(site, rules));
      assertTrue(message.contains("header name"), message);
      RoutingRules flag =
          new RoutingRules(List.of(), null, new RoutingRules.FeatureFlag("f", 10, "c", header));
      message = assertInvalidConfiguration(() -> render(site, flag));
      assertTrue(message.contains("header name"), message);
    }
    for (String cookie : List.of("a;b", "a b", "a\"b", "a}", "a$b", "a=b", "")) {
      RoutingRules sticky = new RoutingRules(List.of(), cookie, null);
      String message = assertInvalidConfiguration(() -> render(site, sticky));
      assertTrue(message.contains("cookie name"), message);
      RoutingRules flag =
          new RoutingRules(
              List.of(), null, new RoutingRules.FeatureFlag("f", 10, cookie, "X-Feature-F"));
      message = assertInvalidConfiguration(() -> render(site, flag));
      assertTrue(message.contains("cookie name"), message);
    }
    for (String name : List.of("new ui", "new\"ui", "ui;", "${x}", "a}b", "")) {
      RoutingRules flag =
          new RoutingRules(
              List.of(), null, new RoutingRules.FeatureFlag(name, 10, "c", "X-Feature-F"));
      assertInvalidConfiguration(() -> render(site, flag));
      RoutingRules rule =
          new RoutingRules(
              List.of(new RoutingRules.MatchRule(name, "X-A", List.of("v2"))), null, null);
      assertInvalidConfiguration(() -> render(site, rule));
    }
    RoutingRules percent =
        new RoutingRules(
            List.of(), null, new RoutingRules.FeatureFlag("f", 101, "c", "X-Feature-F"));
    assertTrue(assertInvalidConfiguration(() -> render(site, percent)).contains("not 0..100"));
  }

  /** An A/B test's rules: targeting by segment, a sticky cookie, what each variant is told. */
  private static final RoutingRules TEST_RULES =
      new RoutingRules(
          List.of(),
          "trafficctl_variant",
          null,
          new RoutingRules.Segments("X-User-Segment", List.of("premium", "standard"), "v1"),
          ordered(
              "v1", ordered("X-AB-Test", "new-ui", "X-AB-Variant", "A"),
              "v2", ordered("X-AB-Test", "new-ui", "X-AB-Variant", "B")));

  /** Two entries in this order (Map.of's order changes from one JVM to the next). */
  private static <V> Map<String, V> ordered(String k1, V v1, String k2, V v2) {
    Map<String, V> map = new java.util.LinkedHashMap<>();
    map.put(k1, v1);
    map.put(k2, v2);
    return map;
  }

  @Test
  void segmentsAndVersionHeadersAreServedBackAsLines() {
    String lines =
        "sticky trafficctl_variant\n"
            + "segments X-User-Segment v1 premium standard\n"
            + "send v1 X-AB-Test new-ui\n"
            + "send v1 X-AB-Variant A\n"
            + "send v2 X-AB-Test new-ui\n"
            + "send v2 X-AB-Variant B\n";
    assertEquals(lines, RuleLines.format(TEST_RULES));
    assertEquals(TEST_RULES, RuleLines.parse(lines));
  }

  @ParameterizedTest
  @EnumSource(NginxMode.class)
  void nginxAcceptsTheRenderedIncludeWithSegmentsAndVersionHeaders(NginxMode mode) {
    assertNginxAccepts(api(mode), null, TEST_RULES);
    RoutingRules segmentsOnly =
        new RoutingRules(
            List.of(), null, null, new RoutingRules.Segments("X-S", List.of("a"), "v2"), Map.of());
    assertNginxAccepts(api(mode), null, segmentsOnly);
  }

  @Test
  void refusesSegmentsAndVersionHeadersThatCouldInjectConfigurationOrClash() {
    NginxSite site = site(api(NginxMode.RELOAD));
    List<RoutingRules> bad =
        List.of(
            segments("X-S;", List.of("a"), "v1"),
            segments("X-S", List.of("a b"), "v1"),
            segments("X-S", List.of("a\""), "v1"),
            segments("X-S", List.of(), "v1"),
            segments("X-S", List.of("a", "a"), "v1"),
            segments("X-S", List.of("a"), "v3"),
            sends("v3", "X-A", "x"),
            sends("v1", "X-A;", "x"),
            sends("v1", "X-A", "x y"),
            sends("v1", "X-A", "${x}"),
            sends("v1", "Host", "x"),
            new RoutingRules(
                List.of(),
                null,
                new RoutingRules.FeatureFlag("f", 10, "c", "X-Feature-F"),
                null,
                Map.of("v1", Map.of("x-feature-f", "on"))));
    for (RoutingRules rules : bad) {
      String message = assertInvalidConfiguration(() -> render(site, rules));
      assertTrue(message.startsWith("api (production): "), message);
    }
  }

  private static RoutingRules segments(String header, List<String> values, String outside) {
    return new RoutingRules(
        List.of(), null, null, new RoutingRules.Segments(header, values, outside), Map.of());
  }

  private static RoutingRules sends(String version, String header, String value) {
    return new RoutingRules(List.of(), null, null, null, Map.of(version, Map.of(header, value)));
  }

  @Test
  void refusesPoolsThatAreNotVersionsOfTheCatalog() {
    NginxSite site = site(api(NginxMode.DYNAMIC));
    for (String pool : List.of("v3", "premium", "v2;", "\"v2\"")) {
      RoutingRules rules =
          new RoutingRules(
              List.of(new RoutingRules.MatchRule("r", "X-User-Type", List.of("v1", pool))),
              null,
              null);
      String message = assertInvalidConfiguration(() -> render(site, rules));
      assertTrue(message.contains("is not a version of the catalog"), message);
    }
  }

  @Test
  void oneUpstreamPerVersionWhateverTheInstanceCounts() {
    String rendered =
        NginxInclude.render(
            site(api(NginxMode.RELOAD)),
            NginxRoutes.weighted(CANARY),
            ADMIN_SECRET_VERIFIER,
            1,
            null);
    assertTrue(rendered.contains("upstream trafficctl_production_api_v1 {"), rendered);
    assertTrue(rendered.contains("upstream trafficctl_production_api_v2 {"), rendered);
    assertEquals(
        2,
        rendered.split("\nupstream ", -1).length - 1 + (rendered.startsWith("upstream") ? 1 : 0));
    // The split is by version; 90% and the rest, not by server.
    assertTrue(rendered.contains("    90% \"v1\";\n    * \"v2\";\n"), rendered);
  }

  @Test
  void reloadModeLeavesVersionsWithoutWeightOutOfTheSplitAndTheStickyMap() {
    String rendered =
        NginxInclude.render(
            site(api(NginxMode.RELOAD)),
            NginxRoutes.weighted(weights("v1", 100, "v2", 0)),
            ADMIN_SECRET_VERIFIER,
            1,
            null);
    assertTrue(rendered.contains("    * \"v1\";\n}"), rendered);
    assertFalse(rendered.contains("session_id=v2"), rendered);
    assertTrue(rendered.contains("return 200 \"v1 100\\nv2 0\\n\";"), rendered);
  }

  @Test
  void generationAndAdminAreReadBackFromARenderedInclude() {
    String rendered =
        NginxInclude.render(
            site(api(NginxMode.DYNAMIC)),
            NginxRoutes.weighted(CANARY),
            ADMIN_SECRET_VERIFIER,
            42,
            "why");
    assertEquals(42, GenerationStamp.generationOf(rendered).orElseThrow());
    assertEquals("127.0.0.1:19080", AdminServer.addressOf(rendered).orElseThrow().toString());
  }

  /**
   * The include is readable by others than the router (nginx, {@code nginx -T}, its copies): it
   * holds what checks the admin secret, never the secret.
   */
  @Test
  void theIncludeHoldsTheAdminSecretsVerifierNeverTheSecret() {
    String dynamic =
        NginxInclude.render(
            site(api(NginxMode.DYNAMIC)),
            NginxRoutes.weighted(CANARY),
            ADMIN_SECRET_VERIFIER,
            1,
            "");
    assertTrue(
        dynamic.contains("set $trafficctl_admin_verifier \"" + ADMIN_SECRET_VERIFIER.hex() + "\";"),
        dynamic);
    assertFalse(dynamic.contains(ADMIN_SECRET.hex()), "the secret is not in the include");
    // Another secret, another configuration: a rotated secret goes through a reload.
    String rotated =
        NginxInclude.render(
            site(api(NginxMode.DYNAMIC)),
            NginxRoutes.weighted(CANARY),
            AdminSecret.generate().verifier(),
            1,
            "");
    assertNotEquals(
        GenerationStamp.configurationOf(dynamic), GenerationStamp.configurationOf(rotated));
    // Reload mode takes no writes: nothing to check.
    String reload =
        NginxInclude.render(site(api(NginxMode.RELOAD)), NginxRoutes.weighted(CANARY), null, 1, "");
    assertFalse(reload.contains("admin_verifier"), reload);
  }

  @ParameterizedTest
  @EnumSource(NginxMode.class)
  void theGenerationAndTheReasonAreInTheStampAlone(NginxMode mode) {
    NginxSite site = site(api(mode));
    NginxRoutes routes = new NginxRoutes(CANARY, RULES, Map.of());
    String first = NginxInclude.render(site, routes, ADMIN_SECRET_VERIFIER, 42, "why");
    String next = NginxInclude.render(site, routes, ADMIN_SECRET_VERIFIER, 43, "another reason");
    assertNotEquals(first, next);
    assertEquals(GenerationStamp.configurationOf(first), GenerationStamp.configurationOf(next));
    // The admin endpoint and the Lua read the number from the stamp's map.
    String stamp =
        first.substring(0, first.length() - GenerationStamp.configurationOf(first).length());
    assertTrue(
        stamp.endsWith("map \"\" $trafficctl_generation_production__api { default 42; }\n\n"),
        stamp);
    assertTrue(first.contains("return 200 \"$trafficctl_generation_production__api\\n\";"), first);
    // Anything else changes the configuration.
    String other =
        NginxInclude.render(site, NginxRoutes.weighted(CANARY), ADMIN_SECRET_VERIFIER, 42, "why");
    assertNotEquals(GenerationStamp.configurationOf(first), GenerationStamp.configurationOf(other));
  }

  @ParameterizedTest
  @EnumSource(NginxMode.class)
  void nginxAcceptsTheRenderedIncludeWithTheGoldenSettings(NginxMode mode) {
    NginxTargets t = api(mode);
    assertNginxAccepts(t, null);
  }

  @ParameterizedTest
  @EnumSource(BalancingMethod.class)
  void nginxAcceptsEveryBalancingMethodInBothModes(BalancingMethod method) {
    LoadBalancerSpec spec =
        new LoadBalancerSpec(
            "nginx-api",
            LoadBalancerType.NGINX,
            new Upstream(
                List.of(
                    new UpstreamServer("127.0.0.1:18081", 0, 2, Duration.ofSeconds(30)),
                    new UpstreamServer("127.0.0.1:18082", 5, 0, Duration.ofMillis(500)))),
            null,
            new Algorithms(method),
            new SessionPersistence(true, "sticky-route_1", Duration.ofMinutes(30)));
    for (NginxMode mode : NginxMode.values()) {
      NginxTargets t = api(mode);
      t.loadBalancer = null;
      assertNginxAccepts(t, spec);
    }
  }

  @Test
  void theStandaloneConfigIsValidBeforeAnyServiceIsRendered() throws IOException {
    NginxProcess.requireNginx(true);
    for (boolean lua : new boolean[] {true, false}) {
      Path prefix = dir.resolve("empty-" + lua);
      StandaloneNginxConfig config =
          StandaloneNginxConfig.in(prefix, prefix.resolve("conf.d"), lua);
      config.write();
      NginxCommand.Outcome test =
          new NginxCommand(NginxProcess.NGINX, config.prefix(), config.conf()).test();
      assertTrue(test.ok(), test.output());
    }
  }

  @Test
  void theStandaloneConfigLogsTheFieldsTheMetricsNeed() {
    String conf = StandaloneNginxConfig.in(dir, dir.resolve("conf.d"), true).render();
    for (String field :
        List.of(
            "\"time\":$msec",
            "\"status\":$status",
            "\"request_time\":$request_time",
            "\"upstream_addr\":\"$upstream_addr\"",
            "\"upstream_status\":\"$upstream_status\"",
            "\"version\":\"$trafficctl_version\"",
            "\"pool\":\"$trafficctl_pool\"")) {
      assertTrue(conf.contains(field), field + " in\n" + conf);
    }
    assertTrue(conf.contains("load_module /usr/lib/nginx/modules/ndk_http_module.so;"), conf);
    assertTrue(
        conf.indexOf("ndk_http_module") < conf.indexOf("ngx_http_lua_module"),
        "the NDK loads before the Lua module");
    assertFalse(
        StandaloneNginxConfig.in(dir, dir.resolve("conf.d"), false)
            .render()
            .contains("load_module"));
  }

  // --- injection -------------------------------------------------------------------------------

  @Test
  void refusesServersThatCouldInjectConfiguration() {
    for (String server :
        List.of(
            "127.0.0.1:80; include /etc/passwd",
            "127.0.0.1:80 backup",
            "evil}:80",
            "127.0.0.1:80\n",
            "\"127.0.0.1\":80")) {
      NginxTargets t = api(NginxMode.RELOAD);
      t.loadBalancer = null;
      t.versions.put("v2", List.of(server));
      String message = assertInvalidConfiguration(() -> site(t));
      assertTrue(message.contains("is not host:port"), message);
    }
  }

  @Test
  void refusesListenAndAdminThatCouldInjectConfiguration() {
    NginxTargets listen = api(NginxMode.DYNAMIC);
    listen.listen = "127.0.0.1:80 ssl; include /etc/passwd;";
    assertTrue(assertInvalidConfiguration(() -> site(listen)).contains("router.nginx.listen"));

    for (String admin : List.of("0.0.0.0:19080", "10.0.0.1:19080", "localhost:19080", "[::]:1")) {
      NginxTargets t = api(NginxMode.DYNAMIC);
      t.admin = admin;
      String message = assertInvalidConfiguration(() -> site(t));
      assertTrue(message.contains("not a loopback address"), message);
    }
    NginxTargets same = api(NginxMode.DYNAMIC);
    same.admin = same.listen;
    assertTrue(assertInvalidConfiguration(() -> site(same)).contains("also the service's listen"));
  }

  @ParameterizedTest
  @EnumSource(NginxMode.class)
  void serverWeightsOverrideTheLoadBalancerDocumentInBothModes(NginxMode mode) {
    NginxSite site = site(api(mode));
    Map<String, Integer> adjusted = Map.of("127.0.0.1:18081", 2, "127.0.0.1:18083", 5);
    String plain =
        NginxInclude.render(site, NginxRoutes.weighted(CANARY), ADMIN_SECRET_VERIFIER, 7, "r");
    String rendered =
        NginxInclude.render(
            site,
            new NginxRoutes(CANARY, RoutingRules.NONE, adjusted),
            ADMIN_SECRET_VERIFIER,
            7,
            "r");

    assertTrue(
        rendered.contains("    server 127.0.0.1:18081 weight=2 max_fails=2 fail_timeout=30s;\n"),
        rendered);
    assertTrue(
        rendered.contains("    server 127.0.0.1:18082 weight=1 max_fails=2 fail_timeout=30s;\n"),
        rendered);
    assertTrue(
        rendered.contains("    server 127.0.0.1:18083 weight=5 max_fails=3 fail_timeout=2s;\n"),
        rendered);
    assertEquals(
        Map.of("127.0.0.1:18081", 2, "127.0.0.1:18082", 1, "127.0.0.1:18083", 5),
        Upstreams.serverWeightsOf(rendered));
    assertEquals(
        Map.of("127.0.0.1:18081", 3, "127.0.0.1:18082", 1, "127.0.0.1:18083", 1),
        Upstreams.serverWeightsOf(plain));
    // The include changes, so the router reloads, in dynamic mode too.
    assertNotEquals(
        GenerationStamp.configurationOf(plain), GenerationStamp.configurationOf(rendered));
  }

  @ParameterizedTest
  @EnumSource(NginxMode.class)
  void serverWeightsRenderWithoutALoadBalancerDocument(NginxMode mode) {
    NginxTargets t = api(mode);
    t.loadBalancer = null;
    String rendered =
        NginxInclude.render(
            site(t),
            new NginxRoutes(CANARY, RoutingRules.NONE, Map.of("127.0.0.1:18082", 4)),
            ADMIN_SECRET_VERIFIER,
            7,
            "r");
    assertTrue(rendered.contains("    server 127.0.0.1:18081;\n"), rendered);
    assertTrue(rendered.contains("    server 127.0.0.1:18082 weight=4;\n"), rendered);
    assertEquals(
        Map.of("127.0.0.1:18081", 1, "127.0.0.1:18082", 4, "127.0.0.1:18083", 1),
        Upstreams.serverWeightsOf(rendered));
  }

  @Test
  void refusesNamesThatCouldInjectConfiguration() {
    NginxTargets service = api(NginxMode.DYNAMIC);
    service.service = "api}";
    assertInvalidConfiguration(() -> site(service));
    NginxTargets env = api(NginxMode.DYNAMIC);
    env.env = "prod\"";
    assertInvalidConfiguration(() -> site(env));
    NginxTargets version = api(NginxMode.DYNAMIC);
    version.loadBalancer = null;
    version.versions.put("v3;", List.of("127.0.0.1:18084"));
    assertInvalidConfiguration(() -> site(version));
  }

  @Test
  void refusesCookieNamesThatCouldInjectConfiguration() {
    for (String cookie : List.of("a;b", "a b", "a\"b", "a}", "a$b", "")) {
      LoadBalancerSpec spec =
          new LoadBalancerSpec(
              "nginx-api",
              LoadBalancerType.NGINX,
              new Upstream(List.of(new UpstreamServer("127.0.0.1:18081", 1, 1, null))),
              null,
              null,
              new SessionPersistence(true, cookie, Duration.ofHours(1)));
      NginxSite site = withLoadBalancer(site(api(NginxMode.DYNAMIC)), spec);
      String message =
          assertInvalidConfiguration(
              () ->
                  NginxInclude.render(
                      site, NginxRoutes.weighted(CANARY), ADMIN_SECRET_VERIFIER, 1, null));
      assertTrue(message.contains("cookie name"), message);
    }
  }

  @Test
  void refusesPathsThatCouldInjectConfiguration() {
    for (String configDir : List.of("/tmp/a b", "/tmp/a;b", "/tmp/a\"b", "/tmp/{a}", "/tmp/$a")) {
      NginxTargets t = api(NginxMode.DYNAMIC);
      t.configDir = configDir;
      String message = assertInvalidConfiguration(() -> site(t));
      assertTrue(message.contains("router.nginx.config_dir"), message);
    }
  }

  @Test
  void aReasonStaysOnItsCommentLine() {
    String rendered =
        NginxInclude.render(
            site(api(NginxMode.RELOAD)),
            NginxRoutes.weighted(CANARY),
            ADMIN_SECRET_VERIFIER,
            1,
            "step 2\n}\nserver { listen 0.0.0.0:80; }");
    assertTrue(rendered.contains("# reason: step 2 } server { listen 0.0.0.0:80; }\n"), rendered);
    assertFalse(rendered.contains("\nserver { listen 0.0.0.0:80"), rendered);
  }

  @Test
  void refusesLoadBalancerServersTheCatalogDoesNotRun() throws IOException {
    Path lb = dir.resolve("lb.yaml");
    Files.writeString(
        lb,
        Files.readString(resource("lb-api.yaml"), UTF_8).replace("127.0.0.1:18083", "10.1.1.1:80"),
        UTF_8);
    NginxTargets t = api(NginxMode.RELOAD);
    t.loadBalancer = lb.toString();
    String message = assertInvalidConfiguration(() -> site(t));
    assertTrue(message.contains("10.1.1.1:80 is in no version's servers"), message);
  }

  @Test
  void aMissingLoadBalancerDocumentIsInvalidConfiguration() {
    NginxTargets t = api(NginxMode.RELOAD);
    t.loadBalancer = "lb/missing.yaml";
    String message = assertInvalidConfiguration(() -> site(t));
    assertTrue(message.contains("/srv/trafficctl/lb/missing.yaml"), message);
  }

  @Test
  void listenAndAdminAreRequiredWhenTheRouterIsUsed() {
    NginxTargets t = api(NginxMode.DYNAMIC);
    t.listen = null;
    assertTrue(assertInvalidConfiguration(() -> site(t)).contains("router.nginx.listen"));
    NginxTargets a = api(NginxMode.DYNAMIC);
    a.admin = null;
    assertTrue(assertInvalidConfiguration(() -> site(a)).contains("router.nginx.admin"));
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** Renders {@code t} into a fresh prefix's config dir and runs {@code nginx -t} on it. */
  private void assertNginxAccepts(NginxTargets t, LoadBalancerSpec spec) {
    assertNginxAccepts(t, spec, RoutingRules.NONE);
  }

  private void assertNginxAccepts(NginxTargets t, LoadBalancerSpec spec, RoutingRules rules) {
    NginxProcess.requireNginx(true);
    Path prefix = dir.resolve("nginx-" + System.nanoTime());
    StandaloneNginxConfig config =
        StandaloneNginxConfig.in(prefix, prefix.resolve("conf.d"), t.mode == NginxMode.DYNAMIC);
    config.write();
    t.configDir = config.configDir().toString();
    NginxSite site = site(t);
    if (spec != null) {
      site = withLoadBalancer(site, spec);
    }
    try {
      Files.writeString(
          site.include(),
          NginxInclude.render(
              site, new NginxRoutes(CANARY, rules, Map.of()), ADMIN_SECRET_VERIFIER, 3, "nginx -t"),
          UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    NginxCommand.Outcome test =
        new NginxCommand(NginxProcess.NGINX, config.prefix(), config.conf()).test();
    assertTrue(test.ok(), t.mode + ": " + test.output());
  }

  /** The include for the canary weights and {@code rules}, generation 1. */
  private static String render(NginxSite site, RoutingRules rules) {
    return NginxInclude.render(
        site, new NginxRoutes(CANARY, rules, Map.of()), ADMIN_SECRET_VERIFIER, 1, null);
  }

  private static NginxSite withLoadBalancer(NginxSite site, LoadBalancerSpec spec) {
    return new NginxSite(
        site.service(),
        site.env(),
        site.mode(),
        site.listen(),
        site.admin(),
        site.configDir(),
        site.command(),
        site.errorLog(),
        site.versions(),
        spec);
  }

  private static void assertGolden(String name, String rendered) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("trafficctl.golden.update")) {
      Files.writeString(file, rendered, UTF_8);
    }
    assertTrue(
        Files.exists(file), file + " is missing; record it with -Dtrafficctl.golden.update=true");
    assertEquals(Files.readString(file, UTF_8), rendered, name);
  }

  private static Path resource(String name) {
    try {
      return Path.of(NginxIncludeTest.class.getResource("/router/nginx/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }
}
