package dev.trafficctl.workflows.reconcile;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Puts a rollback in force once the router answers again, after the rollout that started it has
 * ended: a rollout hands its rollback over when the router stayed unreachable for its catalog's
 * {@code rollback.handover_after}, so that the service's workflow id is free (for a fix rolled
 * forward, say) and the traffic still ends up where the rollback put it. Its workflow id is {@code
 * reconcile:<env>.<service>}.
 */
@WorkflowInterface
public interface RouteReconcileWorkflow {

  String TYPE = "RouteReconcile";

  /** Returns what became of the change: put in force, or refused and why. */
  @WorkflowMethod(name = TYPE)
  String run(ReconcileInput input);

  /** What it is doing now, in one line. */
  @QueryMethod
  String progress();
}
