package dev.trafficctl.config.catalog;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.time.Duration;

/**
 * {@code rollback:} of a catalog environment: what a rollout does to keep traffic where it belongs
 * when the router cannot be reached, or holds weights the rollout did not set.
 *
 * <pre>
 * rollback:
 *   handover_after: 10m
 *   on_drift: restore
 * </pre>
 *
 * @param handoverAfter how long a rolling-back rollout keeps trying an unreachable router itself
 *     before it hands the rollback to a reconciler (its own workflow, {@code
 *     reconcile:<env>.<service>}), which keeps trying until the router confirms, and ends; default
 *     10m. The service's next rollout can start meanwhile, and a change of it overtakes the
 *     reconciler's
 * @param onDrift what a rollout does when an analysis finds weights in force that are not its own
 *     ({@link DriftAction}); default restore
 */
public record RollbackSettings(Duration handoverAfter, DriftAction onDrift) implements Validatable {

  public static final Duration DEFAULT_HANDOVER_AFTER = Duration.ofMinutes(10);

  public RollbackSettings {
    handoverAfter = handoverAfter == null ? DEFAULT_HANDOVER_AFTER : handoverAfter;
    onDrift = onDrift == null ? DriftAction.RESTORE : onDrift;
  }

  @Override
  public void validate(Validator at) {
    at.positive("handover_after", handoverAfter);
  }
}
