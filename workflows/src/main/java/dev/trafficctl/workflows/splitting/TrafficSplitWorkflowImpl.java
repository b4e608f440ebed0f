package dev.trafficctl.workflows.splitting;

import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.control.RolloutControl;
import dev.trafficctl.workflows.control.RolloutState;
import dev.trafficctl.workflows.control.RouterCapabilities;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RouterCapability;
import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.ports.TrafficRouter;
import dev.trafficctl.workflows.ports.UtilizationQuery;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Puts one set of weights in force and reports what the router reads back.
 *
 * <p>Capacity mode ({@link SplitInput#capacity()}): reads the weights, rules and server weights in
 * force, samples the utilization of every server of every version once, computes the plan with
 * {@link CapacityWeights} and, unless it is a dry run, puts the new server weights in force with
 * the same version weights and rules. The plan is in the result either way.
 *
 * <p>Cancelled (the CLI withdraws a split no worker seemed to take up, and a worker may have taken
 * it up just then): before its change, the split ends with nothing changed; once its change may
 * have reached the router, it puts back the layers it changed as they were before (read first), in
 * a detached scope, and reports what is in force; either way it ends cancelled. The putting back
 * outnumbers the split's own change, so a change still in flight that lands late is refused as
 * stale rather than overwriting it.
 */
public class TrafficSplitWorkflowImpl implements TrafficSplitWorkflow {

  private static final Logger log = Workflow.getLogger(TrafficSplitWorkflowImpl.class);

  private final TrafficRouter router = ActivityStubs.router();
  private final RolloutControl control =
      new RolloutControl("the split", log, this::status, () -> false);

  /**
   * {@link Workflow#getVersion} change id: from version 1 a static split reads what is in force
   * before it changes it, so that a cancellation can put it back. Histories recorded before replay
   * without that read.
   */
  static final String RESTORES_WHEN_CANCELLED = "split-restores-when-cancelled";

  private SplitInput input;
  private RouteTarget target;

  /** What was in force before this split's change, read for putting it back; null until read. */
  private RouteState before;

  /** The change this split sent to the router: once sent, it may be in force. Null until sent. */
  private RouteChange sent;

  private Map<String, Integer> inForce = Map.of();
  private RoutingRules rulesInForce = RoutingRules.NONE;

  @Override
  public SplitResult run(SplitInput input) {
    this.input = input;
    WorkflowFailures.validate(input);
    target = input.routeTarget();
    control.begin(input, null, new RolloutState(), this::dominant);
    control.record("split", input.requestedBy(), input.reason());
    boolean readsFirst =
        Workflow.getVersion(RESTORES_WHEN_CANCELLED, Workflow.DEFAULT_VERSION, 1) >= 1;
    if (cancelRequested()) {
      // Withdrawn before any worker took it up: it changes nothing, and its saved status stays
      // "waiting for a worker", which tells the CLI it never touched the router.
      log.info("{} cancelled before it started: nothing changed", input.workflowId());
      throw new CanceledFailure("cancelled before it started");
    }
    try {
      return input.capacity() != null ? adjustCapacity(input.capacity()) : putInForce(readsFirst);
    } catch (CanceledFailure | ActivityFailure failure) {
      if (!cancelRequested()) {
        throw failure;
      }
      // The cancellation ends the workflow, but what the split may have changed goes back first.
      Workflow.newDetachedCancellationScope(this::putBack).run();
      throw failure instanceof CanceledFailure cancelled
          ? cancelled
          : new CanceledFailure("cancelled: " + WorkflowFailures.rootMessage(failure));
    }
  }

  private SplitResult putInForce(boolean readsFirst) {
    String asked = asked();
    control.say("putting " + asked + " in force");
    control.publish();
    if (readsFirst) {
      before = control.inForce(router.read(target));
    }
    RouteChange change = control.change(target, "split " + byWhom());
    if (!input.weights().isEmpty()) {
      change = change.withWeights(input.weights());
    }
    if (input.rules() != null) {
      change = change.withRules(input.rules());
    }
    RouterCapabilities.require(router, change);
    try {
      sent = change;
      keep(router.change(change));
      if (cancelRequested()) {
        // Cancelled while the change was made: it is in force, and goes back (see run).
        throw new CanceledFailure("cancelled as the split was put in force");
      }
      control.moveTo(Phase.PROMOTED, SplitWeights.describe(inForce) + " in force");
    } catch (ActivityFailure failure) {
      if (cancelRequested()) {
        throw failure;
      }
      reportKept(asked, failure);
    }
    return new SplitResult(inForce, status(), rulesInForce);
  }

  private static boolean cancelRequested() {
    return CancellationScope.current().isCancelRequested();
  }

  /**
   * After a cancellation: puts back, as they were before, the layers of the change this split sent
   * (it may or may not have been applied, or may still be on its way: this change outnumbers it),
   * and says what is in force. A split cancelled before it sent a change only says so.
   */
  private void putBack() {
    if (sent == null) {
      control.moveTo(
          Phase.ABORTED,
          "cancelled before it changed anything"
              + (inForce.isEmpty() ? "" : "; in force: " + SplitWeights.describe(inForce)));
      return;
    }
    if (before == null) {
      // Recorded before splits read first: nothing to put back, so say what is there.
      keep(control.inForce(router.read(target)));
      control.moveTo(Phase.ABORTED, "cancelled; in force: " + SplitWeights.describe(inForce));
      return;
    }
    RouteChange back = control.change(target, "split cancelled " + byWhom() + ": put back");
    if (sent.weights() != null && !before.weights().isEmpty()) {
      back = back.withWeights(before.weights());
    }
    if (sent.rules() != null) {
      back = back.withRules(before.rules());
    }
    if (sent.serverWeights() != null) {
      back = back.withServerWeights(before.serverWeights());
    }
    try {
      keep(router.change(back));
      control.moveTo(
          Phase.ABORTED,
          "cancelled: put back what was in force before the split: "
              + SplitWeights.describe(inForce));
    } catch (ActivityFailure failure) {
      String in;
      try {
        keep(control.inForce(router.read(target)));
        in = SplitWeights.describe(inForce);
      } catch (ActivityFailure unreadable) {
        in = "unknown (" + WorkflowFailures.rootMessage(unreadable) + ")";
      }
      control.moveTo(
          Phase.ABORTED,
          "cancelled, but putting back "
              + SplitWeights.describe(before.weights())
              + " failed: "
              + WorkflowFailures.rootMessage(failure)
              + "; in force: "
              + in);
    }
  }

  /** What the split puts in force, for messages: its weights, and its rules when it has any. */
  private String asked() {
    String rules = input.rules() == null ? "" : input.rules().isNone() ? "no rules" : "its rules";
    if (input.weights().isEmpty()) {
      return rules;
    }
    return SplitWeights.describe(input.weights()) + (rules.isEmpty() ? "" : " with " + rules);
  }

  /** After a refused change the router kept (or restored) its last known good: report that. */
  private void reportKept(String refused, ActivityFailure failure) {
    keep(control.inForce(router.read(target)));
    control.moveTo(
        Phase.ABORTED,
        "the router refused "
            + refused
            + ": "
            + WorkflowFailures.rootMessage(failure)
            + "; in force: "
            + SplitWeights.describe(inForce));
  }

  private SplitResult adjustCapacity(CapacityPlan capacity) {
    control.say(
        "adjusting server weights toward " + capacity.targetUtilization() + "% utilization");
    control.publish();
    RouterCapabilities.require(router, target, Set.of(RouterCapability.SERVER_WEIGHTS));
    before = control.inForce(router.read(target));
    keep(before);
    if (before.weights().isEmpty()) {
      control.moveTo(
          Phase.ABORTED, "no weights are in force for " + input.service() + " yet: split it first");
      return new SplitResult(inForce, status(), rulesInForce);
    }
    Map<String, List<String>> servers = CapacityWeights.serversOf(input.target().versions());
    List<String> all = new ArrayList<>();
    servers.values().forEach(all::addAll);
    Map<String, Double> utilization;
    try {
      utilization =
          ActivityStubs.metrics(target)
              .utilization(
                  new UtilizationQuery(
                      input.service(),
                      input.env(),
                      input.target().metrics(),
                      all,
                      capacity.window()));
    } catch (ActivityFailure failure) {
      if (cancelRequested()) {
        throw failure;
      }
      control.moveTo(
          Phase.ABORTED,
          "server utilization unavailable: "
              + WorkflowFailures.rootMessage(failure)
              + "; server weights unchanged");
      return new SplitResult(inForce, status(), rulesInForce);
    }
    List<ServerAdjustment> plan =
        CapacityWeights.plan(
            servers, before.serverWeights(), utilization, capacity.targetUtilization());
    String summary =
        plan.stream().filter(ServerAdjustment::changed).count()
            + " of "
            + plan.size()
            + " server weights "
            + (capacity.dryRun() ? "would change" : "changed")
            + " toward "
            + capacity.targetUtilization()
            + "% utilization";
    if (capacity.dryRun()) {
      control.moveTo(Phase.PROMOTED, "dry run: " + summary + "; nothing applied");
      return new SplitResult(inForce, status(), rulesInForce, plan);
    }
    String reason =
        "capacity weights by "
            + RolloutControl.who(input.requestedBy())
            + ", target "
            + capacity.targetUtilization()
            + "%"
            + because();
    try {
      sent = control.change(target, reason).withServerWeights(CapacityWeights.weights(plan));
      keep(router.change(sent));
      if (cancelRequested()) {
        throw new CanceledFailure("cancelled as the server weights were put in force");
      }
      control.moveTo(Phase.PROMOTED, summary);
    } catch (ActivityFailure failure) {
      if (cancelRequested()) {
        throw failure;
      }
      reportKept("the server weights", failure);
    }
    return new SplitResult(inForce, status(), rulesInForce, plan);
  }

  /** Remembers what the router reports in force. */
  private void keep(RouteState state) {
    inForce = state.weights();
    rulesInForce = state.rules();
  }

  /** {@code by alice: reason}, for the router's audit trail. */
  private String byWhom() {
    return "by " + RolloutControl.who(input.requestedBy()) + because();
  }

  private String because() {
    return input.reason() == null ? "" : ": " + input.reason();
  }

  /** The version with the most traffic, in force or (until then) asked for. */
  private String dominant() {
    return SplitInput.heaviest(inForce.isEmpty() ? input.weights() : inForce).orElse("-");
  }

  @Override
  public RolloutStatus status() {
    RolloutStatus.Builder status = control.status().totalSteps(1);
    if (input == null) {
      return status.build();
    }
    String dominant = dominant();
    return status
        .candidateVersion(dominant)
        .step(control.phase().terminal() ? 1 : 0)
        .weight((inForce.isEmpty() ? input.weights() : inForce).getOrDefault(dominant, 0))
        .build();
  }
}
