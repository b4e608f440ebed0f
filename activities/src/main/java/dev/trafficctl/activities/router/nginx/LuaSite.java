package dev.trafficctl.activities.router.nginx;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.trafficctl.workflows.ports.RoutingRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dynamic mode's Lua: the code is in the resources next to this class, and this renders the one
 * thing they cannot hold, the service's data. {@code site.lua} builds a per-worker table from it
 * that every {@code *_by_lua_block} of the service shares: pools, weights and the routing rules
 * that {@code pick.lua} and {@code flag.lua} walk. As whichever block runs first in a worker builds
 * the table for all of them, each block carries the same data.
 */
final class LuaSite {

  /** The line of site.lua the data goes into, and its indentation. */
  private static final Pattern DATA_LINE = Pattern.compile("(?m)^( *).*@SITE@");

  private final NginxSite site;
  private final LuaTable data;

  LuaSite(NginxSite site, RoutingRules rules, StickyCookie cookie) {
    this.site = site;
    Map<String, String> pools = new LinkedHashMap<>();
    site.versions().keySet().forEach(version -> pools.put(version, site.upstream(version)));
    this.data =
        LuaTable.fields()
            .put("key", site.key())
            .put("label", site.label())
            .put("state", NginxSyntax.path("state file", site.state()).toString())
            .put("generation_variable", GenerationStamp.variable(site))
            .put("pools", LuaTable.map(pools))
            .put("order", LuaTable.list(site.versions().keySet()))
            .put("rules", rules(rules, cookie));
  }

  /** The code of one Lua block: site.lua with the data filled in, then {@code resources}. */
  String chunk(String... resources) {
    String template = resource("site.lua");
    Matcher line = DATA_LINE.matcher(template);
    if (!line.find()) {
      throw new IllegalStateException("site.lua has no line for @SITE@");
    }
    StringBuilder code =
        new StringBuilder(
            template
                .replace("@KEY@", NginxSyntax.quoted(site.key()))
                .replace("@SITE@", data.render(line.group(1))));
    for (String name : resources) {
      code.append(resource(name));
    }
    return code.toString();
  }

  /** The code of a block that needs none of the site's data: the resource as it is. */
  static String code(String resource) {
    return resource(resource);
  }

  /** The routing rules as pick.lua and flag.lua walk them. */
  private static LuaTable rules(RoutingRules rules, StickyCookie cookie) {
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
    if (cookie != null) {
      table.put("sticky", LuaTable.fields().put("variable", "cookie_" + cookie.name()));
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
              .put("max_age", FeatureFlagHeaders.CLIENT_MAX_AGE));
    }
    return table;
  }

  private static String resource(String name) {
    try (InputStream in = LuaSite.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " next to LuaSite");
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
