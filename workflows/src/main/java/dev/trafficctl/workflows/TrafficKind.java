package dev.trafficctl.workflows;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a trafficctl workflow is: the {@code TrafficKind} search attribute, and the first part of
 * its workflow id. Every lasting change of traffic is a workflow; a rollout owns a service's
 * version weights, the other kinds own the other layers of its routing or run beside it.
 */
public enum TrafficKind {
  /** Canary, blue-green, split, migration, A/B test: the owner of a service's version weights. */
  ROLLOUT,
  /** A load balancer's server settings ({@code trafficctl lb update}). */
  LB,
  /** A circuit breaker's supervisor. */
  CIRCUIT,
  /** A chaos experiment's faults. */
  CHAOS,
  /** A recording of requests (mirroring). */
  RECORDING,
  /** A trace of requests. */
  TRACE,
  /** A release plan of several services, whose rollouts keep their own ids. */
  PLAN,
  /** A rollback handed over by a rollout whose router stayed unreachable. */
  RECONCILE;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
