package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.workflows.ports.RoutingRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reload mode: everything rendered in, so a change of weights renders, tests and reloads. The
 * version is a chain of {@code map}s: each routing rule's falls through ({@code default}) to the
 * next rule's, the last one to the segments', then to the sticky cookie's and that one to a {@code
 * split_clients} on {@code $request_id} (random per request) with the weights. {@code
 * $trafficctl_version} is the head of the chain. The feature flag is a {@code split_clients} on the
 * client's id and the flag's name.
 */
final class ReloadModeChoice implements VersionChoice {

  private final NginxSite site;
  private final Map<String, Integer> weights;
  private final RoutingRules rules;
  private final StickyCookie cookie;

  ReloadModeChoice(
      NginxSite site, Map<String, Integer> weights, RoutingRules rules, StickyCookie cookie) {
    this.site = site;
    this.weights = weights;
    this.rules = rules;
    this.cookie = cookie;
  }

  @Override
  public void http(NginxConfigWriter out) {
    matches(out);
    sticky(out);
    split(out);
    flag(out);
  }

  @Override
  public void serverVariables(NginxConfigWriter out) {
    out.directive("set", "$trafficctl_version", "$" + chain(0));
    out.directive("set", "$trafficctl_pool", "\"" + site.upstream("") + "$trafficctl_version\"");
  }

  @Override
  public void adminLocations(NginxConfigWriter out) {
    Map<String, Integer> inCatalogOrder = new LinkedHashMap<>();
    for (String version : site.versions().keySet()) {
      if (weights.containsKey(version)) {
        inCatalogOrder.put(version, weights.get(version));
      }
    }
    AdminServer.readOnly(out, "/trafficctl/weights", WeightLines.format(inCatalogOrder));
  }

  @Override
  public String flagVariable() {
    return site.variable("flag");
  }

  @Override
  public String clientCookieVariable() {
    return site.variable("client_cookie");
  }

  /**
   * The routing rules' maps, then the segments'. Values are matched exactly ({@code ~^name$}:
   * case-sensitive, unlike a plain map string).
   */
  private void matches(NginxConfigWriter out) {
    List<RoutingRules.MatchRule> matches = rules.matches();
    RoutingRules.Segments segments = rules.segments();
    if (matches.isEmpty() && segments == null && cookie == null) {
      return;
    }
    out.comment(
        "The version: the first routing rule whose header names one of its pools, then the");
    out.comment("sticky cookie's version while its weight is above 0, then the weights.");
    for (int i = 0; i < matches.size(); i++) {
      RoutingRules.MatchRule rule = matches.get(i);
      out.comment("routing rule " + rule.name() + ": " + rule.header() + " names the pool");
      out.open("map", "$" + NginxSyntax.headerVariable(rule.header()), "$" + chain(i));
      out.directive("default", "$" + chain(i + 1));
      for (String pool : rule.pools()) {
        out.directive(NginxSyntax.exactMatch(pool), NginxSyntax.quoted(pool));
      }
      out.close();
    }
    if (segments != null) {
      out.comment(
          "segments: requests whose "
              + segments.header()
              + " is not listed go to "
              + segments.outside());
      out.open(
          "map", "$" + NginxSyntax.headerVariable(segments.header()), "$" + chain(matches.size()));
      out.directive("default", NginxSyntax.quoted(segments.outside()));
      for (String value : segments.values()) {
        out.directive(NginxSyntax.exactMatch(value), "$" + chain(matches.size() + 1));
      }
      out.close();
    }
  }

  /**
   * The variable holding the version from link {@code index} of the chain on: a rule's map, after
   * the last rule the segments' map, then the sticky map, then the split.
   */
  private String chain(int index) {
    if (index < rules.matches().size()) {
      return site.variable("match" + (index + 1));
    }
    if (index == rules.matches().size() && rules.segments() != null) {
      return site.variable("segment");
    }
    return cookie != null ? site.variable("sticky") : site.variable("split");
  }

  /** The sticky cookie's version, if its weight is above 0. */
  private void sticky(NginxConfigWriter out) {
    if (cookie == null) {
      return;
    }
    out.open("map", "$http_cookie", "$" + site.variable("sticky"));
    out.directive("default", "$" + site.variable("split"));
    for (String version : positive()) {
      out.directive(
          "\"~(^|;)\\s*" + cookie.name() + "=" + NginxSyntax.literalRegex(version) + "\\s*(;|$)\"",
          NginxSyntax.quoted(version));
    }
    out.close();
  }

  /**
   * split_clients hashes {@code $request_id} onto the versions with a weight above 0, each an exact
   * {@code N%} of the hash space and the last one {@code *} (the rest, also exact, since the
   * integer weights add up to 100).
   */
  private void split(NginxConfigWriter out) {
    List<String> positive = positive();
    if (positive.isEmpty()) {
      throw InvalidConfiguration.failure(site.label() + ": no version has a weight above 0");
    }
    out.comment(
        "weights: "
            + weights.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ")));
    out.open("split_clients", "\"${request_id}\"", "$" + site.variable("split"));
    for (int i = 0; i < positive.size(); i++) {
      String version = positive.get(i);
      String share = i == positive.size() - 1 ? "*" : weights.get(version) + "%";
      out.directive(share, NginxSyntax.quoted(version));
    }
    out.close();
  }

  /**
   * The feature flag: the client's id is its cookie or, without one, this request's {@code
   * $request_id}, which the answer sets as the cookie, so a first request and the later ones are
   * bucketed alike. {@code split_clients} on the id and the flag's name gives a stable bucket per
   * client and flag.
   */
  private void flag(NginxConfigWriter out) {
    RoutingRules.FeatureFlag flag = rules.featureFlag();
    if (flag == null) {
      return;
    }
    String cookie = flag.clientCookie();
    String present = "\"~(^|;)\\s*" + cookie + "=([^;\\s]+)\"";
    out.comment(
        "feature flag "
            + flag.name()
            + ": "
            + flag.enabledPercent()
            + "% of clients (cookie "
            + cookie
            + ") have it, told upstream in "
            + flag.header());
    out.open("map", "$http_cookie", "$" + site.variable("client"));
    out.directive("default", "$request_id");
    out.directive(present, "$2");
    out.close();
    out.open("map", "$http_cookie", "$" + clientCookieVariable());
    out.directive(
        "default",
        "\""
            + cookie
            + "=$request_id; Path=/; Max-Age="
            + FeatureFlagHeaders.CLIENT_MAX_AGE
            + "\"");
    out.directive(present, "\"\"");
    out.close();
    out.open(
        "split_clients",
        "\"${" + site.variable("client") + "}" + flag.name() + "\"",
        "$" + flagVariable());
    int percent = flag.enabledPercent();
    if (percent == 0) {
      out.directive("*", "\"disabled\"");
    } else if (percent == 100) {
      out.directive("*", "\"enabled\"");
    } else {
      out.directive(percent + "%", "\"enabled\"");
      out.directive("*", "\"disabled\"");
    }
    out.close();
  }

  /** Versions with a weight above 0, in catalog order. */
  private List<String> positive() {
    List<String> versions = new ArrayList<>();
    for (String version : site.versions().keySet()) {
      Integer weight = weights.get(version);
      if (weight != null && weight > 0) {
        versions.add(version);
      }
    }
    return versions;
  }
}
