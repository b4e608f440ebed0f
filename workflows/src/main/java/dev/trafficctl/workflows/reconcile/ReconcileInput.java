package dev.trafficctl.workflows.reconcile;

import dev.trafficctl.workflows.ports.RouteChange;
import java.time.Instant;

/**
 * What a rollout hands over when the router stayed unreachable through its rollback.
 *
 * @param change the rollback's change, with its owner (the rollout's workflow id) and number: a
 *     later change of the same layers (the service's next rollout) overtakes it
 * @param handedOverBy the rollout's workflow id and run
 * @param unreachableSince since when the router has not answered
 */
public record ReconcileInput(RouteChange change, String handedOverBy, Instant unreachableSince) {}
