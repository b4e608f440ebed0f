package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.config.catalog.ServerAddress;
import dev.trafficctl.workflows.ports.RoutingRules;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loopback-only admin {@code server} on {@code admin}: {@code /trafficctl/generation} (which
 * rendering is live), the parts' locations ({@code /trafficctl/weights}, read in both modes, set in
 * dynamic mode) and {@code /trafficctl/rules} (the routing rules in force, as {@link RuleLines}).
 */
final class AdminServer {

  private static final String MARK = "# trafficctl admin";
  private static final Pattern LISTEN =
      Pattern.compile("(?m)^\\s*listen (\\S+); " + Pattern.quote(MARK) + "$");

  private AdminServer() {}

  static void write(
      NginxConfigWriter out, NginxSite site, RoutingRules rules, List<IncludePart> parts) {
    out.open("server");
    out.line("listen " + site.admin() + "; " + MARK);
    out.directive("access_log", "off");
    out.directive("allow", "127.0.0.0/8");
    out.directive("allow", "::1");
    out.directive("deny", "all");
    out.blank();
    out.open("location", "=", "/trafficctl/generation");
    out.directive("default_type", "text/plain");
    out.directive("return", "200", "\"$" + GenerationStamp.variable(site) + "\\n\"");
    out.close();
    out.blank();
    parts.forEach(part -> part.adminLocations(out));
    readOnly(out, "/trafficctl/rules", RuleLines.format(rules));
    out.open("location", "/");
    out.directive("return", "404");
    out.close();
    out.close();
  }

  /**
   * A location answering {@code GET} with {@code text}, rendered in; other methods get 405. The
   * text is made of checked names, so it fits an nginx string as it is.
   */
  static void readOnly(NginxConfigWriter out, String path, String text) {
    out.open("location", "=", path);
    out.directive("default_type", "text/plain");
    out.open("if", "($request_method !~ ^(GET|HEAD)$)");
    out.directive("return", "405");
    out.close();
    out.directive("return", "200", "\"" + text.replace("\n", "\\n") + "\"");
    out.close();
    out.blank();
  }

  /** The admin address recorded in a rendered include. */
  static Optional<ServerAddress> addressOf(String include) {
    Matcher m = LISTEN.matcher(include);
    return m.find() ? Optional.of(ServerAddress.parse(m.group(1))) : Optional.empty();
  }
}
