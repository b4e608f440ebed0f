package dev.trafficctl.worker;

import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.workflows.ports.Notifier;
import dev.trafficctl.workflows.ports.RolloutNotification;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stand-in {@link Notifier} until the Slack, email and webhook adapters exist in the activities
 * module: it sends nothing and writes one log line per event instead (event, workflow id, phase,
 * weight, the channels that would have been used). It never logs the notification targets: a
 * webhook URL or a Slack address may carry a secret.
 */
final class LoggingNotifier implements Notifier {

  private static final Logger log = LoggerFactory.getLogger(LoggingNotifier.class);

  @Override
  public void send(RolloutNotification notification) {
    RolloutStatus status = notification.status();
    log.info(
        "notify {} {} phase {} weight {}% channels {} (not sent: no notification adapter yet)",
        notification.event() == null ? "-" : notification.event().wire(),
        status == null ? "-" : status.workflowId(),
        status == null || status.phase() == null ? "-" : status.phase().display(),
        status == null ? "-" : status.weight(),
        channels(notification.channels()));
  }

  private static String channels(List<NotificationChannel> channels) {
    if (channels == null || channels.isEmpty()) {
      return "none";
    }
    return channels.stream().map(NotificationChannel::wire).collect(Collectors.joining(","));
  }
}
