package dev.trafficctl.activities.router.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.InvalidConfigException;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.config.catalog.NginxMode;
import dev.trafficctl.config.catalog.RouterConfig;
import org.junit.jupiter.api.Test;

/** The catalog's nginx router fields as a person writes them, and the one-line errors they get. */
class NginxCatalogFieldsTest {

  private static final String HEAD =
      "services:\n  api:\n    environments:\n      production:\n        router: ";
  private static final String TAIL =
      "\n        versions:\n          v1: { servers: [\"127.0.0.1:18081\"] }\n";

  private static RouterConfig router(String router) {
    return new DocumentLoader()
        .parse("trafficctl.yaml", HEAD + router + TAIL, Catalog.class)
        .find("api", "production")
        .orElseThrow()
        .router();
  }

  private static String error(String router) {
    return assertThrows(InvalidConfigException.class, () -> router(router)).firstLine();
  }

  @Test
  void readsEveryNginxField() {
    RouterConfig r =
        router(
            "{ type: nginx, mode: reload, listen: \"127.0.0.1:18080\", admin: \"127.0.0.1:19080\","
                + " config_dir: .run/nginx/conf.d, nginx: /usr/sbin/nginx,"
                + " nginx_prefix: .run/nginx, nginx_conf: .run/nginx/nginx.conf,"
                + " error_log: .run/nginx/logs/error.log }");
    assertEquals(NginxMode.RELOAD, r.mode());
    assertEquals("127.0.0.1:18080", r.listen());
    assertEquals("127.0.0.1:19080", r.admin());
    assertEquals(".run/nginx/conf.d", r.configDir());
    assertEquals(".run/nginx/nginx.conf", r.nginxConf());
    assertEquals(".run/nginx/logs/error.log", r.errorLogOrDefault());
  }

  @Test
  void defaultsKeepACatalogShort() {
    RouterConfig r = router("{ type: nginx, nginx_prefix: /srv/nginx/ }");
    assertEquals(NginxMode.DYNAMIC, r.mode());
    assertEquals("nginx", r.configDirOrDefault());
    assertEquals("/usr/sbin/nginx", r.nginxOrDefault());
    assertEquals("/srv/nginx/logs/error.log", r.errorLogOrDefault());
    assertEquals("/var/log/nginx/error.log", router("{ type: nginx }").errorLogOrDefault());
    assertNull(router("{ type: nginx }").listen());
  }

  @Test
  void refusesAnAdminEndpointOffLoopback() {
    assertEquals(
        "trafficctl.yaml:5:39: services.api.environments.production.router.admin: \"0.0.0.0:19080\""
            + " is not a loopback address (127.x.x.x:port or [::1]:port): the admin endpoint"
            + " changes weights without authentication",
        error("{ type: nginx, admin: \"0.0.0.0:19080\" }"));
    router("{ type: nginx, admin: \"[::1]:19080\" }");
    router("{ type: nginx, admin: \"127.0.0.2:19080\" }");
  }

  @Test
  void refusesAddressesAndPathsThatCouldInjectConfiguration() {
    assertEquals(
        "trafficctl.yaml:5:40: services.api.environments.production.router.listen:"
            + " \"127.0.0.1:80; include /etc/passwd\" is not host:port (a host name, IPv4 or [IPv6]"
            + " address, port 1..65535)",
        error("{ type: nginx, listen: \"127.0.0.1:80; include /etc/passwd\" }"));
    assertEquals(
        "trafficctl.yaml:5:44: services.api.environments.production.router.config_dir:"
            + " \"/tmp/a b;\" is not a path of letters, digits, '.', '_', '+', '-' and '/'",
        error("{ type: nginx, config_dir: \"/tmp/a b;\" }"));
  }

  @Test
  void nginxFieldsDoNotApplyToTheFileRouter() {
    assertEquals(
        "trafficctl.yaml:5:58: services.api.environments.production.router.listen: applies to the"
            + " nginx router only",
        error("{ type: file, state_dir: routes, listen: \"127.0.0.1:18080\" }"));
  }

  @Test
  void adminAndListenMustDiffer() {
    assertEquals(
        "trafficctl.yaml:5:66: services.api.environments.production.router.admin:"
            + " \"127.0.0.1:18080\" is also the service's listen address",
        error("{ type: nginx, listen: \"127.0.0.1:18080\", admin: \"127.0.0.1:18080\" }"));
  }
}
