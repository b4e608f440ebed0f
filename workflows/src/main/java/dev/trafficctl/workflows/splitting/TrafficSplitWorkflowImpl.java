package dev.trafficctl.workflows.splitting;

import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.RolloutIds;
import dev.trafficctl.workflows.RolloutVisibility;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.ports.TrafficRouter;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Puts one set of weights in force and reports what the router reads back. */
public class TrafficSplitWorkflowImpl implements TrafficSplitWorkflow {

  private final TrafficRouter router = ActivityStubs.router();

  private SplitInput input;
  private Phase phase = Phase.PROGRESSING;
  private String message = "starting";
  private Map<String, Integer> inForce = Map.of();
  private RoutingRules rulesInForce = RoutingRules.NONE;
  private long startedAt;

  @Override
  public SplitResult run(SplitInput input) {
    this.input = input;
    startedAt = Workflow.currentTimeMillis();
    WorkflowFailures.validate(input);
    message = "putting " + SplitWeights.describe(input.weights()) + " in force";
    publish();
    RouteTarget target = new RouteTarget(input.service(), input.env(), input.target());
    // Rules alone keep the weights in force.
    Map<String, Integer> weights =
        input.weights().isEmpty() ? router.readWeights(target).weights() : input.weights();
    try {
      RouteState state =
          router.setWeights(
              new RouteChange(
                  target,
                  weights,
                  "split by "
                      + input.requestedBy()
                      + (input.reason() == null ? "" : ": " + input.reason()),
                  input.rules()));
      inForce = state.weights();
      rulesInForce = state.rules();
      phase = Phase.PROMOTED;
      message = SplitWeights.describe(inForce) + " in force";
    } catch (ActivityFailure failure) {
      // The router kept (or restored) its last known good weights: report those.
      RouteState kept = router.readWeights(target);
      inForce = kept.weights();
      rulesInForce = kept.rules();
      phase = Phase.ABORTED;
      message =
          "the router refused "
              + SplitWeights.describe(input.weights())
              + ": "
              + WorkflowFailures.rootMessage(failure)
              + "; in force: "
              + SplitWeights.describe(inForce);
    }
    publish();
    return new SplitResult(inForce, status(), rulesInForce);
  }

  private void publish() {
    RolloutVisibility.publish(status(), dominant());
  }

  private String dominant() {
    Map<String, Integer> weights = inForce.isEmpty() ? input.weights() : inForce;
    return weights.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse("-");
  }

  @Override
  public RolloutStatus status() {
    long now = Workflow.currentTimeMillis();
    return new RolloutStatus(
        input == null ? null : RolloutIds.workflowId(input.env(), input.service()),
        input == null ? null : input.service(),
        input == null ? null : input.env(),
        "split",
        null,
        input == null ? null : dominant(),
        phase,
        message,
        phase.terminal() ? 1 : 0,
        1,
        input == null
            ? 0
            : (inForce.isEmpty() ? input.weights() : inForce).getOrDefault(dominant(), 0),
        null,
        Instant.ofEpochMilli(startedAt),
        null,
        null,
        null,
        List.of(),
        input == null
            ? List.of()
            : List.of(
                new ActionRecord(
                    Instant.ofEpochMilli(startedAt), "split", input.requestedBy(), input.reason())),
        Instant.ofEpochMilli(now));
  }
}
