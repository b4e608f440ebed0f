package dev.trafficctl.config.notification;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.List;

/**
 * The spec's {@code notification:} block of a strategy document: which channels hear which events.
 *
 * @param channels channels to notify; destinations come from the service catalog
 * @param events events to notify; all when absent
 */
public record NotificationSpec(List<NotificationChannel> channels, List<NotificationEvent> events)
    implements Validatable {

  public NotificationSpec {
    channels = channels == null ? List.of() : List.copyOf(channels);
    events = events == null ? List.of(NotificationEvent.values()) : List.copyOf(events);
  }

  /** Whether {@code event} is to be sent at all. */
  public boolean wants(NotificationEvent event) {
    return !channels.isEmpty() && events.contains(event);
  }

  @Override
  public void validate(Validator at) {
    at.check(
        channels.stream().distinct().count() == channels.size(),
        "channels",
        "lists a channel twice");
    at.check(events.stream().distinct().count() == events.size(), "events", "lists an event twice");
  }
}
