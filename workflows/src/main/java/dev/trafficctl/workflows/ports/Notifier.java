package dev.trafficctl.workflows.ports;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Tells people about a rollout's events (Slack, email, webhooks). Never decides anything. */
@ActivityInterface
public interface Notifier {

  @ActivityMethod(name = "Notify")
  void send(RolloutNotification notification);
}
