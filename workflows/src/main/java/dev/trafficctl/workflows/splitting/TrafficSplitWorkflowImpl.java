package dev.trafficctl.workflows.splitting;

import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.RolloutIds;
import dev.trafficctl.workflows.RolloutVisibility;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.ports.MetricsProvider;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.ports.TrafficRouter;
import dev.trafficctl.workflows.ports.UtilizationQuery;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts one set of weights in force and reports what the router reads back.
 *
 * <p>Capacity mode ({@link SplitInput#capacity()}): reads the weights, rules and server weights in
 * force, samples the utilization of every server of every version once, computes the plan with
 * {@link CapacityWeights} and, unless it is a dry run, puts the new server weights in force with
 * the same version weights and rules. The plan is in the result either way.
 */
public class TrafficSplitWorkflowImpl implements TrafficSplitWorkflow {

  private final TrafficRouter router = ActivityStubs.router();
  private final MetricsProvider metrics = ActivityStubs.metrics();

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
    RouteTarget target = new RouteTarget(input.service(), input.env(), input.target());
    if (input.capacity() != null) {
      return adjustCapacity(target, input.capacity());
    }
    message = "putting " + SplitWeights.describe(input.weights()) + " in force";
    publish();
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
      reportKept(target, SplitWeights.describe(input.weights()), failure);
    }
    publish();
    return new SplitResult(inForce, status(), rulesInForce);
  }

  /** After a refused change the router kept (or restored) its last known good: report that. */
  private void reportKept(RouteTarget target, String refused, ActivityFailure failure) {
    RouteState kept = router.readWeights(target);
    inForce = kept.weights();
    rulesInForce = kept.rules();
    phase = Phase.ABORTED;
    message =
        "the router refused "
            + refused
            + ": "
            + WorkflowFailures.rootMessage(failure)
            + "; in force: "
            + SplitWeights.describe(inForce);
  }

  private SplitResult adjustCapacity(RouteTarget target, CapacityPlan capacity) {
    message = "adjusting server weights toward " + capacity.targetUtilization() + "% utilization";
    publish();
    RouteState before = router.readWeights(target);
    inForce = before.weights();
    rulesInForce = before.rules();
    if (before.weights().isEmpty()) {
      phase = Phase.ABORTED;
      message = "no weights are in force for " + input.service() + " yet: split it first";
      publish();
      return new SplitResult(inForce, status(), rulesInForce);
    }
    Map<String, List<String>> servers = CapacityWeights.serversOf(input.target().versions());
    List<String> all = new ArrayList<>();
    servers.values().forEach(all::addAll);
    Map<String, Double> utilization;
    try {
      utilization =
          metrics.utilization(
              new UtilizationQuery(
                  input.service(), input.env(), input.target().metrics(), all, capacity.window()));
    } catch (ActivityFailure failure) {
      phase = Phase.ABORTED;
      message =
          "server utilization unavailable: "
              + WorkflowFailures.rootMessage(failure)
              + "; server weights unchanged";
      publish();
      return new SplitResult(inForce, status(), rulesInForce);
    }
    List<ServerAdjustment> plan =
        CapacityWeights.plan(
            servers, before.serverWeights(), utilization, capacity.targetUtilization());
    long changed = plan.stream().filter(ServerAdjustment::changed).count();
    String summary =
        changed
            + " of "
            + plan.size()
            + " server weights "
            + (capacity.dryRun() ? "would change" : "changed")
            + " toward "
            + capacity.targetUtilization()
            + "% utilization";
    if (capacity.dryRun()) {
      phase = Phase.PROMOTED;
      message = "dry run: " + summary + "; nothing applied";
      publish();
      return new SplitResult(inForce, status(), rulesInForce, plan);
    }
    try {
      RouteState after =
          router.setWeights(
              new RouteChange(
                  target,
                  before.weights(),
                  "capacity weights by "
                      + input.requestedBy()
                      + ", target "
                      + capacity.targetUtilization()
                      + "%"
                      + (input.reason() == null ? "" : ": " + input.reason()),
                  before.rules(),
                  CapacityWeights.weights(plan)));
      inForce = after.weights();
      rulesInForce = after.rules();
      phase = Phase.PROMOTED;
      message = summary;
    } catch (ActivityFailure failure) {
      reportKept(target, "the server weights", failure);
    }
    publish();
    return new SplitResult(inForce, status(), rulesInForce, plan);
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
        Instant.ofEpochMilli(now),
        List.of());
  }
}
