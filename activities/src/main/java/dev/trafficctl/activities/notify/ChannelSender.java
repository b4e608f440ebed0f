package dev.trafficctl.activities.notify;

import dev.trafficctl.config.catalog.NotificationTargets;
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
   * Sends {@code message} to the destination {@code targets} name for this channel.
   *
   * @param eventId stable across retries of one event on one channel: a deduplication key
   */
  void send(NotificationMessage message, NotificationTargets targets, String eventId);

  /**
   * Sends one event: what the {@code Notify} activity calls. Channels that carry the event as data
   * rather than as text (the webhook) override this to read {@code notification.status()}; the
   * others send the rendered {@code message} to {@code notification.targets()}.
   */
  default void send(NotificationMessage message, RolloutNotification notification) {
    send(message, notification.targets(), notification.eventId());
  }
}
