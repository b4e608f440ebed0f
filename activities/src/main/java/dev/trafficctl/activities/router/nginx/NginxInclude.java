package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.workflows.ports.RoutingRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the include file of one service: what nginx loads in its {@code http} block for it. A
 * fixed skeleton, written in this order:
 *
 * <ol>
 *   <li>the {@link GenerationStamp}, the only lines that change with the generation and the reason;
 *   <li>each part's blocks at http level;
 *   <li>the {@link ServiceServer} on {@code listen}, proxying each request to the upstream of the
 *       version chosen for it;
 *   <li>the {@link AdminServer}, loopback only.
 * </ol>
 *
 * <p>The parts, each one concern of the include ({@link IncludePart}), fill in the skeleton: the
 * {@link Upstreams}, the {@link StickyCookie}, the mode's {@link VersionChoice} ({@link
 * ReloadModeChoice} or {@link DynamicModeChoice}, the one place the mode is looked at), the {@link
 * FeatureFlagHeaders} and the {@link VersionHeaders}.
 *
 * <p>The render is a pure function of the site, the routes, the admin secret's verifier, the
 * generation and the reason, so tests compare it with golden files.
 */
final class NginxInclude {

  private NginxInclude() {}

  /**
   * The include for {@code routes}, stamped with {@code generation} and {@code reason}.
   *
   * @param adminSecret the verifier of the secret that authorizes the admin endpoint's writes:
   *     required in dynamic mode; reload mode's admin endpoint takes no writes (null there)
   */
  static String render(
      NginxSite site,
      NginxRoutes routes,
      AdminSecret.Verifier adminSecret,
      long generation,
      String reason) {
    RoutingRules rules = RuleLines.checked(site, routes.rules());
    StickyCookie cookie = StickyCookie.of(site, rules);
    VersionChoice choice = VersionChoice.of(site, routes.weights(), rules, cookie, adminSecret);
    List<IncludePart> parts = new ArrayList<>();
    parts.add(new Upstreams(site, routes.serverWeights()));
    if (cookie != null) {
      parts.add(cookie);
    }
    parts.add(choice);
    if (rules.featureFlag() != null) {
      parts.add(new FeatureFlagHeaders(rules.featureFlag(), choice));
    }
    parts.add(new VersionHeaders(site, rules));

    NginxConfigWriter out = new NginxConfigWriter();
    GenerationStamp.write(out, site, generation, reason);
    parts.forEach(part -> part.http(out));
    ServiceServer.write(out, site, parts);
    AdminServer.write(out, site, rules, parts);
    return out.text();
  }
}
