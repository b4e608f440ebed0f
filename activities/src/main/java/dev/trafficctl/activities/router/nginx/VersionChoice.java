package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.workflows.ports.RoutingRules;
import java.util.Map;

/**
 * The half of the include that differs between the modes: where the weights live and how each
 * request's version, pool and feature-flag bucket are chosen, into {@code $trafficctl_version} and
 * {@code $trafficctl_pool}. Chosen once per rendering from the site's mode; the rest of the include
 * is the same in both.
 */
sealed interface VersionChoice extends IncludePart permits ReloadModeChoice, DynamicModeChoice {

  /**
   * @param weights version to percent, rendered in by reload mode only
   * @param rules checked routing rules
   * @param cookie the sticky cookie, or null for none
   * @param adminSecret the verifier of the secret that authorizes the admin endpoint's writes,
   *     which dynamic mode alone has (reload mode takes none, and may be given null)
   */
  static VersionChoice of(
      NginxSite site,
      Map<String, Integer> weights,
      RoutingRules rules,
      StickyCookie cookie,
      AdminSecret.Verifier adminSecret) {
    return switch (site.mode()) {
      case DYNAMIC -> new DynamicModeChoice(site, rules, cookie, adminSecret);
      case RELOAD -> new ReloadModeChoice(site, weights, rules, cookie);
    };
  }

  /**
   * The variable holding the request's feature-flag bucket, {@code enabled} or {@code disabled}.
   */
  String flagVariable();

  /**
   * The variable holding the feature flag's Set-Cookie for a client without the flag's cookie,
   * empty (not sent) for a client with it.
   */
  String clientCookieVariable();
}
