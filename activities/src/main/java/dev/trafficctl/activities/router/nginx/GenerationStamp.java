package dev.trafficctl.activities.router.nginx;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The include's first paragraph: its title, generation, mode and reason, and the only lines that
 * hold the generation and the reason. The admin endpoint and the Lua read the generation from the
 * one {@code map} here, so two renderings of the same configuration differ in this paragraph alone
 * and the router compares what follows it to decide whether nginx needs a reload.
 */
final class GenerationStamp {

  private static final Pattern GENERATION = Pattern.compile("(?m)^# generation ([0-9]+);");

  private GenerationStamp() {}

  static void write(NginxConfigWriter out, NginxSite site, long generation, String reason) {
    out.comment(
        "trafficctl: nginx configuration of "
            + site.label()
            + ", rendered by the nginx router; do not edit.");
    out.comment("generation " + generation + "; mode " + site.mode().wire());
    String why = NginxSyntax.comment(reason);
    if (!why.isEmpty()) {
      out.comment("reason: " + why);
    }
    out.line("map \"\" $" + variable(site) + " { default " + generation + "; }");
    out.blank();
  }

  /** The variable holding the generation, for the admin endpoint and the Lua to read. */
  static String variable(NginxSite site) {
    return site.variable("generation");
  }

  /** The generation recorded in a rendered include. */
  static OptionalLong generationOf(String include) {
    Matcher m = GENERATION.matcher(include);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  /**
   * The include without its stamp: what nginx is configured to do, whatever the generation and the
   * reason. Two renderings with the same configuration need no reload.
   */
  static String configurationOf(String include) {
    int stampEnd = include.indexOf("\n\n");
    return stampEnd < 0 ? include : include.substring(stampEnd + 2);
  }
}
