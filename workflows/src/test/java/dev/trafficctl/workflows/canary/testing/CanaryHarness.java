package dev.trafficctl.workflows.canary.testing;

import dev.trafficctl.workflows.TaskQueues;
import dev.trafficctl.workflows.TrafficDataConverter;
import dev.trafficctl.workflows.TrafficSearchAttributes;
import dev.trafficctl.workflows.canary.CanaryInput;
import dev.trafficctl.workflows.canary.CanaryResult;
import dev.trafficctl.workflows.canary.CanaryWorkflow;
import dev.trafficctl.workflows.canary.CanaryWorkflowImpl;
import dev.trafficctl.workflows.reconcile.RouteReconcileWorkflowImpl;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * An in-process Temporal test server (time skipping) with a worker running {@link
 * CanaryWorkflowImpl} on the fakes, set up as the worker and the CLI set up theirs: trafficctl's
 * data converter and search attributes. Time moves only when a test sleeps or waits for a result,
 * so waits are in workflow time and cost milliseconds.
 */
public final class CanaryHarness implements AutoCloseable {

  public static final String WORKFLOW_ID = "production.api";

  /** Workflow time at the start of every test, so recorded histories read the same each time. */
  public static final Instant START = Instant.parse("2025-01-06T10:00:00Z");

  public final FakeRouter router = new FakeRouter();
  public final ScriptedMetrics metrics = new ScriptedMetrics();
  public final RecordingNotifier notifier = new RecordingNotifier();

  /**
   * With a router host: the router and metrics of the worker on the shared queue, which must stay
   * unused while {@link #router} and {@link #metrics} answer from the host's queue.
   */
  public final FakeRouter sharedQueueRouter = new FakeRouter();

  public final ScriptedMetrics sharedQueueMetrics = new ScriptedMetrics();

  private final TestWorkflowEnvironment env;
  private Instant started;

  public CanaryHarness() {
    this(null);
  }

  /**
   * @param routerHost null: one worker runs everything; else the router and the metrics run on a
   *     second worker polling that router host's queue
   */
  public CanaryHarness(String routerHost) {
    env = newEnvironment();
    Worker worker = env.newWorker(TaskQueues.ROLLOUTS);
    worker.registerWorkflowImplementationTypes(
        CanaryWorkflowImpl.class, RouteReconcileWorkflowImpl.class);
    if (routerHost == null) {
      worker.registerActivitiesImplementations(router, metrics, notifier);
    } else {
      worker.registerActivitiesImplementations(sharedQueueRouter, sharedQueueMetrics, notifier);
      env.newWorker(TaskQueues.routerHost(routerHost))
          .registerActivitiesImplementations(router, metrics);
    }
    env.start();
  }

  /** A test environment configured as the product's client; no worker yet. */
  public static TestWorkflowEnvironment newEnvironment() {
    TestEnvironmentOptions.Builder options =
        TestEnvironmentOptions.newBuilder()
            .setWorkflowClientOptions(
                WorkflowClientOptions.newBuilder()
                    .setDataConverter(TrafficDataConverter.get())
                    // A fixed identity keeps host names out of recorded histories.
                    .setIdentity("trafficctl-test")
                    .build())
            .setInitialTime(START);
    for (SearchAttributeKey<?> key : searchAttributes()) {
      options.registerSearchAttribute(key.getName(), key.getValueType());
    }
    return TestWorkflowEnvironment.newInstance(options.build());
  }

  public static List<SearchAttributeKey<?>> searchAttributes() {
    return TrafficSearchAttributes.ALL;
  }

  /** Starts a canary as the CLI does (id {@code production.api}) and returns its stub. */
  public CanaryWorkflow start(CanaryInput input) {
    CanaryWorkflow canary =
        client()
            .newWorkflowStub(
                CanaryWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(WORKFLOW_ID)
                    .setTaskQueue(TaskQueues.ROLLOUTS)
                    .build());
    started = now();
    WorkflowClient.start(canary::run, input);
    return canary;
  }

  /** Workflow time when the last canary was started. */
  public Instant started() {
    return started;
  }

  /** Starts a canary and waits until the router has put its first step in force. */
  public CanaryWorkflow startAndEnterFirstStep(CanaryInput input) {
    CanaryWorkflow canary = start(input);
    await(canary, s -> !s.steps().isEmpty(), Duration.ofSeconds(10), Duration.ofMillis(100));
    return canary;
  }

  /** A stub of the canary's latest run: after a continue-as-new, the typed stub of the start's. */
  public CanaryWorkflow latest() {
    return client().newWorkflowStub(CanaryWorkflow.class, WORKFLOW_ID);
  }

  public static WorkflowStub untyped(CanaryWorkflow canary) {
    return WorkflowStub.fromTyped(canary);
  }

  /**
   * Polls the status query, letting {@code step} of workflow time pass between polls, until {@code
   * condition} holds; fails after {@code within} of workflow time with the last status.
   */
  public RolloutStatus await(
      CanaryWorkflow canary, Predicate<RolloutStatus> condition, Duration within, Duration step) {
    Instant deadline = now().plus(within);
    RolloutStatus last = canary.status();
    while (!condition.test(last)) {
      if (now().isAfter(deadline)) {
        throw new AssertionError("condition not reached within " + within + "; status: " + last);
      }
      env.sleep(step);
      last = canary.status();
    }
    return last;
  }

  public RolloutStatus await(
      CanaryWorkflow canary, Predicate<RolloutStatus> condition, Duration within) {
    return await(canary, condition, within, Duration.ofSeconds(5));
  }

  /**
   * Lets workflow time pass in steps until the canary's workflow has closed (completed, failed or
   * cancelled), failing after {@code within}. Tests wait this way rather than in {@code getResult}:
   * while a result is awaited the test server skips time freely, and once the workflow has closed
   * nothing holds it back, so the clock can leap years ahead.
   */
  public WorkflowStub awaitClosed(CanaryWorkflow canary, Duration within) {
    return awaitClosed(canary, within, Duration.ofSeconds(10));
  }

  public WorkflowStub awaitClosed(CanaryWorkflow canary, Duration within, Duration step) {
    WorkflowStub stub = untyped(canary);
    Instant deadline = now().plus(within);
    while (stub.describe().getStatus()
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      if (now().isAfter(deadline)) {
        throw new AssertionError("still running after " + within + "; status: " + canary.status());
      }
      env.sleep(step);
    }
    return stub;
  }

  /** Waits until the canary has ended and returns its result. */
  public CanaryResult result(CanaryWorkflow canary) {
    return awaitClosed(canary, Duration.ofHours(3)).getResult(CanaryResult.class);
  }

  /** Lets workflow time pass (skipped: costs milliseconds). */
  public void sleep(Duration d) {
    env.sleep(d);
  }

  /** Lets workflow time pass until {@code instant} (no-op when already past). */
  public void sleepUntil(Instant instant) {
    Duration d = Duration.between(now(), instant);
    if (!d.isNegative() && !d.isZero()) {
      env.sleep(d);
    }
  }

  public Instant now() {
    return Instant.ofEpochMilli(env.currentTimeMillis());
  }

  public WorkflowClient client() {
    return env.getWorkflowClient();
  }

  public TestWorkflowEnvironment env() {
    return env;
  }

  @Override
  public void close() {
    env.close();
  }
}
