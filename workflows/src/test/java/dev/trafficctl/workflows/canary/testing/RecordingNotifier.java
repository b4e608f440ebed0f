package dev.trafficctl.workflows.canary.testing;

import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.ports.Notifier;
import dev.trafficctl.workflows.ports.RolloutNotification;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Records every notification sent, in the order they arrived. */
public final class RecordingNotifier implements Notifier {

  private final List<RolloutNotification> sent = new ArrayList<>();

  @Override
  public synchronized void send(RolloutNotification notification) {
    sent.add(notification);
  }

  public synchronized List<RolloutNotification> sent() {
    return List.copyOf(sent);
  }

  /**
   * The events in the order the workflow sent them. Notifications are fire-and-forget activities
   * that may arrive out of order, so this sorts by the sequence number ending each event id.
   */
  public synchronized List<NotificationEvent> events() {
    return sent.stream()
        .sorted(Comparator.comparingLong(RecordingNotifier::sequence))
        .map(RolloutNotification::event)
        .toList();
  }

  private static long sequence(RolloutNotification n) {
    return Long.parseLong(n.eventId().substring(n.eventId().lastIndexOf('/') + 1));
  }
}
