package dev.trafficctl.workflows.ports;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.Set;

/**
 * Moves a service's traffic between its version pools, in layers ({@link RouteLayer}): a change
 * replaces the layers it carries, the router composes them with the ones it holds. One
 * implementation per provider (nginx, file, later service meshes); rollout logic never lives in
 * one.
 *
 * <p>The activity names are the ones the first versions had, when weights were the only layer:
 * recorded and running workflows know them by these names.
 */
@ActivityInterface
public interface TrafficRouter {

  /**
   * Puts {@code change}'s layers in force and returns the state read back afterwards. Idempotent;
   * refuses a change older than the one in force for one of its layers ({@link
   * FailureTypes#STALE_CHANGE}), and one that needs what the router cannot do.
   */
  @ActivityMethod(name = "SetWeights")
  RouteState change(RouteChange change);

  /** What is in force now. */
  @ActivityMethod(name = "ReadWeights")
  RouteState read(RouteTarget target);

  /** What the router of {@code target} can do, for a workflow to ask before relying on it. */
  @ActivityMethod(name = "RouterCapabilities")
  Set<RouterCapability> capabilities(RouteTarget target);
}
