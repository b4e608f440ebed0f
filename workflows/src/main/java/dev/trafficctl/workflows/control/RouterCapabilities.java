package dev.trafficctl.workflows.control;

import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RouterCapability;
import dev.trafficctl.workflows.ports.TrafficRouter;
import java.util.EnumSet;
import java.util.Set;

/**
 * A workflow's question to the router before it relies on more than moving weights: rules, sticky
 * sessions, feature flags, segments, request headers, server weights. Workflow code.
 */
public final class RouterCapabilities {

  private RouterCapabilities() {}

  /**
   * Refuses the workflow's input with one line, before anything changes, when the router of {@code
   * change}'s target cannot put it in force. Every router moves weights: a change of weights alone
   * asks nothing.
   */
  public static void require(TrafficRouter router, RouteChange change) {
    require(router, change.target(), change.needs());
  }

  /** As {@link #require(TrafficRouter, RouteChange)}, for what {@code target}'s router must do. */
  public static void require(
      TrafficRouter router, RouteTarget target, Set<RouterCapability> wanted) {
    Set<RouterCapability> needs = EnumSet.noneOf(RouterCapability.class);
    needs.addAll(wanted);
    needs.remove(RouterCapability.WEIGHTS);
    if (needs.isEmpty()) {
      return;
    }
    needs.removeAll(router.capabilities(target));
    if (!needs.isEmpty()) {
      throw WorkflowFailures.invalidInput(RouterCapability.refusal(target, needs));
    }
  }
}
