package dev.trafficctl.workflows.control;

import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.TrafficKind;
import dev.trafficctl.workflows.TrafficSearchAttributes;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.WorkflowIds;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.TrafficRouter;
import dev.trafficctl.workflows.reconcile.ReconcileInput;
import dev.trafficctl.workflows.reconcile.RouteReconcileWorkflow;
import dev.trafficctl.workflows.reconcile.RouterRetries;
import dev.trafficctl.workflows.status.Phase;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Puts a rollout's traffic back where it came from, whatever the router does meanwhile. Workflow
 * code.
 *
 * <ul>
 *   <li>A router that cannot be reached is tried again ({@link RouterRetries}), the status saying
 *       since when, for the catalog's {@code rollback.handover_after}; then the rollback is handed
 *       to a reconciler ({@link RouteReconcileWorkflow}) that keeps trying after the rollout ends.
 *       A rollout that just failed would leave whatever the router loads when it is back (the
 *       candidate's last share, say) with no one to put it right.
 *   <li>A router that refuses the change keeps (or restores) its last known good configuration;
 *       when that one already gives the version being rolled back nothing (the first change was the
 *       one that failed), the rollout is safe all the same and ends saying so. Otherwise the
 *       refusal stands, and the workflow fails with its state readable.
 * </ul>
 */
public final class SafeRollback {

  private SafeRollback() {}

  /**
   * How a rollback ended: put in force ({@link #DONE}), kept out by a refusal that left the version
   * rolled back without traffic anyway ({@code refused}), or handed over to the reconciler {@code
   * handedOverTo} while the router has been unreachable since {@code unreachable}.
   */
  public record Outcome(String refused, String handedOverTo, String unreachable) {

    public static final Outcome DONE = new Outcome(null, null, null);

    /** Whether the router confirmed the rollback, or serves its effect already. */
    public boolean inForce() {
      return handedOverTo == null;
    }

    /**
     * The end of the rollout's last message: {@code v1 serves 100%}, with the refusal the router
     * answered, or what happens to the rollback now that it is handed over.
     */
    public String describe(String back) {
      if (handedOverTo != null) {
        return "the router is unreachable since "
            + unreachable
            + ": "
            + handedOverTo
            + " puts "
            + back
            + " back at 100% once it answers";
      }
      return back
          + " serves 100%"
          + (refused == null ? "" : " (the router kept its last known good: " + refused + ")");
    }
  }

  /**
   * Puts {@code change} in force; {@code away} is the version it takes all traffic from.
   *
   * @throws io.temporal.failure.ActivityFailure the router's refusal, when traffic still reaches
   *     {@code away}
   */
  public static Outcome apply(
      RolloutControl control, TrafficRouter router, RouteChange change, String away) {
    RouteTarget target = change.target();
    Consumer<String> progress = line -> control.moveTo(Phase.ROLLING_BACK, "rolling back: " + line);
    Duration window = target.entry().rollback().handoverAfter();
    RouterRetries.Outcome outcome =
        RouterRetries.apply(ActivityStubs.router(window), change, progress, window);
    if (outcome.unreachableSince() != null) {
      String reconciler = WorkflowIds.of(TrafficKind.RECONCILE, target.env(), target.service());
      try {
        handOver(reconciler, new ReconcileInput(change, runId(), outcome.unreachableSince()));
        return new Outcome(null, reconciler, outcome.unreachableSince().toString());
      } catch (ChildWorkflowFailure alreadyRunning) {
        // An earlier rollback of the service is still being reconciled, with an older change
        // than this one: this rollout keeps trying itself rather than wait behind it.
        outcome = RouterRetries.apply(router, change, progress, null);
      }
    }
    if (outcome.applied()) {
      return Outcome.DONE;
    }
    if (control.inForce(router.read(target)).weightOf(away) != 0) {
      throw outcome.refusal();
    }
    return new Outcome(WorkflowFailures.rootMessage(outcome.refusal()), null, null);
  }

  /** Starts the reconciler, to outlive this rollout, and returns once it has started. */
  private static void handOver(String workflowId, ReconcileInput input) {
    RouteTarget target = input.change().target();
    RouteReconcileWorkflow reconciler =
        Workflow.newChildWorkflowStub(
            RouteReconcileWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .setWorkflowRunTimeout(Duration.ofDays(30))
                .setTypedSearchAttributes(
                    SearchAttributes.newBuilder()
                        .set(TrafficSearchAttributes.KIND, TrafficKind.RECONCILE.wire())
                        .set(TrafficSearchAttributes.SERVICE, target.service())
                        .set(TrafficSearchAttributes.ENV, target.env())
                        .build())
                .build());
    Async.function(reconciler::run, input);
    Workflow.getWorkflowExecution(reconciler).get();
  }

  private static String runId() {
    return Workflow.getInfo().getWorkflowId() + " (run " + Workflow.getInfo().getRunId() + ")";
  }
}
