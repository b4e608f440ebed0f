package dev.trafficctl.workflows.canary.testing;

import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.ports.Notifier;
import dev.trafficctl.workflows.ports.RolloutNotification;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Records every notification sent, in the order they arrived; channels can be made to fail, as a
 * Slack that is down would.
 */
public final class RecordingNotifier implements Notifier {

  private final List<RolloutNotification> sent = new ArrayList<>();
  private final Set<NotificationChannel> failing = EnumSet.noneOf(NotificationChannel.class);
  private int failedAttempts;

  /** Every send on {@code channel} fails from now on, with an error worth retrying. */
  public synchronized void fail(NotificationChannel channel) {
    failing.add(channel);
  }

  @Override
  public synchronized void send(RolloutNotification notification) {
    for (NotificationChannel channel : notification.channels()) {
      if (failing.contains(channel)) {
        failedAttempts++;
        throw new IllegalStateException(channel.wire() + " is down (scripted)");
      }
    }
    sent.add(notification);
  }

  public synchronized List<RolloutNotification> sent() {
    return List.copyOf(sent);
  }

  public synchronized int failedAttempts() {
    return failedAttempts;
  }

  /**
   * The events in the order the workflow sent them, once each whatever the number of channels.
   * Notifications are fire-and-forget activities that may arrive out of order, so this sorts by the
   * event's sequence number in its id ({@code <workflow>/<run>/<sequence>/<channel>}).
   */
  public synchronized List<NotificationEvent> events() {
    return sent.stream()
        .sorted(Comparator.comparingLong(RecordingNotifier::sequence))
        .filter(n -> n.channels().equals(sent.get(0).channels()))
        .map(RolloutNotification::event)
        .toList();
  }

  /** The events delivered on {@code channel}, in the order the workflow sent them. */
  public synchronized List<NotificationEvent> events(NotificationChannel channel) {
    return sent.stream()
        .filter(n -> n.channels().contains(channel))
        .sorted(Comparator.comparingLong(RecordingNotifier::sequence))
        .map(RolloutNotification::event)
        .toList();
  }

  private static long sequence(RolloutNotification n) {
    String[] parts = n.eventId().split("/");
    return Long.parseLong(parts[parts.length - 2]);
  }
}
