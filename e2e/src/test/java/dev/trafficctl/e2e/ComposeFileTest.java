package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.DocumentType;
import dev.trafficctl.config.LoadedDocument;
import dev.trafficctl.workflows.TrafficSearchAttributes;
import io.temporal.common.SearchAttributeKey;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compose stack (docker-compose.yml, Dockerfile, deploy/) without a Docker engine: Debian's
 * docker-compose (v1) validates the file offline, and its content is held to what the project
 * needs: Temporal in its current form (schema set up by admin-tools before the server starts, no
 * auto-setup image), every search attribute the workflows set registered, healthchecks on every
 * service that keeps running, the worker next to nginx's configuration and admin endpoint, and
 * Prometheus scraping the servers the catalog names.
 */
class ComposeFileTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String COMPLETED = "service_completed_successfully";

  private static Path root;
  private static JsonNode compose;
  private static JsonNode services;

  @BeforeAll
  static void load() throws IOException {
    root = ProjectPaths.root();
    compose = YAML.readTree(root.resolve("docker-compose.yml").toFile());
    services = compose.path("services");
    assertTrue(services.isObject() && services.size() > 0, "docker-compose.yml has no services");
  }

  @Test
  void dockerComposeAcceptsTheFile() {
    String dockerCompose = onPath("docker-compose");
    if (dockerCompose == null) {
      fail(
          "docker-compose is not installed, so docker-compose.yml cannot be validated: run"
              + " scripts/test-all.sh (it installs Debian's docker-compose package), or"
              + " apt-get install --no-install-recommends docker-compose");
    }
    Run run =
        Run.of(
            List.of(
                dockerCompose, "-f", root.resolve("docker-compose.yml").toString(), "config", "-q"),
            Map.of(),
            root,
            Duration.ofSeconds(60));
    assertEquals(
        0,
        run.exitCode(),
        () -> "docker-compose config -q rejected docker-compose.yml:\n" + run.out() + run.err());
  }

  @Test
  void everyServiceThatKeepsRunningHasAHealthcheck() {
    Set<String> oneShot = oneShotServices();
    assertEquals(Set.of("temporal-schema", "temporal-namespace"), oneShot);
    for (String name : serviceNames()) {
      if (oneShot.contains(name)) {
        continue;
      }
      JsonNode test = services.path(name).path("healthcheck").path("test");
      assertTrue(
          test.isArray() && test.size() > 1 || test.isTextual() && !test.asText().isBlank(),
          name + " keeps running but has no healthcheck");
    }
  }

  @Test
  void everyDependencyWaitsForACondition() {
    Set<String> conditions = Set.of("service_started", "service_healthy", COMPLETED);
    for (String name : serviceNames()) {
      JsonNode dependsOn = services.path(name).path("depends_on");
      if (dependsOn.isMissingNode()) {
        continue;
      }
      assertTrue(dependsOn.isObject(), name + ": depends_on without conditions");
      for (String dependency : fieldNames(dependsOn)) {
        assertTrue(services.has(dependency), name + " depends on unknown " + dependency);
        String condition = dependsOn.path(dependency).path("condition").asText();
        assertTrue(conditions.contains(condition), name + " -> " + dependency + ": " + condition);
        if (!condition.equals(COMPLETED) && !condition.equals("service_started")) {
          assertTrue(
              services.path(dependency).has("healthcheck"),
              name + " waits for " + dependency + " to be healthy, which has no healthcheck");
        }
      }
    }
  }

  @Test
  void temporalIsTheServerImageStartedAfterItsSchemaSetup() throws IOException {
    for (String name : serviceNames()) {
      String image = services.path(name).path("image").asText();
      assertFalse(image.contains("auto-setup"), name + " uses the deprecated " + image);
    }
    JsonNode temporal = services.path("temporal");
    assertTrue(temporal.path("image").asText().startsWith("temporalio/server:"));
    assertEquals(
        COMPLETED, temporal.path("depends_on").path("temporal-schema").path("condition").asText());
    assertEquals("postgres12", temporal.path("environment").path("DB").asText());

    JsonNode schema = services.path("temporal-schema");
    assertTrue(schema.path("image").asText().startsWith("temporalio/admin-tools:"));
    assertEquals(
        "service_healthy", schema.path("depends_on").path("postgresql").path("condition").asText());
    String script = deployScript(schema);
    for (String step : List.of("create", "setup-schema -v 0.0", "update-schema -d")) {
      assertTrue(script.contains(step), "schema setup lacks " + step);
    }
    assertTrue(script.contains("--plugin postgres12"));
    assertTrue(script.contains("/postgresql/v12"));
    // Both databases, by the names the server is configured with (its defaults).
    JsonNode env = schema.path("environment");
    assertEquals("temporal", env.path("DBNAME").asText());
    assertEquals("temporal_visibility", env.path("VISIBILITY_DBNAME").asText());
    assertTrue(script.contains("${DBNAME:-temporal}"));
    assertTrue(script.contains("${VISIBILITY_DBNAME:-temporal_visibility}"));

    // Versions move together: the schema tool of the server's own release.
    assertEquals(tag(temporal), tag(schema));
    assertEquals(tag(temporal), tag(services.path("temporal-namespace")));
  }

  @Test
  void everyImageIsPinned() {
    for (String name : serviceNames()) {
      JsonNode service = services.path(name);
      String image = service.path("image").asText();
      if (service.has("build")) {
        assertEquals("Dockerfile", service.path("build").path("dockerfile").asText("Dockerfile"));
        assertTrue(Files.isRegularFile(root.resolve("Dockerfile")));
        continue;
      }
      String tag = image.substring(image.lastIndexOf(':') + 1);
      assertTrue(image.contains(":"), name + ": " + image + " has no tag");
      assertNotEquals("latest", tag, name + " is not pinned");
      assertTrue(tag.matches("v?\\d+\\.\\d+(\\.\\d+)?.*"), name + ": " + image + " is not pinned");
    }
  }

  @Test
  void everyMountedFileOrDirectoryIsInTheRepository() {
    for (String name : serviceNames()) {
      for (String source : mounts(services.path(name)).keySet()) {
        if (source.startsWith("./")) {
          assertTrue(Files.exists(root.resolve(source.substring(2))), name + " mounts " + source);
        } else {
          assertTrue(compose.path("volumes").has(source), name + ": undeclared volume " + source);
        }
      }
    }
  }

  @Test
  void everySearchAttributeTheWorkflowsSetIsRegistered() throws Exception {
    Map<String, String> used = new TreeMap<>();
    for (Field field : TrafficSearchAttributes.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())
          && SearchAttributeKey.class.isAssignableFrom(field.getType())) {
        SearchAttributeKey<?> key = (SearchAttributeKey<?>) field.get(null);
        used.put(key.getName(), typeName(key.getValueType().name()));
      }
    }
    assertFalse(used.isEmpty());

    JsonNode namespace = services.path("temporal-namespace");
    assertTrue(namespace.path("image").asText().startsWith("temporalio/admin-tools:"));
    assertEquals(
        "service_healthy",
        namespace.path("depends_on").path("temporal").path("condition").asText());
    JsonNode env = namespace.path("environment");
    assertEquals("temporal:7233", env.path("TEMPORAL_ADDRESS").asText());
    Map<String, String> registered = pairs(env.path("TRAFFICCTL_SEARCH_ATTRIBUTES").asText());
    assertEquals(
        used, registered, "search attributes registered by the temporal-namespace service");

    // The dev server registers the same list.
    String devServer = Files.readString(root.resolve("scripts/temporal-dev-server.sh"));
    Matcher list = Pattern.compile("SEARCH_ATTRIBUTES=\\(([^)]*)\\)").matcher(devServer);
    assertTrue(list.find(), "no SEARCH_ATTRIBUTES in scripts/temporal-dev-server.sh");
    assertEquals(used, pairs(list.group(1)), "scripts/temporal-dev-server.sh");

    String script = deployScript(namespace);
    assertTrue(script.contains("temporal operator namespace create"));
    assertTrue(script.contains("temporal operator search-attribute create"));
    assertTrue(script.contains("$TRAFFICCTL_SEARCH_ATTRIBUTES"));
    assertEquals(
        env.path("TEMPORAL_NAMESPACE").asText(),
        services.path("worker").path("environment").path("TEMPORAL_NAMESPACE").asText());
  }

  @Test
  void theWorkerReachesTemporalNginxAndItsAdminEndpoint() throws IOException {
    JsonNode worker = services.path("worker");
    JsonNode env = worker.path("environment");
    String address = env.path("TEMPORAL_ADDRESS").asText();
    assertEquals("temporal:7233", address);
    assertTrue(services.has(address.substring(0, address.indexOf(':'))));
    assertEquals(
        COMPLETED, worker.path("depends_on").path("temporal-namespace").path("condition").asText());
    assertEquals(
        "temporal:7233",
        services.path("temporal-ui").path("environment").path("TEMPORAL_ADDRESS").asText());

    // The admin endpoint is loopback-only and `nginx -s reload` signals nginx's master: the worker
    // runs in nginx's network and PID namespaces.
    assertEquals("service:nginx", worker.path("network_mode").asText());
    assertEquals("service:nginx", worker.path("pid").asText());
    assertEquals(
        "service_healthy", worker.path("depends_on").path("nginx").path("condition").asText());

    // The same named volume holds nginx's prefix on both sides, and the catalog's nginx paths lie
    // in it.
    Map<String, String> nginxMounts = mounts(services.path("nginx"));
    Map<String, String> workerMounts = mounts(worker);
    Set<String> shared = new TreeSet<>();
    for (Map.Entry<String, String> mount : nginxMounts.entrySet()) {
      if (compose.path("volumes").has(mount.getKey())
          && mount.getValue().equals(workerMounts.get(mount.getKey()))) {
        shared.add(mount.getKey());
      }
    }
    assertEquals(Set.of("nginx-state"), shared, "named volumes nginx and the worker share");
    String prefix = nginxMounts.get("nginx-state");

    JsonNode router = demoEnvironment().path("router");
    assertEquals("nginx", router.path("type").asText());
    JsonNode nginx = router.path("nginx");
    assertEquals("dynamic", nginx.path("mode").asText());
    for (String path : List.of("config_dir", "prefix", "conf")) {
      assertTrue(
          nginx.path(path).asText().startsWith(prefix),
          "catalog router.nginx." + path + " is not in the shared volume " + prefix);
    }
    String nginxCommand = String.join(" ", texts(services.path("nginx").path("command")));
    assertTrue(nginxCommand.contains("--prefix " + nginx.path("prefix").asText()));
    assertTrue(nginxCommand.contains("--config-dir " + nginx.path("config_dir").asText()));
    assertTrue(nginxCommand.contains("-c " + nginx.path("conf").asText()));
    assertTrue(nginx.path("admin").asText().startsWith("127."));

    // The service's port is published from nginx, and the catalog's copy is the worker's.
    String listenPort = nginx.path("listen").asText().replaceAll(".*:", "");
    assertTrue(
        texts(services.path("nginx").path("ports")).stream()
            .anyMatch(p -> p.endsWith(":" + listenPort + ":" + listenPort)),
        "nginx does not publish the service's port " + listenPort);
    assertEquals("/etc/trafficctl/trafficctl.yaml", env.path("TRAFFICCTL_CATALOG").asText());
    assertEquals("/etc/trafficctl", workerMounts.get("./deploy/catalog"));
  }

  @Test
  void prometheusScrapesTheServersTheCatalogNames() throws IOException {
    JsonNode environment = demoEnvironment();
    JsonNode metrics = environment.path("metrics");
    assertEquals("prometheus", metrics.path("provider").asText());
    assertEquals("http://prometheus:9090", metrics.path("address").asText());
    assertEquals("job=\"api\",version=\"{{version}}\"", metrics.path("selector").asText());

    Map<String, String> prometheusMounts = mounts(services.path("prometheus"));
    assertEquals(
        "/etc/prometheus/prometheus.yml",
        prometheusMounts.get("./deploy/prometheus/prometheus.yml"));
    JsonNode config = YAML.readTree(root.resolve("deploy/prometheus/prometheus.yml").toFile());
    Map<String, String> apiTargets = new TreeMap<>();
    Set<String> jobs = new TreeSet<>();
    for (JsonNode job : config.path("scrape_configs")) {
      jobs.add(job.path("job_name").asText());
      if (job.path("job_name").asText().equals("api")) {
        assertTrue(job.path("honor_labels").asBoolean(), "the services' version label must win");
        for (JsonNode group : job.path("static_configs")) {
          for (JsonNode target : group.path("targets")) {
            apiTargets.put(target.asText(), group.path("labels").path("version").asText());
          }
        }
      }
    }
    assertTrue(jobs.containsAll(Set.of("api", "nginx", "trafficctl-worker")), jobs.toString());

    // Each catalog server is scraped under exactly its name (the utilization query selects
    // instance="{{server}}"), labelled with its version, and is a service of the stack.
    Map<String, String> servers = new TreeMap<>();
    for (String version : fieldNames(environment.path("versions"))) {
      for (JsonNode server : environment.path("versions").path(version).path("servers")) {
        servers.put(server.asText(), version);
        String host = server.asText().substring(0, server.asText().indexOf(':'));
        assertTrue(services.has(host), "catalog server " + server + " is not a compose service");
        assertTrue(
            texts(services.path(host).path("command")).contains(version),
            host + " does not run version " + version);
      }
    }
    assertEquals(servers, apiTargets);
  }

  @Test
  void theImageBuildsInStagesAndRunsTheWorkerAsANonRootUser() throws IOException {
    List<String> lines = instructions(root.resolve("Dockerfile"));
    List<Integer> froms = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("FROM ")) {
        froms.add(i);
      }
    }
    assertTrue(froms.size() >= 2, "not a multi-stage build");
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("ARG MAVEN_IMAGE=maven:")));
    assertTrue(lines.get(froms.get(0)).contains("AS build"));
    List<String> runtime = lines.subList(froms.get(froms.size() - 1), lines.size());
    List<String> users = runtime.stream().filter(l -> l.startsWith("USER ")).toList();
    assertFalse(users.isEmpty(), "the runtime stage sets no USER");
    String user = users.get(users.size() - 1).substring(5).strip().split(":")[0];
    assertFalse(Set.of("root", "0").contains(user), "the runtime stage runs as " + user);
    assertTrue(
        runtime.stream()
            .anyMatch(l -> l.startsWith("ENTRYPOINT") && l.contains("trafficctl-worker")),
        "the worker is not the entrypoint");
    assertTrue(
        runtime.stream()
            .anyMatch(l -> l.contains("bin/trafficctl ") && l.contains("/usr/local/bin")),
        "trafficctl is not put on PATH");
    assertTrue(Files.isRegularFile(root.resolve(".dockerignore")));
  }

  // ------------------------------------------------------------------------------------ helpers --

  /** Services another one waits for with service_completed_successfully: they run and exit. */
  private static Set<String> oneShotServices() {
    Set<String> oneShot = new TreeSet<>();
    for (String name : serviceNames()) {
      JsonNode dependsOn = services.path(name).path("depends_on");
      for (String dependency : fieldNames(dependsOn)) {
        if (COMPLETED.equals(dependsOn.path(dependency).path("condition").asText())) {
          oneShot.add(dependency);
        }
      }
    }
    return oneShot;
  }

  private static List<String> serviceNames() {
    return fieldNames(services);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static List<String> texts(JsonNode node) {
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    List<String> texts = new ArrayList<>();
    node.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  /** A service's volumes as source -> target ({@code source:target[:mode]} short syntax). */
  private static Map<String, String> mounts(JsonNode service) {
    Map<String, String> mounts = new TreeMap<>();
    for (String volume : texts(service.path("volumes"))) {
      String[] parts = volume.split(":");
      assertTrue(parts.length >= 2, "volume without a target: " + volume);
      mounts.put(parts[0], parts[1]);
    }
    return mounts;
  }

  /**
   * The script a setup service runs: {@code /bin/sh /deploy/X.sh}, /deploy mounted from deploy/.
   */
  private static String deployScript(JsonNode service) throws IOException {
    List<String> entrypoint = texts(service.path("entrypoint"));
    String script = entrypoint.get(entrypoint.size() - 1);
    String mountedAt = null;
    String source = null;
    for (Map.Entry<String, String> mount : mounts(service).entrySet()) {
      if (script.startsWith(mount.getValue() + "/")) {
        source = mount.getKey();
        mountedAt = mount.getValue();
      }
    }
    assertTrue(
        source != null && source.startsWith("./deploy/"), "script not from deploy/: " + script);
    Path file = root.resolve(source.substring(2)).resolve(script.substring(mountedAt.length() + 1));
    assertTrue(Files.isRegularFile(file), file + " is missing");
    return Files.readString(file);
  }

  /** A Dockerfile's instructions, continuation lines joined, comments and blank lines left out. */
  private static List<String> instructions(Path dockerfile) throws IOException {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : Files.readAllLines(dockerfile)) {
      String line = raw.strip();
      if (line.startsWith("#") || line.isEmpty() && current.length() == 0) {
        continue;
      }
      boolean continued = line.endsWith("\\");
      current.append(continued ? line.substring(0, line.length() - 1) : line).append(' ');
      if (!continued) {
        instructions.add(current.toString().strip());
        current.setLength(0);
      }
    }
    if (current.length() > 0) {
      instructions.add(current.toString().strip());
    }
    return instructions;
  }

  /** The worker reads the compose catalog as it is: it must load, and warn about nothing. */
  @Test
  void theCatalogLoadsWithoutWarnings() {
    Path catalog = root.resolve("deploy/catalog/trafficctl.yaml");
    LoadedDocument loaded = new DocumentLoader().load(catalog);
    assertEquals(DocumentType.CATALOG, loaded.type());
    assertEquals(List.of(), loaded.warnings());
  }

  private static JsonNode demoEnvironment() throws IOException {
    JsonNode catalog = YAML.readTree(root.resolve("deploy/catalog/trafficctl.yaml").toFile());
    JsonNode environment = catalog.path("services").path("api").path("environments").path("demo");
    assertTrue(environment.isObject(), "deploy/catalog/trafficctl.yaml has no api/demo");
    return environment;
  }

  private static String tag(JsonNode service) {
    String image = service.path("image").asText();
    return image.substring(image.lastIndexOf(':') + 1);
  }

  /** {@code NAME=TYPE} pairs separated by white space. */
  private static Map<String, String> pairs(String text) {
    Map<String, String> pairs = new TreeMap<>();
    for (String pair : text.strip().split("\\s+")) {
      String[] parts = pair.split("=", 2);
      assertEquals(2, parts.length, "not NAME=TYPE: " + pair);
      assertFalse(pairs.containsKey(parts[0]), "listed twice: " + parts[0]);
      pairs.put(parts[0], parts[1]);
    }
    return pairs;
  }

  /** INDEXED_VALUE_TYPE_KEYWORD_LIST -> KeywordList, as the Temporal CLI spells types. */
  private static String typeName(String enumName) {
    return Arrays.stream(enumName.replaceFirst("^INDEXED_VALUE_TYPE_", "").split("_"))
        .map(p -> p.charAt(0) + p.substring(1).toLowerCase())
        .collect(Collectors.joining());
  }

  private static String onPath(String program) {
    Set<String> dirs = new LinkedHashSet<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(Arrays.asList(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/bin", "/usr/local/bin"));
    for (String dir : dirs) {
      Path candidate = Path.of(dir).resolve(program);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
