package dev.trafficctl.config.notification;

import dev.trafficctl.config.SpecEnum;

/** The events of a rollout that can be notified, shared by every strategy. */
public enum NotificationEvent implements SpecEnum {
  STARTED,
  STEP_ADVANCED,
  PAUSED,
  RESUMED,
  PROMOTED,
  ABORTED,
  ROLLED_BACK,
  COMPLETED,
  ANALYSIS_FAILED,
  INCONCLUSIVE;

  @Override
  public String wire() {
    return SpecEnum.wireOf(this);
  }
}
