package dev.trafficctl.config.notification;

import dev.trafficctl.config.SpecEnum;

/** Where a rollout's events can be sent; the destinations live in the service catalog. */
public enum NotificationChannel implements SpecEnum {
  SLACK,
  EMAIL,
  WEBHOOK;

  @Override
  public String wire() {
    return SpecEnum.wireOf(this);
  }
}
