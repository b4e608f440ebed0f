package dev.trafficctl.activities.router.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.InvalidConfigException;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.config.catalog.NginxMode;
import dev.trafficctl.config.catalog.NginxRouterSettings;
import org.junit.jupiter.api.Test;

/** The catalog's nginx router block as a person writes it, and the one-line errors it gets. */
class NginxCatalogFieldsTest {

  private static final String HEAD =
      "services:\n  api:\n    environments:\n      production:\n        router: ";
  private static final String TAIL =
      "\n        versions:\n          v1: { servers: [\"127.0.0.1:18081\"] }\n";

  /** The nginx settings of {@code router: { type: nginx, nginx: <nginx> }}. */
  private static NginxRouterSettings nginx(String nginx) {
    return new DocumentLoader()
        .parse(
            "trafficctl.yaml", HEAD + "{ type: nginx, nginx: " + nginx + " }" + TAIL, Catalog.class)
        .find("api", "production")
        .orElseThrow()
        .router()
        .nginx();
  }

  private static String error(String nginx) {
    return assertThrows(InvalidConfigException.class, () -> nginx(nginx)).firstLine();
  }

  @Test
  void readsEveryNginxField() {
    NginxRouterSettings n =
        nginx(
            "{ mode: reload, listen: \"127.0.0.1:18080\", admin: \"127.0.0.1:19080\","
                + " config_dir: .run/nginx/conf.d, binary: /usr/sbin/nginx,"
                + " prefix: .run/nginx, conf: .run/nginx/nginx.conf,"
                + " error_log: .run/nginx/logs/error.log, load_balancer: lb/nginx-api.yaml }");
    assertEquals(NginxMode.RELOAD, n.modeOrDefault());
    assertEquals("127.0.0.1:18080", n.listen());
    assertEquals("127.0.0.1:19080", n.admin());
    assertEquals(".run/nginx/conf.d", n.configDirOrDefault());
    assertEquals("/usr/sbin/nginx", n.binaryOrDefault());
    assertEquals(".run/nginx", n.prefix());
    assertEquals(".run/nginx/nginx.conf", n.conf());
    assertEquals(".run/nginx/logs/error.log", n.errorLogOrDefault());
    assertEquals("lb/nginx-api.yaml", n.loadBalancer());
  }

  @Test
  void defaultsKeepACatalogShort() {
    NginxRouterSettings n = nginx("{ prefix: /srv/nginx/ }");
    assertEquals(NginxMode.DYNAMIC, n.modeOrDefault());
    assertEquals("nginx", n.configDirOrDefault());
    assertEquals("/usr/sbin/nginx", n.binaryOrDefault());
    assertEquals("/srv/nginx/logs/error.log", n.errorLogOrDefault());
    assertEquals("/var/log/nginx/error.log", nginx("{}").errorLogOrDefault());
    assertNull(nginx("{}").listen());
  }

  @Test
  void refusesAnAdminEndpointOffLoopback() {
    assertEquals(
        "trafficctl.yaml:5:48: services.api.environments.production.router.nginx.admin:"
            + " \"0.0.0.0:19080\" is not a loopback address (127.x.x.x:port or [::1]:port): the"
            + " admin endpoint changes weights without authentication",
        error("{ admin: \"0.0.0.0:19080\" }"));
    nginx("{ admin: \"[::1]:19080\" }");
    nginx("{ admin: \"127.0.0.2:19080\" }");
  }

  @Test
  void refusesAddressesAndPathsThatCouldInjectConfiguration() {
    assertEquals(
        "trafficctl.yaml:5:49: services.api.environments.production.router.nginx.listen:"
            + " \"127.0.0.1:80; include /etc/passwd\" is not host:port (a host name, IPv4 or [IPv6]"
            + " address, port 1..65535)",
        error("{ listen: \"127.0.0.1:80; include /etc/passwd\" }"));
    assertEquals(
        "trafficctl.yaml:5:53: services.api.environments.production.router.nginx.config_dir:"
            + " \"/tmp/a b;\" is not a path of letters, digits, '.', '_', '+', '-' and '/'",
        error("{ config_dir: \"/tmp/a b;\" }"));
  }

  @Test
  void nginxSettingsDoNotApplyToTheFileRouter() {
    assertEquals(
        "trafficctl.yaml:5:60: services.api.environments.production.router.nginx: applies to type"
            + " nginx, this router is file",
        assertThrows(
                InvalidConfigException.class,
                () ->
                    new DocumentLoader()
                        .parse(
                            "trafficctl.yaml",
                            HEAD + "{ type: file, file: { state_dir: routes }, nginx: {} }" + TAIL))
            .firstLine());
  }

  @Test
  void adminAndListenMustDiffer() {
    assertEquals(
        "trafficctl.yaml:5:75: services.api.environments.production.router.nginx.admin:"
            + " \"127.0.0.1:18080\" is also the service's listen address",
        error("{ listen: \"127.0.0.1:18080\", admin: \"127.0.0.1:18080\" }"));
  }
}
