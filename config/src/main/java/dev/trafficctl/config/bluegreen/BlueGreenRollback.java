package dev.trafficctl.config.bluegreen;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.time.Duration;

/**
 * {@code blue_green.<service>.rollback}: watching the new live color after a switch, and switching
 * back on its own.
 *
 * @param automatic switch back to the previous color when the failure threshold is crossed; when
 *     false, a breach only pauses the rollout and notifies; default true
 * @param failureThreshold percentage of failed requests (5xx, or the catalog's failure statuses) on
 *     the new color above which it is judged failed, 0..100; default 5
 * @param monitorDuration how long the new color is watched after the switch before the rollout
 *     completes; default 300s
 */
public record BlueGreenRollback(
    Boolean automatic, Double failureThreshold, Duration monitorDuration) implements Validatable {

  public BlueGreenRollback {
    automatic = automatic == null ? Boolean.TRUE : automatic;
    failureThreshold = failureThreshold == null ? 5.0 : failureThreshold;
    monitorDuration = monitorDuration == null ? Duration.ofMinutes(5) : monitorDuration;
  }

  @Override
  public void validate(Validator at) {
    at.percentage("failure_threshold", failureThreshold);
    at.positive("monitor_duration", monitorDuration);
  }
}
