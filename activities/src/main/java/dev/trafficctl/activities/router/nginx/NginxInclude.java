package dev.trafficctl.activities.router.nginx;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.config.catalog.NginxMode;
import dev.trafficctl.config.catalog.ServerAddress;
import dev.trafficctl.config.loadbalancer.BalancingMethod;
import dev.trafficctl.config.loadbalancer.HealthCheck;
import dev.trafficctl.config.loadbalancer.SessionPersistence;
import dev.trafficctl.config.loadbalancer.UpstreamServer;
import dev.trafficctl.workflows.ports.RoutingRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders the include file of one service: what nginx loads in its {@code http} block for it.
 *
 * <ul>
 *   <li>One {@code upstream} per version ({@code trafficctl_<env>_<service>_<version>}), with the
 *       load-balancer document's per-server weight, max_fails and fail_timeout and its balancing
 *       method. A change's server weights override the document's weight (a server the document
 *       marks {@code down}, weight 0, stays down); they are rendered in both modes, so in dynamic
 *       mode a change of server weights changes the include and reloads. {@code
 *       proxy_next_upstream} retries pick another server of the same upstream, so a request sent to
 *       the candidate is never retried on the stable version: the candidate's failures stay visible
 *       and the shares stay as set.
 *   <li>The service's {@code server} on {@code listen}: chooses the version per request into {@code
 *       $trafficctl_version} and {@code $trafficctl_pool} and proxies to that upstream. {@code
 *       dynamic}: Lua draws from the weights in a shared dict. {@code reload}: {@code
 *       split_clients} on {@code $request_id} with the weights rendered in.
 *   <li>A loopback-only admin {@code server} on {@code admin}: {@code /trafficctl/generation}
 *       (which rendering is live) and {@code /trafficctl/weights} (read; set in dynamic mode).
 * </ul>
 *
 * <p>The render is a pure function of the site, the weights (reload mode only), the generation and
 * the reason, so tests compare it with golden files.
 */
final class NginxInclude {

  private static final Pattern GENERATION = Pattern.compile("(?m)^# generation ([0-9]+);");
  private static final Pattern ADMIN =
      Pattern.compile("(?m)^\\s*listen (\\S+); # trafficctl admin$");
  private static final Pattern SERVER_LINE = Pattern.compile("(?m)^    server ([^\\s;{]+)(.*);$");
  private static final Pattern WEIGHT = Pattern.compile(" weight=([0-9]+)");
  private static final Pattern SITE_SLOT = Pattern.compile("(?m)^( *).*@SITE@");

  /** Idle connections kept open to each version's servers, so proxying does not reconnect. */
  private static final int KEEPALIVE = 16;

  /** The sticky cookie's lifetime when no load-balancer document's session gives one. */
  static final Duration STICKY_MAX_AGE = Duration.ofHours(1);

  /** The feature-flag client cookie's lifetime: a year, so a client keeps its bucket. */
  static final long CLIENT_MAX_AGE = 31_536_000;

  private NginxInclude() {}

  /** The include for {@code routes}, stamped with {@code generation} and {@code reason}. */
  static String render(NginxSite site, NginxRoutes routes, long generation, String reason) {
    Map<String, Integer> weights = routes.weights();
    Map<String, Integer> serverWeights = routes.serverWeights();
    RoutingRules rules = RuleLines.checked(site, routes.rules());
    StringBuilder out = new StringBuilder();
    header(out, site, generation, reason);
    for (Map.Entry<String, List<ServerAddress>> version : site.versions().entrySet()) {
      upstream(out, site, version.getKey(), version.getValue(), serverWeights);
    }
    if (site.mode() == NginxMode.DYNAMIC) {
      out.append("# weights: shared dict ")
          .append(site.key())
          .append(", set through the admin endpoint, loaded at start from ")
          .append(NginxSyntax.path("state file", site.state()))
          .append('\n');
      out.append("lua_shared_dict ").append(site.key()).append(" 1m;\n\n");
    } else {
      matches(out, site, rules);
      sticky(out, site, weights, rules);
      split(out, site, weights);
      flag(out, site, rules);
    }
    segmentCookie(out, site, rules);
    versionHeaders(out, site, rules);
    service(out, site, rules);
    admin(out, site, weights, rules);
    return out.toString();
  }

  /** The generation recorded in a rendered include. */
  static OptionalLong generationOf(String include) {
    Matcher m = GENERATION.matcher(include);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  /** The admin address recorded in a rendered include. */
  static Optional<ServerAddress> adminOf(String include) {
    Matcher m = ADMIN.matcher(include);
    return m.find() ? Optional.of(ServerAddress.parse(m.group(1))) : Optional.empty();
  }

  /**
   * The weight of every server in a rendered include's upstreams, {@code host:port} to weight: the
   * rendered {@code weight=N}, 0 for {@code down}, nginx's default 1 for neither.
   */
  static Map<String, Integer> serverWeightsOf(String include) {
    Map<String, Integer> weights = new java.util.TreeMap<>();
    Matcher m = SERVER_LINE.matcher(include);
    while (m.find()) {
      String rest = m.group(2);
      Matcher weight = WEIGHT.matcher(rest);
      int value =
          rest.contains(" down") ? 0 : weight.find() ? Integer.parseInt(weight.group(1)) : 1;
      weights.put(m.group(1), value);
    }
    return weights;
  }

  /**
   * The include without its stamp, the first paragraph: what nginx is configured to do, whatever
   * the generation and the reason. Two renderings with the same configuration need no reload.
   */
  static String configurationOf(String include) {
    int stampEnd = include.indexOf("\n\n");
    return stampEnd < 0 ? include : include.substring(stampEnd + 2);
  }

  /**
   * The stamp: the first paragraph, and the only lines that hold the generation and the reason. The
   * admin endpoint and the Lua read the generation from the one {@code map} here, so a new
   * generation of the same configuration differs from the old one in this paragraph alone.
   */
  private static void header(StringBuilder out, NginxSite site, long generation, String reason) {
    out.append("# trafficctl: nginx configuration of ")
        .append(site.label())
        .append(", rendered by the nginx router; do not edit.\n");
    out.append("# generation ")
        .append(generation)
        .append("; mode ")
        .append(site.mode().wire())
        .append('\n');
    String why = NginxSyntax.comment(reason);
    if (!why.isEmpty()) {
      out.append("# reason: ").append(why).append('\n');
    }
    out.append("map \"\" $")
        .append(variable("generation", site))
        .append(" { default ")
        .append(generation)
        .append("; }\n\n");
  }

  private static void upstream(
      StringBuilder out,
      NginxSite site,
      String version,
      List<ServerAddress> servers,
      Map<String, Integer> serverWeights) {
    out.append("upstream ").append(site.upstream(version)).append(" {\n");
    if (site.loadBalancer() != null) {
      String method = method(site.loadBalancer().algorithms().method());
      if (method != null) {
        out.append("    ").append(method).append(";\n");
      }
      HealthCheck check = site.loadBalancer().healthCheck();
      if (check != null) {
        out.append("    # health_check ")
            .append(NginxSyntax.comment(check.uri()))
            .append(" every ")
            .append(NginxSyntax.time(check.interval()))
            .append(": open-source nginx has no active checks;\n")
            .append("    # max_fails and fail_timeout take a failing server out passively.\n");
      }
    }
    for (ServerAddress server : servers) {
      out.append("    server ").append(server);
      UpstreamServer settings = site.serverSettings(server);
      Integer override = serverWeights.get(server.toString());
      if (settings != null) {
        if (settings.weight() == 0) {
          out.append(" down");
        } else {
          out.append(" weight=").append(override != null ? override : settings.weight());
        }
        out.append(" max_fails=")
            .append(settings.maxFails())
            .append(" fail_timeout=")
            .append(NginxSyntax.seconds(settings.failTimeout()));
      } else if (override != null) {
        out.append(" weight=").append(override);
      }
      out.append(";\n");
    }
    out.append("    keepalive ").append(KEEPALIVE).append(";\n");
    out.append("}\n\n");
  }

  private static String method(BalancingMethod method) {
    return switch (method) {
      case ROUND_ROBIN -> null;
      case LEAST_CONN -> "least_conn";
      case IP_HASH -> "ip_hash";
      case RANDOM -> "random";
      case HASH -> "hash $request_uri consistent";
    };
  }

  /**
   * Reload mode: split_clients hashes {@code $request_id} (random per request) onto the versions
   * with a weight above 0, each an exact {@code N%} of the hash space and the last one {@code *}
   * (the rest, also exact, since the integer weights add up to 100).
   */
  private static void split(StringBuilder out, NginxSite site, Map<String, Integer> weights) {
    List<String> positive = positive(site, weights);
    if (positive.isEmpty()) {
      throw InvalidConfiguration.failure(site.label() + ": no version has a weight above 0");
    }
    out.append("# weights: ").append(inline(weights)).append('\n');
    out.append("split_clients \"${request_id}\" $").append(variable("split", site)).append(" {\n");
    for (int i = 0; i < positive.size(); i++) {
      String version = positive.get(i);
      String share = i == positive.size() - 1 ? "*" : weights.get(version) + "%";
      out.append("    ").append(share).append(' ').append(NginxSyntax.quoted(version));
      out.append(";\n");
    }
    out.append("}\n\n");
  }

  /**
   * Reload mode, the version chosen: each routing rule's {@code map} falls through ({@code
   * default}) to the next rule's, the last one to the sticky cookie's and that one to the split.
   * {@code $trafficctl_version} is the first of the chain. Values are matched exactly ({@code
   * ~^name$}: case-sensitive, unlike a plain map string).
   */
  private static void matches(StringBuilder out, NginxSite site, RoutingRules rules) {
    if (rules.matches().isEmpty() && rules.segments() == null && cookie(site, rules) == null) {
      return;
    }
    out.append("# The version: the first routing rule whose header names one of its pools,")
        .append(" then the\n# sticky cookie's version while its weight is above 0,")
        .append(" then the weights.\n");
    List<RoutingRules.MatchRule> matches = rules.matches();
    for (int i = 0; i < matches.size(); i++) {
      RoutingRules.MatchRule rule = matches.get(i);
      out.append("# routing rule ")
          .append(rule.name())
          .append(": ")
          .append(rule.header())
          .append(" names the pool\n");
      out.append("map $")
          .append(NginxSyntax.headerVariable(rule.header()))
          .append(" $")
          .append(variable("match" + (i + 1), site))
          .append(" {\n");
      out.append("    default $").append(chain(site, rules, i + 1)).append(";\n");
      for (String pool : rule.pools()) {
        out.append("    \"~^")
            .append(NginxSyntax.literalRegex(pool))
            .append("$\" ")
            .append(NginxSyntax.quoted(pool))
            .append(";\n");
      }
      out.append("}\n\n");
    }
    RoutingRules.Segments segments = rules.segments();
    if (segments != null) {
      out.append("# segments: requests whose ")
          .append(segments.header())
          .append(" is not listed go to ")
          .append(segments.outside())
          .append('\n');
      out.append("map $")
          .append(NginxSyntax.headerVariable(segments.header()))
          .append(" $")
          .append(variable("segment", site))
          .append(" {\n");
      out.append("    default ").append(NginxSyntax.quoted(segments.outside())).append(";\n");
      String next = chain(site, rules, matches.size() + 1);
      for (String value : segments.values()) {
        out.append("    \"~^")
            .append(NginxSyntax.literalRegex(value))
            .append("$\" $")
            .append(next)
            .append(";\n");
      }
      out.append("}\n\n");
    }
  }

  /**
   * The variable holding the version from routing rule {@code index} on: a rule's map, after the
   * last rule the segments' map, then the sticky map, then the split.
   */
  private static String chain(NginxSite site, RoutingRules rules, int index) {
    if (index < rules.matches().size()) {
      return variable("match" + (index + 1), site);
    }
    if (index == rules.matches().size() && rules.segments() != null) {
      return variable("segment", site);
    }
    return cookie(site, rules) != null ? variable("sticky", site) : variable("split", site);
  }

  /**
   * With segments, the sticky cookie is set only on answers to requests that take part, so a client
   * outside them that joins one later is assigned afresh: a map on the segment header holding the
   * whole Set-Cookie value, empty (not sent) outside. Both modes: the map reads {@code
   * $trafficctl_version} when the answer is sent, after Lua or the chain has set it.
   */
  private static void segmentCookie(StringBuilder out, NginxSite site, RoutingRules rules) {
    String cookie = cookie(site, rules);
    RoutingRules.Segments segments = rules.segments();
    if (segments == null || cookie == null) {
      return;
    }
    out.append("map $")
        .append(NginxSyntax.headerVariable(segments.header()))
        .append(" $")
        .append(variable("sticky_cookie", site))
        .append(" {\n");
    out.append("    default \"\";\n");
    for (String value : segments.values()) {
      out.append("    \"~^")
          .append(NginxSyntax.literalRegex(value))
          .append("$\" \"")
          .append(stickyCookieValue(site, cookie))
          .append("\";\n");
    }
    out.append("}\n\n");
  }

  private static String stickyCookieValue(NginxSite site, String cookie) {
    return cookie
        + "=$trafficctl_version; Path=/; Max-Age="
        + stickyMaxAge(site)
        + "; HttpOnly; SameSite=Lax";
  }

  /**
   * The request headers each version sends upstream: one {@code map} from {@code
   * $trafficctl_version} per header name, empty (not sent) for a version without it; with segments,
   * from membership and version, so requests outside the segments are sent none. Both modes, read
   * when the request is proxied, after the version is chosen.
   */
  private static void versionHeaders(StringBuilder out, NginxSite site, RoutingRules rules) {
    List<String> names = headerNames(rules);
    if (names.isEmpty()) {
      return;
    }
    RoutingRules.Segments segments = rules.segments();
    // With segments, only requests that take part are told: the key is "<member>:<version>".
    String source = "$trafficctl_version";
    String member = "";
    if (segments != null) {
      out.append("# 1 for a request in the segments, which alone are sent the version's headers\n");
      out.append("map $")
          .append(NginxSyntax.headerVariable(segments.header()))
          .append(" $")
          .append(variable("member", site))
          .append(" {\n");
      out.append("    default \"\";\n");
      for (String value : segments.values()) {
        out.append("    \"~^").append(NginxSyntax.literalRegex(value)).append("$\" \"1\";\n");
      }
      out.append("}\n\n");
      source = "\"${" + variable("member", site) + "}:$trafficctl_version\"";
      member = "1:";
    }
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      out.append("# ").append(name).append(" sent upstream, by the version chosen\n");
      out.append("map ")
          .append(source)
          .append(" $")
          .append(variable("send" + (i + 1), site))
          .append(" {\n");
      out.append("    default \"\";\n");
      for (Map.Entry<String, Map<String, String>> version : rules.versionHeaders().entrySet()) {
        String value = version.getValue().get(name);
        if (value != null) {
          out.append("    \"~^")
              .append(member)
              .append(NginxSyntax.literalRegex(version.getKey()))
              .append("$\" ")
              .append(NginxSyntax.quoted(value))
              .append(";\n");
        }
      }
      out.append("}\n\n");
    }
  }

  /** Every header name some version sends, in the order first given. */
  private static List<String> headerNames(RoutingRules rules) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    rules.versionHeaders().values().forEach(headers -> names.addAll(headers.keySet()));
    return List.copyOf(names);
  }

  /**
   * Reload mode, feature flag: the client's id is its cookie or, without one, this request's {@code
   * $request_id}, which the answer sets as the cookie, so a first request and the later ones are
   * bucketed alike. {@code split_clients} on the id and the flag's name gives a stable bucket per
   * client and flag.
   */
  private static void flag(StringBuilder out, NginxSite site, RoutingRules rules) {
    RoutingRules.FeatureFlag flag = rules.featureFlag();
    if (flag == null) {
      return;
    }
    String cookie = flag.clientCookie();
    String present = "\"~(^|;)\\s*" + cookie + "=([^;\\s]+)\"";
    out.append("# feature flag ")
        .append(flag.name())
        .append(": ")
        .append(flag.enabledPercent())
        .append("% of clients (cookie ")
        .append(cookie)
        .append(") have it, told upstream in ")
        .append(flag.header())
        .append('\n');
    out.append("map $http_cookie $").append(variable("client", site)).append(" {\n");
    out.append("    default $request_id;\n");
    out.append("    ").append(present).append(" $2;\n");
    out.append("}\n\n");
    out.append("map $http_cookie $").append(variable("client_cookie", site)).append(" {\n");
    out.append("    default \"")
        .append(cookie)
        .append("=$request_id; Path=/; Max-Age=")
        .append(CLIENT_MAX_AGE)
        .append("\";\n");
    out.append("    ").append(present).append(" \"\";\n");
    out.append("}\n\n");
    out.append("split_clients \"${")
        .append(variable("client", site))
        .append('}')
        .append(flag.name())
        .append("\" $")
        .append(variable("flag", site))
        .append(" {\n");
    int percent = flag.enabledPercent();
    if (percent == 0) {
      out.append("    * \"disabled\";\n");
    } else if (percent == 100) {
      out.append("    * \"enabled\";\n");
    } else {
      out.append("    ").append(percent).append("% \"enabled\";\n");
      out.append("    * \"disabled\";\n");
    }
    out.append("}\n\n");
  }

  /** Reload mode with a sticky cookie: the cookie's version, if its weight is above 0. */
  private static void sticky(
      StringBuilder out, NginxSite site, Map<String, Integer> weights, RoutingRules rules) {
    String cookie = cookie(site, rules);
    if (cookie == null) {
      return;
    }
    out.append("map $http_cookie $").append(variable("sticky", site)).append(" {\n");
    out.append("    default $").append(variable("split", site)).append(";\n");
    for (String version : positive(site, weights)) {
      out.append("    \"~(^|;)\\s*")
          .append(cookie)
          .append('=')
          .append(NginxSyntax.literalRegex(version))
          .append("\\s*(;|$)\" ")
          .append(NginxSyntax.quoted(version))
          .append(";\n");
    }
    out.append("}\n\n");
  }

  private static void service(StringBuilder out, NginxSite site, RoutingRules rules) {
    out.append("server {\n");
    out.append("    listen ").append(site.listen()).append(";\n");
    out.append("    set $trafficctl_service ").append(NginxSyntax.quoted(site.service()));
    out.append(";\n");
    out.append("    set $trafficctl_env ").append(NginxSyntax.quoted(site.env())).append(";\n");
    String cookie = cookie(site, rules);
    RoutingRules.FeatureFlag flag = rules.featureFlag();
    if (site.mode() == NginxMode.DYNAMIC) {
      out.append("    set $trafficctl_version \"\";\n");
      out.append("    set $trafficctl_pool \"\";\n");
      if (flag != null) {
        out.append("    set $trafficctl_flag \"\";\n");
        out.append("    set $trafficctl_client_cookie \"\";\n");
      }
    } else {
      out.append("    set $trafficctl_version $").append(chain(site, rules, 0)).append(";\n");
      out.append("    set $trafficctl_pool \"")
          .append(site.upstream(""))
          .append("$trafficctl_version\";\n");
    }
    out.append("\n    location / {\n");
    if (site.mode() == NginxMode.DYNAMIC) {
      out.append("        access_by_lua_block {\n");
      lua(out, "            ", pickLua(site, rules));
      out.append("        }\n");
    }
    out.append("        proxy_pass http://$trafficctl_pool;\n");
    out.append("        # Retries stay inside the chosen version's upstream.\n");
    out.append("        proxy_next_upstream error timeout;\n");
    out.append("        proxy_http_version 1.1;\n");
    out.append("        proxy_set_header Connection \"\";\n");
    out.append("        proxy_set_header Host $host;\n");
    out.append("        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n");
    out.append("        proxy_set_header X-Request-Id $request_id;\n");
    if (flag != null) {
      String value = site.mode() == NginxMode.DYNAMIC ? "trafficctl_flag" : variable("flag", site);
      out.append("        proxy_set_header ")
          .append(flag.header())
          .append(" $")
          .append(value)
          .append(";\n");
    }
    List<String> sent = headerNames(rules);
    for (int i = 0; i < sent.size(); i++) {
      out.append("        proxy_set_header ")
          .append(sent.get(i))
          .append(" $")
          .append(variable("send" + (i + 1), site))
          .append(";\n");
    }
    if (cookie != null && rules.segments() != null) {
      out.append("        add_header Set-Cookie $")
          .append(variable("sticky_cookie", site))
          .append(" always;\n");
    } else if (cookie != null) {
      out.append("        add_header Set-Cookie \"")
          .append(stickyCookieValue(site, cookie))
          .append("\" always;\n");
    }
    if (flag != null) {
      // Empty (not sent) when the request carried the client cookie.
      String value =
          site.mode() == NginxMode.DYNAMIC
              ? "trafficctl_client_cookie"
              : variable("client_cookie", site);
      out.append("        add_header Set-Cookie $").append(value).append(" always;\n");
    }
    out.append("    }\n");
    out.append("}\n\n");
  }

  private static void admin(
      StringBuilder out, NginxSite site, Map<String, Integer> weights, RoutingRules rules) {
    out.append("server {\n");
    out.append("    listen ").append(site.admin()).append("; # trafficctl admin\n");
    out.append("    access_log off;\n");
    out.append("    allow 127.0.0.0/8;\n");
    out.append("    allow ::1;\n");
    out.append("    deny all;\n\n");
    out.append("    location = /trafficctl/generation {\n");
    out.append("        default_type text/plain;\n");
    out.append("        return 200 \"$").append(variable("generation", site)).append("\\n\";\n");
    out.append("    }\n\n");
    out.append("    location = /trafficctl/weights {\n");
    if (site.mode() == NginxMode.DYNAMIC) {
      out.append("        client_max_body_size 16k;\n");
      out.append("        client_body_buffer_size 16k;\n");
      out.append("        content_by_lua_block {\n");
      lua(out, "            ", siteLua(site, rules) + resource("admin.lua"));
      out.append("        }\n");
    } else {
      out.append("        default_type text/plain;\n");
      out.append("        if ($request_method !~ ^(GET|HEAD)$) {\n");
      out.append("            return 405;\n");
      out.append("        }\n");
      out.append("        return 200 \"")
          .append(WeightLines.format(inCatalogOrder(site, weights)).replace("\n", "\\n"))
          .append("\";\n");
    }
    out.append("    }\n\n");
    out.append("    location = /trafficctl/rules {\n");
    out.append("        default_type text/plain;\n");
    out.append("        if ($request_method !~ ^(GET|HEAD)$) {\n");
    out.append("            return 405;\n");
    out.append("        }\n");
    out.append("        return 200 \"")
        .append(RuleLines.format(rules).replace("\n", "\\n"))
        .append("\";\n");
    out.append("    }\n\n");
    out.append("    location / {\n");
    out.append("        return 404;\n");
    out.append("    }\n");
    out.append("}\n");
  }

  /** The access-phase Lua: the site's table, then flag.lua and pick.lua walking its rules. */
  private static String pickLua(NginxSite site, RoutingRules rules) {
    return siteLua(site, rules) + resource("flag.lua") + resource("pick.lua");
  }

  /**
   * site.lua with this service's data filled in: the per-worker table both Lua blocks share. It
   * holds the rules too, as whichever block runs first in a worker builds it for both.
   */
  private static String siteLua(NginxSite site, RoutingRules rules) {
    Map<String, String> pools = new java.util.LinkedHashMap<>();
    site.versions().keySet().forEach(version -> pools.put(version, site.upstream(version)));
    LuaTable data =
        LuaTable.fields()
            .put("key", site.key())
            .put("label", site.label())
            .put("state", NginxSyntax.path("state file", site.state()).toString())
            .put("generation_variable", variable("generation", site))
            .put("pools", LuaTable.map(pools))
            .put("order", LuaTable.list(site.versions().keySet()))
            .put("rules", luaRules(site, rules));
    String template = resource("site.lua");
    Matcher slot = SITE_SLOT.matcher(template);
    if (!slot.find()) {
      throw new IllegalStateException("site.lua has no @SITE@ line");
    }
    return template
        .replace("@KEY@", NginxSyntax.quoted(site.key()))
        .replace("@SITE@", data.render(slot.group(1)));
  }

  /** The routing rules as the Lua walks them; see pick.lua and flag.lua. */
  private static LuaTable luaRules(NginxSite site, RoutingRules rules) {
    List<LuaTable> matches = new ArrayList<>();
    for (RoutingRules.MatchRule rule : rules.matches()) {
      matches.add(
          LuaTable.fields()
              .put("name", rule.name())
              .put("variable", NginxSyntax.headerVariable(rule.header()))
              .put("pools", LuaTable.set(rule.pools())));
    }
    LuaTable table = LuaTable.fields().put("matches", LuaTable.records(matches));
    RoutingRules.Segments segments = rules.segments();
    if (segments != null) {
      table.put(
          "segments",
          LuaTable.fields()
              .put("variable", NginxSyntax.headerVariable(segments.header()))
              .put("values", LuaTable.set(segments.values()))
              .put("outside", segments.outside()));
    }
    String cookie = cookie(site, rules);
    if (cookie != null) {
      table.put("sticky", LuaTable.fields().put("variable", "cookie_" + cookie));
    }
    RoutingRules.FeatureFlag flag = rules.featureFlag();
    if (flag != null) {
      table.put(
          "flag",
          LuaTable.fields()
              .put("name", flag.name())
              .put("variable", "cookie_" + flag.clientCookie())
              .put("cookie", flag.clientCookie())
              .put("percent", flag.enabledPercent())
              .put("max_age", CLIENT_MAX_AGE));
    }
    return table;
  }

  private static void lua(StringBuilder out, String indent, String code) {
    for (String line : code.stripTrailing().split("\n")) {
      out.append(line.isEmpty() ? "" : indent + line).append('\n');
    }
  }

  /**
   * The sticky cookie: the routing rules' when they name one, else the load-balancer document's
   * session cookie when persistence is on; null for none.
   */
  private static String cookie(NginxSite site, RoutingRules rules) {
    if (rules.stickyCookie() != null) {
      return NginxSyntax.cookieName(rules.stickyCookie());
    }
    if (site.loadBalancer() == null) {
      return null;
    }
    SessionPersistence session = site.loadBalancer().session();
    return session.persistence() ? NginxSyntax.cookieName(session.cookieName()) : null;
  }

  /** The load-balancer document's session timeout, else {@link #STICKY_MAX_AGE}; in seconds. */
  private static long stickyMaxAge(NginxSite site) {
    Duration timeout =
        site.loadBalancer() == null || site.loadBalancer().session() == null
            ? null
            : site.loadBalancer().session().timeout();
    return Math.max(1, (timeout == null ? STICKY_MAX_AGE : timeout).toSeconds());
  }

  /** Versions with a weight above 0, in catalog order. */
  private static List<String> positive(NginxSite site, Map<String, Integer> weights) {
    List<String> versions = new ArrayList<>();
    for (String version : site.versions().keySet()) {
      Integer weight = weights.get(version);
      if (weight != null && weight > 0) {
        versions.add(version);
      }
    }
    return versions;
  }

  private static Map<String, Integer> inCatalogOrder(NginxSite site, Map<String, Integer> weights) {
    Map<String, Integer> ordered = new java.util.LinkedHashMap<>();
    for (String version : site.versions().keySet()) {
      if (weights.containsKey(version)) {
        ordered.put(version, weights.get(version));
      }
    }
    return ordered;
  }

  private static String inline(Map<String, Integer> weights) {
    return weights.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }

  /**
   * {@code $trafficctl_<what>_<env>__<service>}: variable names allow only letters, digits and '_',
   * so '.' and '-' in names are written {@code _2e} and {@code _2d}; '__' then cannot occur inside
   * a part, which keeps different services apart.
   */
  static String variable(String what, NginxSite site) {
    return "trafficctl_" + what + "_" + identifier(site.env()) + "__" + identifier(site.service());
  }

  private static String identifier(String name) {
    return name.replace(".", "_2e").replace("-", "_2d");
  }

  private static String resource(String name) {
    try (InputStream in = NginxInclude.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " next to NginxInclude");
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
