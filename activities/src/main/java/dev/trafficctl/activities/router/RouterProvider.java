package dev.trafficctl.activities.router;

import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RouterCapability;
import java.util.Set;

/**
 * One way of moving traffic (nginx, a state file for GitOps, later service meshes), as Flagger's
 * routers. {@link TrafficRouterActivity} has already checked the change against the catalog and
 * against {@link #capabilities()}; a provider composes it with the layers it holds ({@link
 * RouteLayers#compose}) and puts the result in force.
 */
public interface RouterProvider {

  /** What this router can do; every router can move weights. */
  Set<RouterCapability> capabilities();

  /**
   * Puts the change's layers in force with the others it holds, and returns what is in force
   * afterwards. Idempotent; refuses a stale change without effect.
   */
  RouteState change(RouteChange change);

  /** What is in force now; {@link RouteState#none()} when never set for the target. */
  RouteState read(RouteTarget target);
}
