package dev.trafficctl.activities.notify;

import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.workflows.ports.RolloutNotification;

/**
 * One notification channel: Slack, email or webhook. Sends one message; throws to have the activity
 * retried (a non-retryable {@code ApplicationFailure} of type {@code InvalidConfiguration} when
 * retrying cannot help). Implementations never put a secret into an exception message or a log
 * line.
 */
public interface ChannelSender {

  NotificationChannel channel();

  /**
   * Sends one event: the rendered {@code message} (or, for channels that carry the event as data,
   * {@code notification.status()}) to the destination {@code notification.targets()} names for this
   * channel. {@code notification.eventId()} is stable across retries of one event on one channel: a
   * deduplication key.
   */
  void send(NotificationMessage message, RolloutNotification notification);
}
