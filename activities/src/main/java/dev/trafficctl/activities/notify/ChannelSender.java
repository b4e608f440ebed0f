package dev.trafficctl.activities.notify;

import dev.trafficctl.config.catalog.NotificationTargets;
import dev.trafficctl.config.notification.NotificationChannel;

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
}
