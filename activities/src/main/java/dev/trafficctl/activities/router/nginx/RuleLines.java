package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.workflows.ports.RoutingRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The routing rules of a service as the nginx router checks them and as the admin endpoint reports
 * them ({@code GET /trafficctl/rules}): one line per rule, in the order they apply, every field a
 * checked name, so the text fits in an nginx string as it is.
 *
 * <pre>
 * match &lt;rule name&gt; &lt;header&gt; &lt;pool&gt; [&lt;pool&gt; ...]
 * sticky &lt;cookie&gt;
 * flag &lt;name&gt; &lt;enabled percent&gt; &lt;client cookie&gt; &lt;header&gt;
 * segments &lt;header&gt; &lt;outside version&gt; &lt;value&gt; [&lt;value&gt; ...]
 * send &lt;version&gt; &lt;header&gt; &lt;value&gt;
 * </pre>
 */
final class RuleLines {

  /** Headers every proxied request already carries (see ServiceServer). */
  private static final Set<String> RESERVED =
      Set.of("connection", "host", "x-forwarded-for", "x-request-id");

  private RuleLines() {}

  /**
   * {@code rules} checked against {@code site}: names that can reach nginx configuration, pools
   * that are versions of the catalog entry, a percent in 0..100. Every problem is a non-retryable
   * invalid configuration.
   */
  static RoutingRules checked(NginxSite site, RoutingRules rules) {
    if (rules == null) {
      return RoutingRules.NONE;
    }
    Set<String> names = new HashSet<>();
    for (RoutingRules.MatchRule rule : rules.matches()) {
      String name = NginxSyntax.ruleName(site.label() + ": routing rule", rule.name());
      String where = site.label() + ": routing rule " + name;
      if (!names.add(name)) {
        throw InvalidConfiguration.failure(where + " is given twice");
      }
      NginxSyntax.header(where, rule.header());
      if (rule.pools().isEmpty()) {
        throw InvalidConfiguration.failure(where + " names no pools");
      }
      Set<String> pools = new HashSet<>();
      for (String pool : rule.pools()) {
        if (pool == null || !site.versions().containsKey(pool)) {
          throw InvalidConfiguration.failure(
              where
                  + ": pool \""
                  + pool
                  + "\" is not a version of the catalog (versions: "
                  + String.join(", ", site.versions().keySet())
                  + ")");
        }
        if (!pools.add(pool)) {
          throw InvalidConfiguration.failure(where + ": pool " + pool + " is given twice");
        }
      }
    }
    if (rules.stickyCookie() != null) {
      NginxSyntax.cookieName(rules.stickyCookie());
    }
    RoutingRules.FeatureFlag flag = rules.featureFlag();
    if (flag != null) {
      String name = NginxSyntax.ruleName(site.label() + ": feature flag", flag.name());
      String where = site.label() + ": feature flag " + name;
      if (flag.enabledPercent() < 0 || flag.enabledPercent() > 100) {
        throw InvalidConfiguration.failure(
            where + ": enabled share " + flag.enabledPercent() + " is not 0..100");
      }
      NginxSyntax.cookieName(flag.clientCookie());
      NginxSyntax.header(where, flag.header());
      if (flag.clientCookie().equals(rules.stickyCookie())) {
        throw InvalidConfiguration.failure(
            where + ": client cookie " + flag.clientCookie() + " is also the sticky cookie");
      }
    }
    checkSegments(site, rules.segments());
    checkVersionHeaders(site, rules);
    return rules;
  }

  private static void checkSegments(NginxSite site, RoutingRules.Segments segments) {
    if (segments == null) {
      return;
    }
    String where = site.label() + ": segments";
    NginxSyntax.header(where, segments.header());
    version(site, where + ": outside version", segments.outside());
    if (segments.values().isEmpty()) {
      throw InvalidConfiguration.failure(where + " lists no values");
    }
    Set<String> values = new HashSet<>();
    for (String value : segments.values()) {
      NginxSyntax.ruleName(where + " value", value);
      if (!values.add(value)) {
        throw InvalidConfiguration.failure(where + ": value " + value + " is given twice");
      }
    }
  }

  /**
   * Headers a version sends upstream: names and values that fit a configuration line as they are,
   * and none that another rule sets (nginx would send both).
   */
  private static void checkVersionHeaders(NginxSite site, RoutingRules rules) {
    String flagHeader = rules.featureFlag() == null ? null : rules.featureFlag().header();
    for (Map.Entry<String, Map<String, String>> version : rules.versionHeaders().entrySet()) {
      String where = site.label() + ": headers of version " + version.getKey();
      version(site, where, version.getKey());
      for (Map.Entry<String, String> header : version.getValue().entrySet()) {
        NginxSyntax.header(where, header.getKey());
        NginxSyntax.ruleName(where + ": value of " + header.getKey(), header.getValue());
        if (header.getKey().equalsIgnoreCase(flagHeader)
            || RESERVED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
          throw InvalidConfiguration.failure(
              where + ": header " + header.getKey() + " is already set by the router");
        }
      }
    }
  }

  private static void version(NginxSite site, String where, String version) {
    if (version == null || !site.versions().containsKey(version)) {
      throw InvalidConfiguration.failure(
          where
              + ": \""
              + version
              + "\" is not a version of the catalog (versions: "
              + String.join(", ", site.versions().keySet())
              + ")");
    }
  }

  static String format(RoutingRules rules) {
    StringBuilder text = new StringBuilder();
    for (RoutingRules.MatchRule rule : rules.matches()) {
      text.append("match ").append(rule.name()).append(' ').append(rule.header());
      rule.pools().forEach(pool -> text.append(' ').append(pool));
      text.append('\n');
    }
    if (rules.stickyCookie() != null) {
      text.append("sticky ").append(rules.stickyCookie()).append('\n');
    }
    RoutingRules.FeatureFlag flag = rules.featureFlag();
    if (flag != null) {
      text.append("flag ")
          .append(flag.name())
          .append(' ')
          .append(flag.enabledPercent())
          .append(' ')
          .append(flag.clientCookie())
          .append(' ')
          .append(flag.header())
          .append('\n');
    }
    RoutingRules.Segments segments = rules.segments();
    if (segments != null) {
      text.append("segments ").append(segments.header()).append(' ').append(segments.outside());
      segments.values().forEach(value -> text.append(' ').append(value));
      text.append('\n');
    }
    rules
        .versionHeaders()
        .forEach(
            (version, headers) ->
                headers.forEach(
                    (name, value) ->
                        text.append("send ")
                            .append(version)
                            .append(' ')
                            .append(name)
                            .append(' ')
                            .append(value)
                            .append('\n')));
    return text.toString();
  }

  /** Parses {@code text}; throws {@link IllegalArgumentException} naming the first bad line. */
  static RoutingRules parse(String text) {
    List<RoutingRules.MatchRule> matches = new ArrayList<>();
    String sticky = null;
    RoutingRules.FeatureFlag flag = null;
    RoutingRules.Segments segments = null;
    Map<String, Map<String, String>> versionHeaders = new LinkedHashMap<>();
    for (String line : text.split("\r?\n")) {
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      String[] fields = line.strip().split("\\s+");
      switch (fields[0]) {
        case "match" -> {
          if (fields.length < 4) {
            throw bad(line);
          }
          matches.add(
              new RoutingRules.MatchRule(
                  fields[1],
                  fields[2],
                  List.copyOf(Arrays.asList(fields).subList(3, fields.length))));
        }
        case "sticky" -> {
          if (fields.length != 2) {
            throw bad(line);
          }
          sticky = fields[1];
        }
        case "flag" -> {
          if (fields.length != 5 || !fields[2].matches("[0-9]{1,3}")) {
            throw bad(line);
          }
          flag =
              new RoutingRules.FeatureFlag(
                  fields[1], Integer.parseInt(fields[2]), fields[3], fields[4]);
        }
        case "segments" -> {
          if (fields.length < 4) {
            throw bad(line);
          }
          segments =
              new RoutingRules.Segments(
                  fields[1],
                  List.copyOf(Arrays.asList(fields).subList(3, fields.length)),
                  fields[2]);
        }
        case "send" -> {
          if (fields.length != 4) {
            throw bad(line);
          }
          versionHeaders
              .computeIfAbsent(fields[1], v -> new LinkedHashMap<>())
              .put(fields[2], fields[3]);
        }
        default -> throw bad(line);
      }
    }
    return new RoutingRules(matches, sticky, flag, segments, versionHeaders);
  }

  private static IllegalArgumentException bad(String line) {
    return new IllegalArgumentException("not a routing rule line: \"" + line + "\"");
  }
}
