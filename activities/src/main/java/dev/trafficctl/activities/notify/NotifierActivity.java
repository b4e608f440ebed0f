package dev.trafficctl.activities.notify;

import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.workflows.ports.FailureTypes;
import dev.trafficctl.workflows.ports.Notifier;
import dev.trafficctl.workflows.ports.RolloutNotification;
import io.temporal.failure.ApplicationFailure;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code Notify} activity: renders the event once and hands it to the sender of each channel it
 * names (the workflows send one channel per activity, so a failing channel retries alone). A
 * channel this worker has no sender for (no token, no SMTP host) fails non-retryably with what to
 * configure.
 */
public final class NotifierActivity implements Notifier {

  private static final Logger log = LoggerFactory.getLogger(NotifierActivity.class);

  private final Map<NotificationChannel, ChannelSender> senders =
      new EnumMap<>(NotificationChannel.class);
  private final Map<NotificationChannel, String> missing;
  private final WebUiLinks links;

  /**
   * @param senders the channels this worker can send on
   * @param missing for each channel it cannot: what to configure, e.g. {@code set SLACK_BOT_TOKEN}
   */
  public NotifierActivity(
      List<ChannelSender> senders, Map<NotificationChannel, String> missing, WebUiLinks links) {
    senders.forEach(s -> this.senders.put(s.channel(), s));
    this.missing = Map.copyOf(missing);
    this.links = links;
  }

  @Override
  public void send(RolloutNotification notification) {
    NotificationMessage message = NotificationMessage.of(notification, links);
    for (NotificationChannel channel : notification.channels()) {
      ChannelSender sender = senders.get(channel);
      if (sender == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            channel.wire()
                + " is not configured on this worker: "
                + missing.getOrDefault(channel, "no sender"),
            FailureTypes.INVALID_CONFIGURATION);
      }
      sender.send(message, notification);
      log.info(
          "notified {} {} on {}",
          notification.status().workflowId(),
          notification.event().wire(),
          channel.wire());
    }
  }
}
