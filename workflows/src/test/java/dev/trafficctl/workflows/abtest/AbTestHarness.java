package dev.trafficctl.workflows.abtest;

import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.abtest.AbTestDocument;
import dev.trafficctl.config.abtest.AbTestSpec;
import dev.trafficctl.workflows.TaskQueues;
import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import dev.trafficctl.workflows.canary.testing.CanaryHarness;
import dev.trafficctl.workflows.canary.testing.FakeRouter;
import dev.trafficctl.workflows.canary.testing.ScriptedMetrics;
import dev.trafficctl.workflows.ports.ConversionCounts;
import dev.trafficctl.workflows.ports.ConversionCounts.UserCounts;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A/B tests of api in production on the time-skipping test server: variant A on v1 (the control), B
 * on v2; v1 serves 100% before the test. Conversions grow by a fixed number of users per analysis
 * and variant, at a fixed rate per variant.
 */
public final class AbTestHarness implements AutoCloseable {

  static final String WORKFLOW_ID = "production.api";

  final FakeRouter router = new FakeRouter(Map.of("v1", 100, "v2", 0));
  final ScriptedMetrics metrics = new ScriptedMetrics();
  private final TestWorkflowEnvironment env;
  private final Map<String, AtomicInteger> looks = new ConcurrentHashMap<>();

  AbTestHarness() {
    env = CanaryHarness.newEnvironment();
    Worker worker = env.newWorker(TaskQueues.ROLLOUTS);
    worker.registerWorkflowImplementationTypes(AbTestWorkflowImpl.class);
    worker.registerActivitiesImplementations(router, metrics);
    env.start();
  }

  public static AbTestSpec spec(String duration, String... metrics) {
    StringBuilder yaml =
        new StringBuilder(
            """
            ab_test:
              name: new-ui
              service: api
              variants:
                A: { weight: 50 }
                B: { weight: 50 }
              duration: "%s"
              minimum_sample_size: 1000
              success_metrics:
            """
                .formatted(duration));
    for (String metric : metrics) {
      yaml.append("    - ").append(metric).append('\n');
    }
    yaml.append("  monitoring: { statistical_significance: 0.95, power: 0.80 }\n");
    return document(yaml.toString());
  }

  /** The test of an {@code ab_test:} document. */
  static AbTestSpec document(String yaml) {
    return new DocumentLoader().parse("new-ui.yaml", yaml, AbTestDocument.class).abTest();
  }

  /** {@code spec} with A on v1 and B on v2. */
  static AbTestInput input(AbTestSpec spec) {
    return input(spec, "v1", "v2");
  }

  /** {@code spec} with A on {@code a} and B on {@code b}, which may be the same version. */
  static AbTestInput input(AbTestSpec spec, String a, String b) {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("A", a);
    versions.put("B", b);
    return new AbTestInput(
        spec.name(), "api", "production", CanaryDocs.target(), spec, versions, "alice", null);
  }

  /**
   * Each analysis adds {@code usersPerLook} users to each variant; of them the given percent
   * convert (per metric: {@code rates} maps metric to {A percent, B percent}).
   */
  void conversions(long usersPerLook, Map<String, double[]> rates) {
    metrics.conversions(
        q -> {
          int n = looks.computeIfAbsent(q.metric(), m -> new AtomicInteger()).incrementAndGet();
          double[] r = rates.get(q.metric());
          long users = usersPerLook * n;
          Map<String, UserCounts> counts = new LinkedHashMap<>();
          counts.put("A", new UserCounts(users, Math.round(users * r[0] / 100)));
          counts.put("B", new UserCounts(users, Math.round(users * r[1] / 100)));
          return new ConversionCounts(q.metric(), counts);
        });
  }

  WorkflowExecution start(AbTestInput input) {
    AbTestWorkflow wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                AbTestWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(WORKFLOW_ID)
                    .setTaskQueue(TaskQueues.ROLLOUTS)
                    .build());
    return WorkflowClient.start(wf::run, input);
  }

  /** The test's latest run, whichever that is after continue-as-new. */
  AbTestWorkflow latest() {
    return env.getWorkflowClient().newWorkflowStub(AbTestWorkflow.class, WORKFLOW_ID);
  }

  AbTestResult result() {
    return WorkflowStub.fromTyped(latest()).getResult(AbTestResult.class);
  }

  void sleep(Duration d) {
    env.sleep(d);
  }

  WorkflowClient client() {
    return env.getWorkflowClient();
  }

  @Override
  public void close() {
    env.close();
  }
}
