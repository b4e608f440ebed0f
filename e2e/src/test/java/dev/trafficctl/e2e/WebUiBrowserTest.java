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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees of a rollout in the Temporal Web UI, seen through a real browser: Debian's
 * headless Chromium, driven by playwright-core ({@code e2e/src/test/browser/web-ui.mjs}), against
 * the UI of a dev server whose worker runs a paused canary. The workflows list filtered by {@code
 * TrafficService="api"} shows the rollout and not another service's; the workflow's page shows its
 * search attributes and the memo's status with phase Paused. Screenshots of the list, the search
 * attributes and the memo are left in {@code e2e/target/web-ui/}.
 */
class WebUiBrowserTest {

  private static final String ENV = "webui";
  private static final String WORKFLOW_ID = ENV + ".api";
  private static final String OTHER_WORKFLOW_ID = ENV + ".web";
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir Path dir;

  @Test
  void theWorkflowsListAndTheWorkflowPageShowAPausedCanary() throws Exception {
    Path browser = ProjectPaths.root().resolve("e2e/src/test/browser");
    requireBrowserTools(browser);
    Path shots = ProjectPaths.root().resolve("e2e/target/web-ui");
    clear(shots);

    Path catalog = dir.resolve("trafficctl.yaml");
    Files.writeString(
        catalog,
        """
        services:
          api:
            environments:
              webui:
                router: { type: file, file: { state_dir: routes-api } }
                versions:
                  v1: { servers: ["127.0.0.1:19081"] }
                  v2: { servers: ["127.0.0.1:19082"] }
          web:
            environments:
              webui:
                router: { type: file, file: { state_dir: routes-web } }
                versions:
                  v1: { servers: ["127.0.0.1:19083"] }
                  v2: { servers: ["127.0.0.1:19084"] }
        """);
    try (DevServer server = new DevServer(dir.resolve("temporal"))) {
      server.start();
      Path state = Files.createDirectories(dir.resolve("worker"));
      try (WorkerProcess worker =
          WorkerProcess.start(server.address(), state, dir.resolve("worker.log"))) {
        Cli cli = new Cli(server.address(), catalog);
        cli.deployCanary("api", ENV, "v2", pausedCanary("api"));
        cli.deployCanary("web", ENV, "v2", pausedCanary("web"));
        JsonNode status =
            cli.awaitStatus(
                "api",
                ENV,
                "paused for promotion",
                Duration.ofSeconds(60),
                s -> s.path("phase").asText().equals("Paused"));
        assertEquals(20, status.path("weight").asInt(), status.toString());
        // Both rollouts paused in the visibility store, so the list can filter one of them out.
        Waits.until(
            "both canaries listed as Paused",
            Duration.ofSeconds(30),
            () ->
                server
                    .temporal(
                        List.of(
                            "workflow",
                            "count",
                            "--query",
                            "TrafficEnv=\"" + ENV + "\" AND TrafficPhase=\"Paused\""))
                    .expect(0)
                    .out(),
            out -> out.contains("Total: 2"));

        long started = System.nanoTime();
        Run run =
            Run.of(
                List.of(
                    "node",
                    browser.resolve("web-ui.mjs").toString(),
                    "--ui",
                    server.uiAddress(),
                    "--workflow-id",
                    WORKFLOW_ID,
                    "--query",
                    "TrafficService=\"api\"",
                    "--phase",
                    "Paused",
                    "--absent",
                    OTHER_WORKFLOW_ID,
                    "--out",
                    shots.toString()),
                Map.of(),
                browser,
                Duration.ofMinutes(3));
        System.out.printf(
            Locale.ROOT,
            "web UI browser run: %d ms, exit %d%n%s",
            (System.nanoTime() - started) / 1_000_000,
            run.exitCode(),
            run.out());
        run.expect(0);
        JsonNode result = json(run.out());

        assertTrue(result.path("ok").asBoolean(), run.out());
        JsonNode list = result.path("list");
        assertTrue(list.path("url").asText().contains("query="), list.toString());
        assertTrue(texts(list.path("row")).contains(WORKFLOW_ID), list.toString());
        assertTrue(texts(list.path("row")).contains("Canary"), list.toString());
        assertTrue(
            texts(list.path("filters")).contains("TrafficService = \"api\""), list.toString());
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
        assertTrue(worker.logText().contains("polling"), worker.logText());
      }
    }
  }

  /** Fails, never skips, when the browser or its driver is missing: CI must have installed them. */
  private static void requireBrowserTools(Path browser) {
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

  private Path pausedCanary(String service) throws IOException {
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
