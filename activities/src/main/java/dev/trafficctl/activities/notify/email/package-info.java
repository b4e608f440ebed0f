/**
 * The email channel of rollout notifications: {@link
 * dev.trafficctl.activities.notify.email.EmailSender} sends each event as one SMTP message to the
 * catalog environment's {@code notifications.email.to}, through the worker's SMTP server ({@link
 * dev.trafficctl.activities.notify.email.SmtpSettings}).
 *
 * <h2>The message</h2>
 *
 * Subject: the event's title, e.g. {@code api (production): canary rolled back}. Body: {@code
 * multipart/alternative} with a {@code text/plain} part ({@code NotificationMessage.text()}) and a
 * {@code text/html} part with the same content (summary, a table of fields, the metrics of the last
 * analysis, the Web UI link), every value HTML-escaped. Headers: {@code X-Trafficctl-Event} (e.g.
 * {@code rolled_back}) for mail filters, and a {@code Message-ID} derived from the event id.
 *
 * <h2>Retries and duplicates</h2>
 *
 * The {@code Message-ID} is a function of the event id alone ({@code
 * <production.api.<run-id>.3.email.<hash>@trafficctl>}), and the event id is the same on every
 * retry of the activity. A retried send therefore carries the same {@code Message-ID} as the first
 * attempt, so mail clients, list archives and ticket systems that deduplicate on it (Gmail,
 * Thunderbird, most helpdesks) show one message. SMTP itself does not deduplicate: when the
 * server's answer to {@code DATA} is lost (a timeout or dropped connection after the message was
 * accepted), the attempt fails, the activity retries and the message is delivered twice; a reader
 * whose client does not deduplicate sees both, identical down to the {@code Message-ID} and {@code
 * Date} (the event's time).
 *
 * <h2>Failures</h2>
 *
 * Non-retryable ({@code InvalidConfiguration}): no {@code notifications.email.to}, a recipient that
 * is not an address or that the server refuses, a rejected login ({@code 5xx}), a permanent ({@code
 * 5xx}) refusal of the sender or message, a server that does not offer the STARTTLS that {@code
 * STARTTLS} security requires (sending anyway would put the password and message on the wire in the
 * clear), and a server certificate the worker does not trust. Retryable (type {@code
 * EmailNotSent}): a refused or timed-out connection, a server that stops answering within the
 * timeout, a dropped connection, a temporary ({@code 4xx}) refusal. No failure message or log line
 * contains the password: messages from the mail library are redacted and their exceptions are not
 * attached as causes, and the library's debug trace is never enabled.
 */
package dev.trafficctl.activities.notify.email;
