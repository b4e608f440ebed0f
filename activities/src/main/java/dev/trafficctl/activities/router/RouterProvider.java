package dev.trafficctl.activities.router;

import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;

/**
 * One way of moving traffic (nginx, a state file for GitOps, later service meshes), as Flagger's
 * routers. {@link TrafficRouterActivity} has already checked the change against the catalog: the
 * versions exist and the weights add up to 100. A provider only puts them in force.
 */
public interface RouterProvider {

  /** Puts the change's weights in force and returns what is in force afterwards. Idempotent. */
  RouteState setWeights(RouteChange change);

  /** The weights in force now; empty when this provider has never been set for the target. */
  RouteState readWeights(RouteTarget target);
}
