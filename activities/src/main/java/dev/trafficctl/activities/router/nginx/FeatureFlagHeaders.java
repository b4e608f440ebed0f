package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.workflows.ports.RoutingRules;

/**
 * What a feature flag tells: the upstream its bucket in the flag's header (replacing any the client
 * sent), and a client without the flag's cookie the cookie that keeps its bucket. Each mode chooses
 * the bucket its own way, into the variables its {@link VersionChoice} names.
 */
record FeatureFlagHeaders(RoutingRules.FeatureFlag flag, VersionChoice choice)
    implements IncludePart {

  /** The client cookie's lifetime: a year, so a client keeps its bucket. */
  static final long CLIENT_MAX_AGE = 31_536_000;

  @Override
  public void upstreamHeaders(NginxConfigWriter out) {
    out.directive("proxy_set_header", flag.header(), "$" + choice.flagVariable());
  }

  @Override
  public void responseHeaders(NginxConfigWriter out) {
    out.directive("add_header", "Set-Cookie", "$" + choice.clientCookieVariable(), "always");
  }
}
