package dev.trafficctl.workflows.ports;

import dev.trafficctl.config.catalog.NotificationTargets;
import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.util.List;

/**
 * One event to send on the listed channels. The status is the event's content; {@code eventId} is
 * stable across retries so channels that can deduplicate (webhook key, Message-ID) do.
 */
public record RolloutNotification(
    String eventId,
    NotificationEvent event,
    List<NotificationChannel> channels,
    NotificationTargets targets,
    RolloutStatus status) {}
