package dev.trafficctl.workflows.splitting;

import dev.trafficctl.config.catalog.DriftAction;
import dev.trafficctl.config.catalog.RollbackSettings;
import dev.trafficctl.workflows.TaskQueues;
import dev.trafficctl.workflows.analysis.AnalysisCriteria;
import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import dev.trafficctl.workflows.canary.testing.CanaryHarness;
import dev.trafficctl.workflows.canary.testing.FakeRouter;
import dev.trafficctl.workflows.canary.testing.ScriptedMetrics;
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

/** Splits and migrations on the time-skipping test server; v1 serves 100% at first. */
final class SplittingHarness implements AutoCloseable {

  static final String WORKFLOW_ID = "production.api";

  final FakeRouter router = new FakeRouter(Map.of("v1", 100, "v2", 0));
  final ScriptedMetrics metrics = new ScriptedMetrics();
  private final TestWorkflowEnvironment env;

  SplittingHarness() {
    this(true);
  }

  private SplittingHarness(boolean startWorker) {
    env = CanaryHarness.newEnvironment();
    Worker worker = env.newWorker(TaskQueues.ROLLOUTS);
    worker.registerWorkflowImplementationTypes(
        TrafficSplitWorkflowImpl.class, TrafficMigrationWorkflowImpl.class);
    worker.registerActivitiesImplementations(router, metrics);
    if (startWorker) {
      env.start();
    }
  }

  /** A harness whose worker polls only after {@link #startWorker()}: runs wait for it. */
  static SplittingHarness withoutWorkerYet() {
    return new SplittingHarness(false);
  }

  void startWorker() {
    env.start();
  }

  static MigrationInput migration(int rate, AnalysisCriteria criteria, OnBreach onBreach) {
    return migration(rate, criteria, onBreach, DriftAction.RESTORE);
  }

  /** A migration whose catalog says {@code rollback.on_drift: onDrift}. */
  static MigrationInput migration(
      int rate, AnalysisCriteria criteria, OnBreach onBreach, DriftAction onDrift) {
    return new MigrationInput(
        "api",
        "production",
        CanaryDocs.target().withRollback(new RollbackSettings(null, onDrift)),
        "v1",
        "v2",
        rate,
        Duration.ofMinutes(2),
        criteria,
        onBreach,
        "alice");
  }

  /** Error rate at most 1% over 1m, on at least 50 requests. */
  static AnalysisCriteria errorRateAtMost1() {
    return new AnalysisCriteria(null, null, 1.0, Duration.ofMinutes(1), null, 95.0, null, 50L);
  }

  TrafficMigrationWorkflow start(MigrationInput input) {
    TrafficMigrationWorkflow wf =
        env.getWorkflowClient().newWorkflowStub(TrafficMigrationWorkflow.class, options());
    WorkflowClient.start(wf::run, input);
    return wf;
  }

  /** A stub of the migration's latest run: after a continue-as-new, the start's stub is stale. */
  TrafficMigrationWorkflow latest() {
    return env.getWorkflowClient().newWorkflowStub(TrafficMigrationWorkflow.class, WORKFLOW_ID);
  }

  TrafficSplitWorkflow split() {
    return env.getWorkflowClient().newWorkflowStub(TrafficSplitWorkflow.class, options());
  }

  private static WorkflowOptions options() {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(WORKFLOW_ID)
        .setTaskQueue(TaskQueues.ROLLOUTS)
        .build();
  }

  RolloutStatus await(
      TrafficMigrationWorkflow wf, Predicate<RolloutStatus> condition, Duration within) {
    Instant deadline = now().plus(within);
    RolloutStatus last = wf.status();
    while (!condition.test(last)) {
      if (now().isAfter(deadline)) {
        throw new AssertionError("not reached within " + within + ": " + last);
      }
      env.sleep(Duration.ofSeconds(5));
      last = wf.status();
    }
    return last;
  }

  MigrationResult result(TrafficMigrationWorkflow wf) {
    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    Instant deadline = now().plus(Duration.ofHours(3));
    while (stub.describe().getStatus()
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      if (now().isAfter(deadline)) {
        throw new AssertionError("still running: " + wf.status());
      }
      env.sleep(Duration.ofSeconds(10));
    }
    return stub.getResult(MigrationResult.class);
  }

  void sleep(Duration d) {
    env.sleep(d);
  }

  Instant now() {
    return Instant.ofEpochMilli(env.currentTimeMillis());
  }

  WorkflowClient client() {
    return env.getWorkflowClient();
  }

  @Override
  public void close() {
    env.close();
  }
}
