package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.testing.Waits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees of rollouts in the Temporal Web UI, seen through a real browser: Debian's
 * headless Chromium, driven by playwright-core ({@code e2e/src/test/browser/web-ui.mjs}), against
 * the UI of one dev server whose worker runs two paused canaries and holds an aborted one. The
 * workflows list filtered by {@code TrafficService="api"} shows the rollout and not another
 * service's; the workflow's page shows its search attributes and the memo's status with phase
 * Paused; the list, with the columns docs/web-ui.md adds, shows each rollout's phase, strategy,
 * version and weight, and keeps a saved view; the aborted canary's page says how it ended without
 * any configuration. Screenshots are left in {@code e2e/target/web-ui/}.
 */
class WebUiBrowserTest {

  private static final String ENV = "webui";
  private static final String WORKFLOW_ID = ENV + ".api";
  private static final String OTHER_WORKFLOW_ID = ENV + ".web";
  private static final String ABORTED_WORKFLOW_ID = ENV + ".pay";
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir static Path dir;

  private static Path browser;
  private static Path shots;
  private static DevServer server;
  private static WorkerProcess worker;

  /** One dev server and worker for the class: api and web paused at 20%, pay aborted at 20%. */
  @BeforeAll
  static void startTheRollouts() throws Exception {
    browser = ProjectPaths.root().resolve("e2e/src/test/browser");
    requireBrowserTools(browser);
    shots = ProjectPaths.root().resolve("e2e/target/web-ui");
    clear(shots);

    Path catalog = dir.resolve("trafficctl.yaml");
    StringBuilder services = new StringBuilder("services:\n");
    int port = 19081;
    for (String service : List.of("api", "web", "pay")) {
      services.append(
          """
            %s:
              environments:
                webui:
                  router: { type: file, file: { state_dir: routes-%s } }
                  versions:
                    v1: { servers: ["127.0.0.1:%d"] }
                    v2: { servers: ["127.0.0.1:%d"] }
          """
              .formatted(service, service, port, port + 1));
      port += 2;
    }
    Files.writeString(catalog, services.toString());
    server = new DevServer(dir.resolve("temporal"));
    server.start();
    Path state = Files.createDirectories(dir.resolve("worker"));
    worker = WorkerProcess.start(server.address(), state, dir.resolve("worker.log"));
    Cli cli = new Cli(server.address(), catalog);
    for (String service : List.of("api", "web", "pay")) {
      cli.deployCanary(service, ENV, "v2", pausedCanary(service));
    }
    for (String service : List.of("api", "pay")) {
      JsonNode status =
          cli.awaitStatus(
              service,
              ENV,
              service + " paused for promotion",
              Duration.ofSeconds(60),
              s -> s.path("phase").asText().equals("Paused"));
      assertEquals(20, status.path("weight").asInt(), status.toString());
    }
    cli.run("traffic", "canary", "abort", "pay", "--env", ENV, "--reason", "bad build").expect(0);
    JsonNode aborted =
        cli.awaitStatus(
            "pay",
            ENV,
            "pay aborted",
            Duration.ofSeconds(60),
            s -> s.path("phase").asText().equals("Aborted"));
    assertEquals(0, aborted.path("weight").asInt(), aborted.toString());
    // In the visibility store as they are, so the list can filter them.
    Waits.until(
        "two canaries listed as Paused and one as Aborted",
        Duration.ofSeconds(30),
        () ->
            count("TrafficEnv=\"" + ENV + "\" AND TrafficPhase=\"Paused\"")
                + " "
                + count("TrafficEnv=\"" + ENV + "\" AND TrafficPhase=\"Aborted\""),
        out -> out.equals("2 1"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static String count(String query) {
    String out = server.temporal(List.of("workflow", "count", "--query", query)).expect(0).out();
    return out.replaceAll("(?s).*Total: (\\d+).*", "$1").trim();
  }

  @Test
  void theWorkflowsListAndTheWorkflowPageShowAPausedCanary() throws Exception {
    JsonNode result =
        browse(
            "details",
            "--workflow-id",
            WORKFLOW_ID,
            "--query",
            "TrafficService=\"api\"",
            "--phase",
            "Paused",
            "--absent",
            OTHER_WORKFLOW_ID);

    JsonNode list = result.path("list");
    assertTrue(list.path("url").asText().contains("query="), list.toString());
    assertTrue(texts(list.path("row")).contains(WORKFLOW_ID), list.toString());
    assertTrue(texts(list.path("row")).contains("Canary"), list.toString());
    assertTrue(texts(list.path("filters")).contains("TrafficService = \"api\""), list.toString());
    for (JsonNode row : list.path("rows")) {
      assertTrue(!texts(row).contains(OTHER_WORKFLOW_ID), list.toString());
    }

    JsonNode details = result.path("details");
    assertTrue(
        details.path("url").asText().contains("/workflows/" + WORKFLOW_ID + "/"),
        details.toString());
    JsonNode attributes = details.path("search_attributes");
    assertEquals("api", attributes.path("TrafficService").asText(), attributes.toString());
    assertEquals(ENV, attributes.path("TrafficEnv").asText(), attributes.toString());
    assertEquals("canary", attributes.path("TrafficStrategy").asText(), attributes.toString());
    assertEquals("Paused", attributes.path("TrafficPhase").asText(), attributes.toString());
    assertEquals(20, attributes.path("TrafficWeight").asInt(), attributes.toString());
    assertEquals("v2", attributes.path("TrafficVersion").asText(), attributes.toString());
    JsonNode memo = details.path("memo_status");
    assertEquals("Paused", memo.path("phase").asText(), memo.toString());
    assertEquals(WORKFLOW_ID, memo.path("workflow_id").asText(), memo.toString());
    assertEquals(20, memo.path("weight").asInt(), memo.toString());
    assertTrue(memo.path("message").asText().contains("waiting for promote"), memo.toString());
    // The User Metadata tab: the summary set at start and the workflow's current details.
    String metadata = details.path("metadata_text").asText();
    for (String shown :
        List.of(
            "canary api (webui) -> v2",
            "Paused: waiting for promote",
            "canary of api in webui, v1 -> v2, weight 20%")) {
      assertTrue(metadata.contains(shown), shown + " in: " + metadata);
    }

    for (String name : List.of("list.png", "details.png", "memo.png", "metadata.png")) {
      assertScreenshot(shots.resolve(name));
    }
  }

  /**
   * The steps of docs/web-ui.md, clicked through as a person would: the rollouts' search attributes
   * added as columns (kept in the browser's local storage, per namespace), then a saved view of the
   * environment's rollouts made from a link.
   */
  @Test
  void columnsAndASavedViewShowEachRolloutsPhaseVersionAndWeight() throws Exception {
    String query = "TrafficEnv=\"" + ENV + "\"";
    JsonNode result = browse("columns", "--query", query, "--saved-view", "webui rollouts");

    JsonNode list = result.path("columns");
    List<String> columns =
        List.of(
            "Status",
            "Workflow ID",
            "End",
            "TrafficStrategy",
            "TrafficPhase",
            "TrafficVersion",
            "TrafficWeight");
    assertEquals(columns, texts(list.path("headers")), list.toString());
    // What the UI stored in the browser: what docs/web-ui.md sets from the console, too.
    List<String> stored = new ArrayList<>();
    list.path("stored").path("default").forEach(c -> stored.add(c.path("label").asText()));
    assertEquals(columns, stored, list.toString());
    Map<String, Map<String, String>> rows = new HashMap<>();
    for (JsonNode row : list.path("rows")) {
      Map<String, String> cells = new HashMap<>();
      row.fields().forEachRemaining(cell -> cells.put(cell.getKey(), cell.getValue().asText()));
      rows.put(cells.get("Workflow ID"), cells);
    }
    assertEquals(
        Set.of(WORKFLOW_ID, OTHER_WORKFLOW_ID, ABORTED_WORKFLOW_ID),
        rows.keySet(),
        list.toString());
    Map<String, String> paused = rows.get(WORKFLOW_ID);
    assertEquals("RUNNING", paused.get("Status").toUpperCase(Locale.ROOT), paused.toString());
    assertEquals("canary", paused.get("TrafficStrategy"), paused.toString());
    assertEquals("Paused", paused.get("TrafficPhase"), paused.toString());
    assertEquals("v2", paused.get("TrafficVersion"), paused.toString());
    assertEquals("20", paused.get("TrafficWeight"), paused.toString());
    // Temporal's status says the workflow completed its work; the phase says how the rollout ended.
    Map<String, String> aborted = rows.get(ABORTED_WORKFLOW_ID);
    assertEquals("COMPLETED", aborted.get("Status").toUpperCase(Locale.ROOT), aborted.toString());
    assertEquals("Aborted", aborted.get("TrafficPhase"), aborted.toString());
    assertEquals("v2", aborted.get("TrafficVersion"), aborted.toString());
    assertEquals("0", aborted.get("TrafficWeight"), aborted.toString());

    JsonNode view = result.path("saved_view");
    assertEquals("webui rollouts", view.path("name").asText(), view.toString());
    assertEquals(query, view.path("query").asText(), view.toString());
    assertTrue(view.path("button_visible").asBoolean(), view.toString());
    assertScreenshot(shots.resolve("columns.png"));
  }

  /**
   * With no configuration at all, an aborted canary's page says how it ended: its result's phase
   * and message, and the current details' first line, where its traffic stood when it stopped.
   */
  @Test
  void anAbortedCanarysPageSaysHowItEndedWithoutConfiguration() throws Exception {
    JsonNode result = browse("outcome", "--workflow-id", ABORTED_WORKFLOW_ID);

    JsonNode outcome = result.path("outcome");
    JsonNode status = outcome.path("result").path("status");
    assertEquals("Aborted", status.path("phase").asText(), outcome.toString());
    assertEquals(
        "aborted by e2e-tester: \"bad build\"; v1 serves 100%",
        status.path("message").asText(), outcome.toString());
    // The UI renders Markdown typographically: 1/2 as a fraction, quotes curled.
    String metadata =
        outcome
            .path("metadata_text")
            .asText()
            .replace('\u2044', '/')
            .replace('\u201c', '"')
            .replace('\u201d', '"');
    assertTrue(
        metadata.contains(
            "Aborted at 20% on v2 (step 1/2): aborted by e2e-tester: \"bad build\"; v1 serves"
                + " 100%"),
        metadata);
    for (String name : List.of("outcome.png", "outcome-metadata.png")) {
      assertScreenshot(shots.resolve(name));
    }
  }

  /**
   * Runs web-ui.mjs in {@code mode} against the dev server's UI; its JSON report, which says ok.
   */
  private static JsonNode browse(String mode, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "node",
                browser.resolve("web-ui.mjs").toString(),
                mode,
                "--ui",
                server.uiAddress(),
                "--out",
                shots.toString()));
    command.addAll(List.of(args));
    long started = System.nanoTime();
    Run run = Run.of(command, Map.of(), browser, Duration.ofMinutes(3));
    System.out.printf(
        Locale.ROOT,
        "web UI browser run (%s): %d ms, exit %d%n%s",
        mode,
        (System.nanoTime() - started) / 1_000_000,
        run.exitCode(),
        run.out());
    run.expect(0);
    JsonNode result = json(run.out());
    assertTrue(result.path("ok").asBoolean(), run.out());
    return result;
  }

  /** Fails, never skips, when the browser or its driver is missing: CI must have installed them. */
  static void requireBrowserTools(Path browser) {
    assertTrue(
        Files.isExecutable(CHROMIUM),
        CHROMIUM
            + " is missing: install Debian's chromium (apt-get install --no-install-recommends"
            + " chromium); scripts/test-all.sh does");
    Run node = Run.of(List.of("node", "--version"), Map.of(), browser, Duration.ofSeconds(30));
    assertEquals(0, node.exitCode(), "node is not runnable: " + node.err());
    assertTrue(
        Files.isRegularFile(browser.resolve("node_modules/playwright-core/package.json")),
        "playwright-core is not installed in "
            + browser.resolve("node_modules")
            + ": run npm ci --prefix e2e/src/test/browser; scripts/test-all.sh does");
  }

  private static Path pausedCanary(String service) throws IOException {
    Path doc = dir.resolve("canary-" + service + ".yaml");
    Files.writeString(
        doc,
        """
        canary:
          %s:
            steps:
              - { traffic_percent: 20, duration: 1s }
              - traffic_percent: 100
            auto_promote: false
        """
            .formatted(service));
    return doc;
  }

  /** A PNG of a real page: readable, window-sized and not a blank or single-colored image. */
  private static void assertScreenshot(Path png) throws IOException {
    assertTrue(Files.isRegularFile(png), png + " was not written");
    long bytes = Files.size(png);
    assertTrue(bytes > 10_000, png + " is only " + bytes + " bytes");
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(image != null, png + " is not an image");
    assertTrue(
        image.getWidth() >= 1000 && image.getHeight() >= 600,
        png + " is " + image.getWidth() + "x" + image.getHeight());
    Set<Integer> colors = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 4) {
      for (int x = 0; x < image.getWidth(); x += 4) {
        colors.add(image.getRGB(x, y));
      }
    }
    assertTrue(colors.size() >= 20, png + " has only " + colors.size() + " colors");
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  private static JsonNode json(String text) {
    try {
      return JsonMapping.json().readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("web-ui.mjs printed no JSON:\n" + text, e);
    }
  }

  private static void clear(Path shots) throws IOException {
    Files.createDirectories(shots);
    try (Stream<Path> files = Files.list(shots)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".png")).toList()) {
        Files.delete(file);
      }
    }
  }
}
