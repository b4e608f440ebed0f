package dev.trafficctl.workflows.status;

import java.time.Instant;

/**
 * A notification that could not be delivered after its retries: the rollout went on without it.
 *
 * @param event e.g. {@code rolled_back}
 * @param channel {@code slack}, {@code email} or {@code webhook}
 * @param error what the channel said, without secrets
 */
public record NotificationFailure(Instant at, String event, String channel, String error) {}
