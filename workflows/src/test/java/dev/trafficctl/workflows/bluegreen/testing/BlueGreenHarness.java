package dev.trafficctl.workflows.bluegreen.testing;

import dev.trafficctl.workflows.TaskQueues;
import dev.trafficctl.workflows.bluegreen.BlueGreenInput;
import dev.trafficctl.workflows.bluegreen.BlueGreenResult;
import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflow;
import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflowImpl;
import dev.trafficctl.workflows.canary.testing.CanaryHarness;
import dev.trafficctl.workflows.canary.testing.FakeRouter;
import dev.trafficctl.workflows.canary.testing.RecordingNotifier;
import dev.trafficctl.workflows.canary.testing.ScriptedMetrics;
import dev.trafficctl.workflows.reconcile.RouteReconcileWorkflowImpl;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@link BlueGreenWorkflowImpl} on Temporal's time-skipping test server, on fakes, configured as
 * the product's client (see {@link CanaryHarness#newEnvironment()}). Blue serves 100% at first.
 */
public final class BlueGreenHarness implements AutoCloseable {

  public static final String WORKFLOW_ID = "production.api";

  public final FakeRouter router = new FakeRouter(Map.of("blue", 100, "green", 0));
  public final ScriptedMetrics metrics = new ScriptedMetrics();
  public final FakeHealthChecker health = new FakeHealthChecker();
  public final RecordingNotifier notifier = new RecordingNotifier();

  private final TestWorkflowEnvironment env;
  private Instant started;

  public BlueGreenHarness() {
    env = CanaryHarness.newEnvironment();
    Worker worker = env.newWorker(TaskQueues.ROLLOUTS);
    worker.registerWorkflowImplementationTypes(
        BlueGreenWorkflowImpl.class, RouteReconcileWorkflowImpl.class);
    worker.registerActivitiesImplementations(router, metrics, health, notifier);
    env.start();
  }

  /** Starts a rollout as the CLI does (id {@code production.api}). */
  public BlueGreenWorkflow start(BlueGreenInput input) {
    BlueGreenWorkflow workflow =
        env.getWorkflowClient()
            .newWorkflowStub(
                BlueGreenWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(WORKFLOW_ID)
                    .setTaskQueue(TaskQueues.ROLLOUTS)
                    .build());
    started = now();
    WorkflowClient.start(workflow::run, input);
    return workflow;
  }

  public Instant started() {
    return started;
  }

  /**
   * Polls the status, letting {@code step} of workflow time pass between polls, until {@code
   * condition} holds; fails after {@code within} of workflow time with the last status.
   */
  public RolloutStatus await(
      BlueGreenWorkflow workflow, Predicate<RolloutStatus> condition, Duration within) {
    Instant deadline = now().plus(within);
    RolloutStatus last = workflow.status();
    while (!condition.test(last)) {
      if (now().isAfter(deadline)) {
        throw new AssertionError("condition not reached within " + within + "; status: " + last);
      }
      env.sleep(Duration.ofSeconds(1));
      last = workflow.status();
    }
    return last;
  }

  /** Lets workflow time pass until the workflow has closed; returns its result. */
  public BlueGreenResult result(BlueGreenWorkflow workflow) {
    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    Instant deadline = now().plus(Duration.ofHours(3));
    while (stub.describe().getStatus()
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      if (now().isAfter(deadline)) {
        throw new AssertionError("still running after 3h; status: " + workflow.status());
      }
      env.sleep(Duration.ofSeconds(10));
    }
    return stub.getResult(BlueGreenResult.class);
  }

  public void sleep(Duration d) {
    env.sleep(d);
  }

  public Instant now() {
    return Instant.ofEpochMilli(env.currentTimeMillis());
  }

  public WorkflowClient client() {
    return env.getWorkflowClient();
  }

  @Override
  public void close() {
    env.close();
  }
}
