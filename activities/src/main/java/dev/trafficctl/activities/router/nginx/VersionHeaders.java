package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.workflows.ports.RoutingRules;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request headers each version sends upstream (an A/B test's {@code X-AB-Variant: B}): one
 * {@code map} from {@code $trafficctl_version} per header name, empty (not sent) for a version
 * without it. With segments the key is membership and version, so requests outside the segments,
 * which are not in the test, are sent none. The maps are read when the request is proxied, after
 * either mode has chosen the version.
 */
final class VersionHeaders implements IncludePart {

  private final NginxSite site;
  private final RoutingRules rules;

  /** Every header name some version sends, in the order first given. */
  private final List<String> names;

  VersionHeaders(NginxSite site, RoutingRules rules) {
    this.site = site;
    this.rules = rules;
    Set<String> names = new LinkedHashSet<>();
    rules.versionHeaders().values().forEach(headers -> names.addAll(headers.keySet()));
    this.names = List.copyOf(names);
  }

  @Override
  public void http(NginxConfigWriter out) {
    if (names.isEmpty()) {
      return;
    }
    RoutingRules.Segments segments = rules.segments();
    String source = "$trafficctl_version";
    String member = "";
    if (segments != null) {
      out.comment("1 for a request in the segments, which alone are sent the version's headers");
      out.open(
          "map",
          "$" + NginxSyntax.headerVariable(segments.header()),
          "$" + site.variable("member"));
      out.directive("default", "\"\"");
      for (String value : segments.values()) {
        out.directive(NginxSyntax.exactMatch(value), "\"1\"");
      }
      out.close();
      source = "\"${" + site.variable("member") + "}:$trafficctl_version\"";
      member = "1:";
    }
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      out.comment(name + " sent upstream, by the version chosen");
      out.open("map", source, "$" + sendVariable(i));
      out.directive("default", "\"\"");
      for (Map.Entry<String, Map<String, String>> version : rules.versionHeaders().entrySet()) {
        String value = version.getValue().get(name);
        if (value != null) {
          out.directive(
              NginxSyntax.exactMatch(member + version.getKey()), NginxSyntax.quoted(value));
        }
      }
      out.close();
    }
  }

  @Override
  public void upstreamHeaders(NginxConfigWriter out) {
    for (int i = 0; i < names.size(); i++) {
      out.directive("proxy_set_header", names.get(i), "$" + sendVariable(i));
    }
  }

  private String sendVariable(int index) {
    return site.variable("send" + (index + 1));
  }
}
