package dev.trafficctl.workflows.ports;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Asks a pool's instances whether they are healthy: an HTTP GET of the health endpoint on each
 * address, 2xx meaning healthy. Unhealthy instances are a result, not an error: the report says
 * which instance failed and how, and the workflow decides.
 */
@ActivityInterface
public interface HealthChecker {

  /**
   * Polls every instance every {@code interval} until each has answered 2xx once, or until the
   * deadline. Heartbeats after each round, so a worker that dies mid-check is noticed in seconds
   * and the retry polls on until the same deadline.
   */
  @ActivityMethod(name = "AwaitReady")
  HealthReport awaitReady(HealthCheck check);

  /**
   * Probes every instance every {@code interval} until the deadline and counts the answers: the
   * success percentage a pre-promotion check or a post-switch watch is judged on.
   */
  @ActivityMethod(name = "ProbeHealth")
  HealthReport probe(HealthCheck check);
}
