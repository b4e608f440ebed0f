package dev.trafficctl.cli.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.Trafficctl;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.testing.RolloutStatuses;
import dev.trafficctl.workflows.RolloutVisibility;
import dev.trafficctl.workflows.TrafficDataConverter;
import dev.trafficctl.workflows.TrafficSearchAttributes;
import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflow;
import dev.trafficctl.workflows.canary.CanaryWorkflow;
import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.splitting.SplitResult;
import dev.trafficctl.workflows.splitting.TrafficSplitWorkflow;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.converter.EncodedValues;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.DynamicWorkflow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A blue-green start on a service whose traffic another strategy's versions hold is refused before
 * anything starts: exit 4, one line saying whose weights they are and how to move the traffic to
 * one color. The CLI talks to Temporal's test server on a loopback port, where the service's last
 * run is put on record as the strategy's workflow leaves it (its type, its final status in the
 * memo, its result); no worker runs the blue-green workflow.
 */
@Timeout(60)
class BlueGreenStartRefusalTest {

  private static final String WORKFLOW_ID = "production.api";
  private static final String RECORDS_QUEUE = "records";

  private static TestServer.PortBoundTestServer server;
  private static WorkflowServiceStubs service;
  private static WorkflowClient client;
  private static WorkerFactory workers;
  private static int port;

  @TempDir Path dir;
  private Path catalog;

  /** Completes any workflow type at once with its argument as its result: a run put on record. */
  public static final class RecordedRun implements DynamicWorkflow {
    @Override
    public Object execute(EncodedValues args) {
      return args.get(0, SplitResult.class);
    }
  }

  @BeforeAll
  static void temporal() {
    port = Ports.free();
    server = TestServer.createPortBoundServer(port);
    service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + port)
                .validateAndBuildWithDefaults());
    AddSearchAttributesRequest.Builder attributes =
        AddSearchAttributesRequest.newBuilder().setNamespace("default");
    for (SearchAttributeKey<?> key : TrafficSearchAttributes.ALL) {
      attributes.putSearchAttributes(key.getName(), key.getValueType());
    }
    operator.blockingStub().addSearchAttributes(attributes.build());
    client =
        WorkflowClient.newInstance(
            service,
            WorkflowClientOptions.newBuilder()
                .setDataConverter(TrafficDataConverter.get())
                .setNamespace("default")
                .build());
    workers = WorkerFactory.newInstance(client);
    Worker worker = workers.newWorker(RECORDS_QUEUE);
    worker.registerWorkflowImplementationTypes(RecordedRun.class);
    workers.start();
  }

  @AfterAll
  static void stop() {
    workers.shutdownNow();
    service.shutdownNow();
    server.close();
  }

  @BeforeEach
  void documents() throws IOException {
    // A blue-green run another test started waits for a worker that never comes: end it.
    try {
      client.newUntypedWorkflowStub(WORKFLOW_ID).terminate("next test");
    } catch (RuntimeException e) {
      // none ran, or it has ended
    }
    catalog = dir.resolve("trafficctl.yaml");
    Files.writeString(
        catalog,
        """
        services:
          api:
            environments:
              production:
                router: { type: file, file: { state_dir: routes } }
                versions:
                  v1: { servers: ["127.0.0.1:18081"] }
                  v2: { servers: ["127.0.0.1:18082"] }
                  blue: { servers: ["127.0.0.1:18083"] }
                  green: { servers: ["127.0.0.1:18084"] }
        """);
    Files.createDirectories(dir.resolve("traffic"));
    Files.writeString(
        dir.resolve("traffic/blue-green.yaml"),
        """
        blue_green:
          api:
            environments:
              blue: { weight: 100, instances: 1 }
              green: { weight: 0, instances: 1 }
        """);
  }

  /** Puts a finished run of {@code type} on record as the service's last one. */
  private static void record(String type, RolloutStatus status, SplitResult result) {
    WorkflowStub run =
        client.newUntypedWorkflowStub(
            type,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WORKFLOW_ID)
                .setTaskQueue(RECORDS_QUEUE)
                .setMemo(Map.of(RolloutVisibility.MEMO_STATUS, status))
                .build());
    run.start(result);
    run.getResult(SplitResult.class);
  }

  private static String latestType() {
    return client.newUntypedWorkflowStub(WORKFLOW_ID).describe().getWorkflowType();
  }

  private record Run(int exit, String out, String err) {}

  private Run trafficctl(String... args) {
    List<String> all = new ArrayList<>(List.of("traffic", "blue-green"));
    all.addAll(List.of(args));
    all.addAll(
        List.of(
            "api",
            "--env",
            "production",
            "--catalog",
            catalog.toString(),
            "--address",
            "127.0.0.1:" + port));
    CommandLine cli = Trafficctl.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private static RolloutStatus canaryPromoted() {
    return RolloutStatuses.canary()
        .phase(Phase.PROMOTED)
        .message("v2 serves 100% and is the stable version")
        .step(5)
        .totalSteps(5)
        .weight(100)
        .phaseSince(Instant.now())
        .updatedAt(Instant.now())
        .build();
  }

  @Test
  void deployAfterACanaryIsRefusedBeforeStarting() {
    record(CanaryWorkflow.TYPE, canaryPromoted(), null);

    Run run = trafficctl("deploy", "--auto-promote", "--wait");
    assertEquals(ExitCode.REFUSED, run.exit(), run.err());
    assertEquals("", run.out());
    assertEquals(
        "trafficctl: production.api: the router holds version weights {v1=0, v2=100} from the"
            + " last canary, not blue and green; move all traffic to one color first: trafficctl"
            + " traffic split api --env production --blue=100 (or --green=100; blue and green must"
            + " be versions in the catalog)",
        run.err().strip());
    assertEquals(1, run.err().lines().count(), "one line");
    assertEquals(CanaryWorkflow.TYPE, latestType(), "no blue-green run started");
  }

  @Test
  void aManualSwitchAfterACanaryIsRefusedToo() {
    record(CanaryWorkflow.TYPE, canaryPromoted(), null);

    Run run = trafficctl("switch", "--from", "blue", "--to", "green");
    assertEquals(ExitCode.REFUSED, run.exit(), run.err());
    assertTrue(
        run.err().contains("the router holds version weights {v1=0, v2=100} from the last canary"),
        run.err());
    assertEquals(CanaryWorkflow.TYPE, latestType());
  }

  @Test
  void deployAfterASplitOntoOneColorStarts() {
    // The way out the refusal names: a split that put all traffic on blue.
    RolloutStatus split =
        RolloutStatuses.canary()
            .strategy("split")
            .stableVersion(null)
            .candidateVersion("blue")
            .phase(Phase.PROMOTED)
            .message("blue=100 in force")
            .weight(100)
            .phaseSince(Instant.now())
            .updatedAt(Instant.now())
            .build();
    record(
        TrafficSplitWorkflow.TYPE,
        split,
        new SplitResult(Map.of("blue", 100), split, RoutingRules.NONE));

    Run run = trafficctl("deploy", "--auto-promote");
    assertNotEquals(ExitCode.REFUSED, run.exit(), run.err());
    assertTrue(run.out().startsWith("started production.api"), run.out() + run.err());
    assertEquals(BlueGreenWorkflow.TYPE, latestType());
    // The test server cannot say whether a worker polls (no DescribeTaskQueue), which the command
    // asks after the start; what matters here is that the start was not refused.
  }
}
