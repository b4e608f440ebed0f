package dev.trafficctl.workflows.ports;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Moves a service's traffic between its version pools. One implementation per provider (nginx,
 * file, later service meshes); rollout logic never lives in one.
 */
@ActivityInterface
public interface TrafficRouter {

  /** Puts {@code change} in force and returns the weights read back afterwards. Idempotent. */
  @ActivityMethod(name = "SetWeights")
  RouteState setWeights(RouteChange change);

  /** The weights in force now. */
  @ActivityMethod(name = "ReadWeights")
  RouteState readWeights(RouteTarget target);
}
