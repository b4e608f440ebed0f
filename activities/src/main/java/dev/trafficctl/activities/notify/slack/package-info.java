/**
 * The Slack channel of rollout notifications: one {@code chat.postMessage} per event, in Block Kit
 * (header, summary, fields, metrics, a button to the workflow in the Temporal Web UI) with the
 * title as the plain-text fallback.
 *
 * <p>The worker supplies a bot token with the {@code chat:write} scope ({@code SLACK_BOT_TOKEN}, or
 * a file named by {@code SLACK_BOT_TOKEN_FILE}) and may point the client at a Slack-compatible
 * gateway ({@code SLACK_API_URL}, default {@code https://slack.com/api/}); each catalog environment
 * names its channel under {@code notifications.slack.channel}. The app must be a member of a
 * private channel (or hold {@code chat:write.public} for a public one it has not joined).
 *
 * <p>Failures: what retrying cannot fix (a bad token, an unknown channel, an app not in the
 * channel, a rejected message) fails non-retryably as {@code InvalidConfiguration}, naming Slack's
 * error code. Rate limiting fails retryably and tells Temporal to wait exactly Slack's {@code
 * Retry-After}; 5xx answers, Slack's transient error codes and network errors fail retryably under
 * the activity's retry policy. The client itself never retries and runs no rate limiter: Temporal's
 * retries are the only ones, so every attempt is visible in the workflow's history.
 *
 * <p>Deduplication: Slack has no idempotency key for {@code chat.postMessage}. When Slack posts a
 * message but its answer is lost (a timeout, a dropped connection), the retry posts it again, so a
 * channel can see one event twice. Each message carries Slack message metadata ({@code event_type}
 * {@code trafficctl_rollout_event}, {@code event_payload.event_id}), so a duplicate is recognisable
 * as the same event; nothing is looked up before posting, which would need history-reading scopes.
 */
package dev.trafficctl.activities.notify.slack;
