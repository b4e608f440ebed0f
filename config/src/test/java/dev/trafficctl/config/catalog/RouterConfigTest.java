package dev.trafficctl.config.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trafficctl.config.ConfigProblem;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.InvalidConfigException;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.LoadedDocument;
import dev.trafficctl.config.SpecExamplesTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The catalog's {@code router:}: one block per provider, the flat fields of before the blocks still
 * read (with a warning each, never written), and one line for each way the two can disagree.
 */
class RouterConfigTest {

  private static final String ROUTER = "services.api.environments.production.router";

  private static final ObjectMapper JSON = JsonMapping.json();

  /** A catalog whose one environment has {@code router}, indented under {@code router:}. */
  private static String catalog(String router) {
    return "services:\n"
        + "  api:\n"
        + "    environments:\n"
        + "      production:\n"
        + "        router:\n"
        + router.indent(10)
        + "        versions:\n"
        + "          v1: { servers: [\"127.0.0.1:18081\"] }\n";
  }

  private static LoadedDocument load(String router) {
    return new DocumentLoader().parse("services.yaml", catalog(router));
  }

  private static RouterConfig router(LoadedDocument doc) {
    return doc.as(Catalog.class).find("api", "production").orElseThrow().router();
  }

  private static List<String> warnings(LoadedDocument doc) {
    return doc.warnings().stream().map(ConfigProblem::toString).toList();
  }

  private static List<String> errors(String router) {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> load(router));
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  /** Every nginx setting, in the block. */
  private static final String NGINX_BLOCK =
      """
      type: nginx
      nginx:
        mode: reload
        listen: 127.0.0.1:18080
        admin: 127.0.0.1:18090
        config_dir: .run/nginx/conf.d
        binary: /usr/local/sbin/nginx
        prefix: .run/nginx
        conf: .run/nginx/nginx.conf
        error_log: .run/nginx/error.log
        load_balancer: lb/nginx-api.yaml
      """;

  @Test
  void theNginxBlockHoldsTheNginxSettings() {
    LoadedDocument doc = load(NGINX_BLOCK);

    assertEquals(
        RouterConfig.ofNginx(
            new NginxRouterSettings(
                NginxMode.RELOAD,
                "127.0.0.1:18080",
                "127.0.0.1:18090",
                ".run/nginx/conf.d",
                "/usr/local/sbin/nginx",
                ".run/nginx",
                ".run/nginx/nginx.conf",
                ".run/nginx/error.log",
                "lb/nginx-api.yaml")),
        router(doc));
    assertEquals(List.of(), doc.warnings());
  }

  @Test
  void anEmptyNginxBlockTakesEveryDefault() {
    NginxRouterSettings nginx = router(load("type: nginx\nnginx: {}\n")).nginx();

    assertEquals(NginxMode.DYNAMIC, nginx.modeOrDefault());
    assertEquals("nginx", nginx.configDirOrDefault());
    assertEquals("/usr/sbin/nginx", nginx.binaryOrDefault());
    assertEquals("/var/log/nginx/error.log", nginx.errorLogOrDefault());
    assertNull(nginx.listen());
    assertEquals(
        "/srv/nginx/logs/error.log",
        router(load("type: nginx\nnginx: { prefix: /srv/nginx/ }\n")).nginx().errorLogOrDefault());
  }

  @Test
  void theFileBlockHoldsTheStateDirectory() {
    LoadedDocument doc = load("type: file\nfile: { state_dir: .run/routes }\n");

    assertEquals(RouterConfig.ofFile(".run/routes"), router(doc));
    assertEquals(List.of(), doc.warnings());
  }

  @Test
  void aRouterHostTravelsWithTheRouterAndIsWrittenOnlyWhenSet() throws Exception {
    RouterConfig onHost = router(load("type: file\nhost: lb-1.eu\nfile: { state_dir: routes }\n"));

    assertEquals(RouterConfig.ofFile("routes").onHost("lb-1.eu"), onHost);
    assertEquals(onHost, JSON.readValue(JSON.writeValueAsString(onHost), RouterConfig.class));
    assertEquals(
        "{\"type\":\"file\",\"file\":{\"state_dir\":\"routes\"}}",
        JSON.writeValueAsString(RouterConfig.ofFile("routes")));
    assertEquals(
        List.of(
            "services.yaml:7:17: "
                + ROUTER
                + ".host: \"lb 1\" is not a valid router host name ([a-z0-9][a-z0-9.-]*)"),
        errors("type: file\nhost: lb 1\nfile: { state_dir: routes }\n"));
  }

  /** Catalogs written before the blocks keep loading, meaning what they meant. */
  @Test
  void flatNginxFieldsAreReadIntoTheBlockWithAWarningEach() {
    LoadedDocument doc =
        load(
            """
            type: nginx
            mode: reload
            listen: 127.0.0.1:18080
            admin: 127.0.0.1:18090
            config_dir: .run/nginx/conf.d
            nginx: /usr/local/sbin/nginx
            nginx_prefix: .run/nginx
            nginx_conf: .run/nginx/nginx.conf
            error_log: .run/nginx/error.log
            load_balancer: lb/nginx-api.yaml
            """);

    assertEquals(router(load(NGINX_BLOCK)), router(doc));
    String at =
        "services.yaml:%d:%d: warning: " + ROUTER + ".%s: deprecated, write router.nginx.%s";
    assertEquals(
        List.of(
            at.formatted(7, 17, "mode", "mode"),
            at.formatted(8, 19, "listen", "listen"),
            at.formatted(9, 18, "admin", "admin"),
            at.formatted(10, 23, "config_dir", "config_dir"),
            at.formatted(11, 18, "nginx", "binary"),
            at.formatted(12, 25, "nginx_prefix", "prefix"),
            at.formatted(13, 23, "nginx_conf", "conf"),
            at.formatted(14, 22, "error_log", "error_log"),
            at.formatted(15, 26, "load_balancer", "load_balancer")),
        warnings(doc));
  }

  @Test
  void theFlatStateDirIsReadIntoTheFileBlock() {
    LoadedDocument doc = load("type: file\nstate_dir: routes\n");

    assertEquals(RouterConfig.ofFile("routes"), router(doc));
    assertEquals(
        List.of(
            "services.yaml:7:22: warning: "
                + ROUTER
                + ".state_dir: deprecated, write router.file.state_dir"),
        warnings(doc));
  }

  /** The example catalog as it was written before the blocks: the same catalog, three warnings. */
  @Test
  void theExampleCatalogOfBeforeTheBlocksLoadsAsTheCurrentOne() throws Exception {
    DocumentLoader loader = new DocumentLoader();
    LoadedDocument legacy =
        loader.parse("flat.yaml", SpecExamplesTest.resource("/legacy/flat-router-catalog.yaml"));
    LoadedDocument current =
        loader.parse("trafficctl.yaml", SpecExamplesTest.resource("/examples/trafficctl.yaml"));

    assertEquals(current.value(), legacy.value());
    assertEquals(List.of(), current.warnings());
    String production = "services.api.environments.production.router.";
    String staging = "services.api.environments.staging.router.";
    assertEquals(
        List.of(
            "flat.yaml:7:38: warning: " + production + "mode: deprecated, write router.nginx.mode",
            "flat.yaml:7:62: warning: "
                + production
                + "load_balancer: deprecated, write router.nginx.load_balancer",
            "flat.yaml:20:42: warning: "
                + staging
                + "state_dir: deprecated, write router.file.state_dir"),
        warnings(legacy));
  }

  /** Recorded workflow inputs carry the flat fields; they read, and are written as blocks. */
  @Test
  void flatFieldsInJsonAreReadAndOnlyTheBlocksAreWritten() throws Exception {
    RouterConfig nginx =
        JSON.readValue(
            "{\"type\":\"nginx\",\"mode\":\"dynamic\",\"load_balancer\":\"lb/nginx-api.yaml\"}",
            RouterConfig.class);
    RouterConfig file =
        JSON.readValue("{\"type\":\"file\",\"state_dir\":\"routes\"}", RouterConfig.class);

    assertEquals(
        "{\"type\":\"nginx\",\"nginx\":{\"mode\":\"dynamic\",\"load_balancer\":\"lb/nginx-api.yaml\"}}",
        JSON.writeValueAsString(nginx));
    assertEquals(
        "{\"type\":\"file\",\"file\":{\"state_dir\":\"routes\"}}", JSON.writeValueAsString(file));
    assertEquals(nginx, JSON.readValue(JSON.writeValueAsString(nginx), RouterConfig.class));
  }

  /** Moving one field at a time works: flat fields fill in what the block leaves out. */
  @Test
  void flatFieldsAndTheBlockMayNameDifferentSettings() {
    LoadedDocument doc =
        load(
            """
            type: nginx
            listen: 127.0.0.1:18080
            nginx: { admin: 127.0.0.1:18090 }
            """);

    assertEquals(
        RouterConfig.ofNginx(
            new NginxRouterSettings(
                null, "127.0.0.1:18080", "127.0.0.1:18090", null, null, null, null, null, null)),
        router(doc));
    assertEquals(
        List.of(
            "services.yaml:7:19: warning: "
                + ROUTER
                + ".listen: deprecated, write router.nginx.listen"),
        warnings(doc));
  }

  @Test
  void oneSettingWrittenFlatAndInTheBlockIsAnError() {
    assertEquals(
        List.of(
            "services.yaml:7:19: "
                + ROUTER
                + ".listen: also written as router.nginx.listen: keep only that one"),
        errors(
            """
            type: nginx
            listen: 127.0.0.1:18080
            nginx: { listen: 127.0.0.1:18081 }
            """));
  }

  @Test
  void theBlockOfAnotherTypeIsAnError() {
    assertEquals(
        List.of(
            "services.yaml:7:11: " + ROUTER + ".file: applies to type file, this router is nginx"),
        errors(
            """
            type: nginx
            file: { state_dir: routes }
            nginx: {}
            """));
  }

  @Test
  void aFlatFieldOfAnotherTypeIsAnError() {
    assertEquals(
        List.of(
            "services.yaml:7:19: "
                + ROUTER
                + ".listen: applies to type nginx, this router is file"),
        errors(
            """
            type: file
            listen: 127.0.0.1:18080
            file: { state_dir: routes }
            """));
  }

  @Test
  void theBlockOfTheTypeIsRequired() {
    assertEquals(
        List.of(
            "services.yaml:5:9: "
                + ROUTER
                + ": missing required field nginx (the settings of the nginx router)"),
        errors("type: nginx\n"));
    assertEquals(
        List.of("services.yaml:7:11: " + ROUTER + ".file: missing required field state_dir"),
        errors("type: file\nfile: {}\n"));
  }

  /** A bad value is reported under the name it was written with, flat or in the block. */
  @Test
  void problemsPointAtTheFieldAsWritten() {
    assertEquals(
        List.of(
            "services.yaml:7:18: "
                + ROUTER
                + ".admin: \"0.0.0.0:18090\" is not a loopback address (127.x.x.x:port or"
                + " [::1]:port): the admin endpoint changes weights without authentication"),
        errors("type: nginx\nadmin: 0.0.0.0:18090\n"));
    assertEquals(
        List.of(
            "services.yaml:7:18: "
                + ROUTER
                + ".nginx: \"/usr/sbin/nginx;\" is not a path of letters, digits, '.', '_', '+',"
                + " '-' and '/'"),
        errors("type: nginx\nnginx: /usr/sbin/nginx;\n"));
    assertEquals(
        List.of(
            "services.yaml:8:20: "
                + ROUTER
                + ".nginx.admin: \"127.0.0.1:18080\" is also the service's listen address"),
        errors(
            """
            type: nginx
            nginx:
              admin: 127.0.0.1:18080
              listen: 127.0.0.1:18080
            """));
  }

  /** The flat fields are read but no longer offered. */
  @Test
  void anUnknownFieldListsTheBlocksNotTheFlatFields() {
    assertEquals(
        List.of(
            "services.yaml:7:11: "
                + ROUTER
                + ".fiel: unknown field \"fiel\" (allowed: file, host, nginx, type); did you mean"
                + " \"file\"?"),
        errors("type: file\nfiel: {}\n"));
  }
}
