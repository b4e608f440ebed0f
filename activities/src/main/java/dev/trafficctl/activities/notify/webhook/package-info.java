/**
 * The webhook channel of rollout notifications: each event is POSTed as a versioned JSON document
 * ({@link dev.trafficctl.activities.notify.webhook.WebhookPayload}) to the environment's {@code
 * notifications.webhook.url}, signed with HMAC-SHA256 when the worker has a signing key, with the
 * event id as {@code Idempotency-Key} so receivers can drop the duplicates retries produce. The
 * payload, the headers and how to verify a signature are documented in {@code
 * docs/webhook-payload.md}.
 */
package dev.trafficctl.activities.notify.webhook;
