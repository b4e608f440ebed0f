package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.workflows.ports.RoutingRules;
import java.util.Objects;

/**
 * Dynamic mode: Lua chooses, from weights in a {@code lua_shared_dict} that the admin endpoint sets
 * with no reload. The Lua code is in the resources next to this class ({@code pick.lua}, {@code
 * flag.lua}, {@code admin.lua}); the include gives it only data (see {@link LuaSite}).
 */
final class DynamicModeChoice implements VersionChoice {

  private final NginxSite site;
  private final RoutingRules rules;
  private final LuaSite lua;
  private final AdminSecret.Verifier adminSecret;

  DynamicModeChoice(
      NginxSite site, RoutingRules rules, StickyCookie cookie, AdminSecret.Verifier adminSecret) {
    this.site = site;
    this.rules = rules;
    this.lua = new LuaSite(site, rules, cookie);
    this.adminSecret =
        Objects.requireNonNull(adminSecret, "dynamic mode needs the admin secret's verifier");
  }

  @Override
  public void http(NginxConfigWriter out) {
    out.comment(
        "weights: shared dict "
            + site.key()
            + ", set through the admin endpoint, loaded at start from "
            + NginxSyntax.path("state file", site.state()));
    out.directive("lua_shared_dict", site.key(), "1m");
    out.blank();
  }

  /** Declared here for the Lua to set: nginx knows only variables its configuration names. */
  @Override
  public void serverVariables(NginxConfigWriter out) {
    out.directive("set", "$trafficctl_version", "\"\"");
    out.directive("set", "$trafficctl_pool", "\"\"");
    if (rules.featureFlag() != null) {
      out.directive("set", "$" + flagVariable(), "\"\"");
      out.directive("set", "$" + clientCookieVariable(), "\"\"");
    }
  }

  @Override
  public void beforeProxy(NginxConfigWriter out) {
    out.open("access_by_lua_block");
    out.lua(lua.chunk("flag.lua", "pick.lua"));
    out.close();
  }

  /**
   * GET reads the weights in force; POST or PUT, with the admin secret, sets them for every worker
   * with no reload. The include holds the secret's verifier only (see {@link AdminSecret}).
   */
  @Override
  public void adminLocations(NginxConfigWriter out) {
    out.open("location", "=", "/trafficctl/weights");
    out.directive("client_max_body_size", "16k");
    out.directive("client_body_buffer_size", "16k");
    out.comment(
        "writes need the secret in "
            + NginxSyntax.path("admin secret file", site.adminSecret())
            + "; this is its verifier, not the secret");
    out.directive("set", "$trafficctl_admin_verifier", "\"" + adminSecret.hex() + "\"");
    out.open("access_by_lua_block");
    out.lua(LuaSite.code("admin_secret.lua"));
    out.close();
    out.open("content_by_lua_block");
    out.lua(lua.chunk("admin.lua"));
    out.close();
    out.close();
    out.blank();
  }

  @Override
  public String flagVariable() {
    return "trafficctl_flag";
  }

  @Override
  public String clientCookieVariable() {
    return "trafficctl_client_cookie";
  }
}
