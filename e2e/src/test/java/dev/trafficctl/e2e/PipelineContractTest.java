package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.Validatable;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.workflows.TaskQueues;
import dev.trafficctl.workflows.abtest.AbTestInput;
import dev.trafficctl.workflows.abtest.AbTestWorkflow;
import dev.trafficctl.workflows.bluegreen.BlueGreenInput;
import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflow;
import dev.trafficctl.workflows.canary.CanaryInput;
import dev.trafficctl.workflows.canary.CanaryWorkflow;
import dev.trafficctl.workflows.splitting.MigrationInput;
import dev.trafficctl.workflows.splitting.SplitInput;
import dev.trafficctl.workflows.splitting.TrafficMigrationWorkflow;
import dev.trafficctl.workflows.splitting.TrafficSplitWorkflow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline contract of docs/pipelines.md, held to its word: its JSON examples are the
 * workflows' real inputs, a canary starts through the dev server's HTTP API with the documented
 * minimal input and no Java Temporal client, and {@code deploy --wait} exits 0 when promoted, 1
 * when rolled back and 5 when its {@code --timeout} runs out first. A file router and no
 * Prometheus: the rollback comes from metrics that cannot be read.
 */
class PipelineContractTest {

  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = JsonMapping.json();

  @TempDir static Path dir;

  private static DevServer server;
  private static WorkerProcess worker;
  private static Cli cli;
  private static OkHttpClient http;

  @BeforeAll
  static void start() throws Exception {
    server = new DevServer(dir.resolve("temporal"));
    server.start();
    // Nothing listens here: every analysis of the "broken" environment is an error.
    int deadPort = Ports.free();
    Path catalog = dir.resolve("trafficctl.yaml");
    Files.writeString(
        catalog,
        """
        services:
          api:
            environments:
              staging:
                router: { type: file, file: { state_dir: routes } }
                versions:
                  v1: { servers: ["127.0.0.1:19081"] }
                  v2: { servers: ["127.0.0.1:19082"] }
              pipeline:
                router: { type: file, file: { state_dir: routes-pipeline } }
                versions:
                  v1: { servers: ["127.0.0.1:19081"] }
                  v2: { servers: ["127.0.0.1:19082"] }
              gated:
                router: { type: file, file: { state_dir: routes-gated } }
                versions:
                  v1: { servers: ["127.0.0.1:19081"] }
                  v2: { servers: ["127.0.0.1:19082"] }
              broken:
                router: { type: file, file: { state_dir: routes-broken } }
                versions:
                  v1: { servers: ["127.0.0.1:19081"] }
                  v2: { servers: ["127.0.0.1:19082"] }
                metrics:
                  provider: prometheus
                  address: "http://127.0.0.1:%d"
                  selector: 'job="api",version="{{version}}"'
        """
            .formatted(deadPort));
    Path state = Files.createDirectories(dir.resolve("worker"));
    worker = WorkerProcess.start(server.address(), state, dir.resolve("worker.log"));
    cli = new Cli(server.address(), catalog);
    http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();
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

  @Test
  void everyDocumentedInputIsTheWorkflowsRealInput() throws Exception {
    String doc = docs();
    for (String type :
        List.of(
            CanaryWorkflow.TYPE,
            BlueGreenWorkflow.TYPE,
            TrafficSplitWorkflow.TYPE,
            TrafficMigrationWorkflow.TYPE,
            AbTestWorkflow.TYPE,
            TaskQueues.ROLLOUTS)) {
      assertTrue(doc.contains("`" + type + "`"), "docs/pipelines.md names " + type);
    }
    checkExample(doc, "canary", CanaryInput.class);
    checkExample(doc, "canary-minimal", CanaryInput.class);
    checkExample(doc, "blue-green", BlueGreenInput.class);
    checkExample(doc, "split", SplitInput.class);
    checkExample(doc, "migration", MigrationInput.class);
    checkExample(doc, "ab-test", AbTestInput.class);
  }

  @Test
  void theGithubActionsExampleIsYamlThatDeploysWithWait() throws Exception {
    Path file = ProjectPaths.root().resolve("examples/ci/github-actions.yml");
    JsonNode workflow = JsonMapping.yaml().readTree(file.toFile());
    JsonNode steps = workflow.path("jobs").path("canary").path("steps");
    assertTrue(steps.isArray() && steps.size() > 0, "a job with steps");
    String runs = steps.findValuesAsText("run").toString();
    assertTrue(runs.contains("trafficctl validate"), runs);
    assertTrue(runs.contains("--wait --timeout \"$WAIT\" --output json"), runs);
    assertTrue(runs.contains("5) ") && runs.contains("trafficctl traffic canary abort"), runs);
  }

  @Test
  void aCanaryStartedThroughTheHttpApiIsPromoted() throws Exception {
    JsonNode input = MAPPER.readTree(example(docs(), "canary-minimal"));
    String workflowId = input.path("env").asText() + "." + input.path("service").asText();
    ObjectNode body = MAPPER.createObjectNode();
    body.putObject("workflowType").put("name", CanaryWorkflow.TYPE);
    body.putObject("taskQueue").put("name", TaskQueues.ROLLOUTS);
    body.putArray("input").add(input);
    body.put("identity", "ci/pipeline-1234");
    String start = server.httpAddress() + "/api/v1/namespaces/default/workflows/" + workflowId;

    JsonNode started = post(start, body, 200);
    assertTrue(started.path("started").asBoolean(), started.toString());
    // One owner per service: a second start is refused while the first runs.
    JsonNode refused = post(start, body, 409);
    assertTrue(refused.path("message").asText().contains("already running"), refused.toString());

    JsonNode status =
        cli.awaitStatus(
            "api",
            "staging",
            "promoted",
            Duration.ofSeconds(45),
            s -> s.path("phase").asText().equals("Promoted"));
    assertEquals("v2", status.path("candidate_version").asText());
    assertEquals(100, status.path("weight").asInt());
    assertEquals(workflowId, status.path("workflow_id").asText());

    // The status query answers through the HTTP API too, in shorthand: one JSON value.
    JsonNode query =
        post(start + "/query/status", MAPPER.createObjectNode(), 200).path("queryResult");
    assertEquals("Promoted", query.path(0).path("phase").asText(), query.toString());
  }

  @Test
  void deployWaitExitsZeroWhenPromoted() throws Exception {
    Path doc = dir.resolve("canary-ok.yaml");
    Files.writeString(
        doc,
        """
        canary:
          api:
            steps:
              - { traffic_percent: 50, duration: 2s }
              - traffic_percent: 100
        """);
    Run run = deployWait("pipeline", doc).expect(0);
    JsonNode status = MAPPER.readTree(run.out());
    assertEquals("Promoted", status.path("phase").asText(), run.out());
    assertEquals(100, status.path("weight").asInt());
  }

  @Test
  void deployWaitExitsOneWhenRolledBack() throws Exception {
    Path doc = dir.resolve("canary-unmeasurable.yaml");
    Files.writeString(
        doc,
        """
        canary:
          api:
            steps:
              - { traffic_percent: 50, duration: 30s }
              - traffic_percent: 100
            metrics:
              error_rate: { threshold: 1, window: 1m }
            analysis: { interval: 1s, consecutive_error_limit: 1 }
            auto_rollback: true
        """);
    Run run = deployWait("broken", doc).expect(1);
    JsonNode status = MAPPER.readTree(run.out());
    assertEquals("RolledBack", status.path("phase").asText(), run.out());
    assertEquals(0, status.path("weight").asInt());
    assertEquals("error", status.path("last_analysis").path("verdict").asText(), run.out());
  }

  @Test
  void deployWaitTimeoutExitsFiveAndTheCanaryGoesOn() throws Exception {
    Path doc = dir.resolve("canary-gated.yaml");
    Files.writeString(
        doc,
        """
        canary:
          api:
            steps:
              - { traffic_percent: 50, duration: 1s }
              - traffic_percent: 100
            auto_promote: false
        """);
    // The gate is reached a second or two after the start; the wait gives up well after that.
    Run run = deployWait("gated", doc, "--timeout", "8s").expect(5);
    JsonNode status = MAPPER.readTree(run.out());
    assertEquals("Paused", status.path("phase").asText(), run.out());
    assertEquals(50, status.path("weight").asInt());
    assertTrue(
        run.err()
            .endsWith(
                "trafficctl: gated.api: still Paused after 8s; it goes on (trafficctl traffic"
                    + " canary status|abort api --env gated)\n"),
        run.err());
    // Still waiting for its promotion, which a person (or the next pipeline step) may give.
    cli.run("traffic", "canary", "promote", "api", "--env", "gated").expect(0);
    JsonNode promoted =
        cli.awaitStatus(
            "api",
            "gated",
            "promoted after the wait gave up",
            Duration.ofSeconds(30),
            s -> s.get("phase").asText().equals("Promoted"));
    assertEquals(100, promoted.path("weight").asInt());
  }

  private static Run deployWait(String env, Path doc, String... extra) {
    List<String> args = new ArrayList<>(List.of("--wait", "-o", "json"));
    args.addAll(List.of(extra));
    return cli.deploy("api", env, "v2", doc, args.toArray(String[]::new));
  }

  private static JsonNode post(String url, JsonNode body, int expected) throws IOException {
    Request request =
        new Request.Builder()
            .url(url)
            .post(RequestBody.create(MAPPER.writeValueAsString(body), JSON))
            .build();
    try (Response response = http.newCall(request).execute()) {
      String text = response.body() == null ? "" : response.body().string();
      assertEquals(expected, response.code(), "POST " + url + ": " + text);
      return MAPPER.readTree(text);
    }
  }

  private static String docs() throws IOException {
    return Files.readString(
        ProjectPaths.root().resolve("docs/pipelines.md"), StandardCharsets.UTF_8);
  }

  /** The ```json block after {@code <!-- contract: NAME -->}. */
  private static String example(String doc, String name) {
    Matcher m =
        Pattern.compile(
                "<!-- contract: " + Pattern.quote(name) + " -->\\s*```json\\n(.*?)```",
                Pattern.DOTALL)
            .matcher(doc);
    assertTrue(m.find(), "docs/pipelines.md has the example " + name);
    return m.group(1);
  }

  /** Binds the example as the workflow does (unknown fields fail) and validates it. */
  private static void checkExample(String doc, String name, Class<? extends Validatable> type)
      throws IOException {
    String json = example(doc, name);
    Validatable input = MAPPER.readValue(json, type);
    DocumentLoader.validate("docs/pipelines.md " + name, input);
    // And nothing the example says is lost on the way: its fields survive a round trip.
    JsonNode written = MAPPER.readTree(json);
    JsonNode bound = MAPPER.valueToTree(input);
    for (Iterator<String> it = written.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      assertTrue(bound.has(field), name + ": " + field + " survives binding");
    }
  }
}
