package dev.trafficctl.workflows.abtest;

import dev.trafficctl.workflows.analysis.abtest.AbTestResults;
import dev.trafficctl.workflows.control.AbortableRollout;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * An A/B test: divides a service's traffic among the variants' versions by their weights (a user
 * stays on the variant first given, by a cookie), counts each success metric's users and
 * conversions per variant every analysis interval, and at the end routes all traffic to the winner
 * when the result is decisive. Workflow type {@code AbTest}, id {@code <env>.<service>}; the {@code
 * TrafficAbTest} search attribute carries the test's name. Long tests continue as new, carrying
 * only the latest counts and what the looks so far leave for the next boundary, so the history
 * stays bounded. Abort ends the test without a winner: the control serves 100%.
 */
@WorkflowInterface
public interface AbTestWorkflow extends AbortableRollout {

  String TYPE = "AbTest";

  /** The strategy's name in its status, where the other strategies say canary, blue-green... */
  String STRATEGY = "ab-test";

  /**
   * The affinity cookie: it names the version a user was given, so the user sees the same variant
   * on every request and is counted once.
   */
  String STICKY_COOKIE = "trafficctl_variant";

  @WorkflowMethod(name = TYPE)
  AbTestResult run(AbTestInput input);

  /** Every success metric per variant, with intervals, lifts, p-values, power and verdicts. */
  @QueryMethod
  AbTestResults results();

  /**
   * Ends the test with a winner, which then serves 100% of the service's traffic. With no winner
   * named (--auto) only when the primary (first) success metric is decisive.
   */
  @UpdateMethod
  RolloutStatus conclude(ConcludeRequest request);

  @UpdateValidatorMethod(updateName = "conclude")
  void validateConclude(ConcludeRequest request);
}
