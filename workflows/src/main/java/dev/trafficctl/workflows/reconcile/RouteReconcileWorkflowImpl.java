package dev.trafficctl.workflows.reconcile;

import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.TrafficRouter;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/** Tries the handed-over change until the router confirms or refuses it; never gives up. */
public final class RouteReconcileWorkflowImpl implements RouteReconcileWorkflow {

  private static final Logger log = Workflow.getLogger(RouteReconcileWorkflowImpl.class);

  private final TrafficRouter router = ActivityStubs.router();
  private String progress = "starting";

  @Override
  public String run(ReconcileInput input) {
    RouteChange change = input.change();
    String what =
        "change " + change.change() + " of " + change.owner() + " (" + change.reason() + ")";
    progress = "putting " + what + " in force";
    RouterRetries.Outcome outcome =
        RouterRetries.apply(router, change, line -> progress = line, null);
    progress =
        outcome.applied()
            ? "put " + what + " in force"
            : "the router refused " + what + ": " + WorkflowFailures.rootMessage(outcome.refusal());
    log.info("{}: {}", Workflow.getInfo().getWorkflowId(), progress);
    return progress;
  }

  @Override
  public String progress() {
    return progress;
  }
}
