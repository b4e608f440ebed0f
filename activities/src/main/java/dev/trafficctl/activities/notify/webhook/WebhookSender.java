package dev.trafficctl.activities.notify.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trafficctl.activities.AllowedHosts;
import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.activities.notify.ChannelSender;
import dev.trafficctl.activities.notify.NotificationMessage;
import dev.trafficctl.activities.notify.Secret;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.catalog.NotificationTargets;
import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.workflows.ports.RolloutNotification;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook channel: POSTs the event's {@link WebhookPayload} to the environment's {@code
 * notifications.webhook.url}, once per attempt, redirects not followed.
 *
 * <p>Headers: {@code Content-Type: application/json}, {@code User-Agent: trafficctl}, {@code
 * Idempotency-Key: <event id>} (the same on every retry of the event), {@code X-Trafficctl-Event:
 * <event>} and, with a signing key, {@code X-Trafficctl-Signature: t=<unix seconds>,v1=<hex>} (see
 * {@link WebhookSignature}). The body and the key are the same on every attempt of an event; the
 * signature is not, since it covers the attempt's send time.
 *
 * <p>A 2xx answer delivers the event. 408, 429, 5xx and I/O errors fail retryably (a 429's {@code
 * Retry-After} becomes the delay before the next attempt); any other answer fails non-retryably as
 * {@code InvalidConfiguration}, naming the status. The URL may carry a token in its query (or user
 * info): messages and logs show it as {@code scheme://host:port/path} only, and never show the
 * signing key.
 */
public final class WebhookSender implements ChannelSender {

  /** The type of the retryable failures: the receiver could not take the event now. */
  public static final String UNAVAILABLE = "WebhookUnavailable";

  static final String EVENT_HEADER = "X-Trafficctl-Event";
  static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = JsonMapping.json();
  private static final int BODY_EXCERPT = 200;

  private final Secret signingKey;
  private final OkHttpClient client;
  private final Clock clock;
  private final AllowedHosts hosts;

  /**
   * @param signingKey the HMAC key signing each body; null to send without {@code
   *     X-Trafficctl-Signature}
   * @param timeout for one attempt, connecting to reading the answer; keep it below the Notify
   *     activity's start-to-close timeout (20s)
   */
  public WebhookSender(Secret signingKey, Duration timeout) {
    this(signingKey, timeout, AllowedHosts.LOOPBACK);
  }

  /**
   * @param hosts where a catalog's {@code notifications.webhook.url} may point: the worker's
   *     settings
   */
  public WebhookSender(Secret signingKey, Duration timeout, AllowedHosts hosts) {
    this(signingKey, timeout, Clock.systemUTC(), hosts);
  }

  WebhookSender(Secret signingKey, Duration timeout, Clock clock) {
    this(signingKey, timeout, clock, AllowedHosts.LOOPBACK);
  }

  WebhookSender(Secret signingKey, Duration timeout, Clock clock, AllowedHosts hosts) {
    this.signingKey = signingKey;
    this.clock = clock;
    this.hosts = hosts;
    this.client =
        new OkHttpClient.Builder()
            .callTimeout(timeout)
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            // One attempt is one POST: Temporal retries, with the same Idempotency-Key. A redirect
            // would resend the body (and its signature) somewhere the catalog does not name.
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            .followSslRedirects(false)
            .build();
  }

  @Override
  public NotificationChannel channel() {
    return NotificationChannel.WEBHOOK;
  }

  @Override
  public void send(NotificationMessage message, RolloutNotification notification) {
    HttpUrl url = url(notification.targets());
    RolloutStatus status = notification.status();
    hosts.require(
        status == null ? "webhook" : status.service() + " (" + status.env() + ")",
        "notifications.webhook.url",
        url);
    String where = redacted(url);
    String event = notification.event().wire();
    byte[] body = body(WebhookPayload.of(notification, message.link()));

    Request.Builder request =
        new Request.Builder()
            .url(url)
            .post(RequestBody.create(body, JSON))
            .header("User-Agent", "trafficctl")
            .header(IDEMPOTENCY_HEADER, notification.eventId())
            .header(EVENT_HEADER, event);
    if (signingKey != null) {
      request.header(
          WebhookSignature.HEADER, WebhookSignature.header(signingKey, clock.instant(), body));
    }

    try (Response response = client.newCall(request.build()).execute()) {
      int code = response.code();
      if (code >= 200 && code < 300) {
        log.debug(
            "webhook {} {} delivered to {}: HTTP {}", notification.eventId(), event, where, code);
        return;
      }
      String answer = "HTTP " + code + excerpt(response, url);
      if (code == 408 || code == 429 || code >= 500) {
        // 429 and 503 may say when to come back; the next attempt waits that long.
        Duration delay =
            code == 429 || code == 503 ? retryAfter(response.header("Retry-After")) : null;
        throw unavailable(
            "webhook "
                + where
                + " answered "
                + answer
                + (delay == null ? "" : ", retry after " + delay.toSeconds() + "s"),
            delay);
      }
      throw InvalidConfiguration.failure(
          "webhook "
              + where
              + " rejected the "
              + event
              + " event with "
              + answer
              + (code >= 300 && code < 400
                  ? " (redirects are not followed: set the final URL)"
                  : ""));
    } catch (IOException e) {
      throw unavailable("webhook " + where + " unreachable: " + clean(e.toString(), url), null);
    }
  }

  /** The payload as sent: compact JSON, UTF-8. */
  static byte[] body(WebhookPayload payload) {
    try {
      return MAPPER.writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the webhook payload", e);
    }
  }

  private static HttpUrl url(NotificationTargets targets) {
    NotificationTargets.Webhook webhook = targets == null ? null : targets.webhook();
    if (webhook == null || webhook.url() == null || webhook.url().isBlank()) {
      throw InvalidConfiguration.failure(
          "no webhook url: set notifications.webhook.url for this environment in the catalog");
    }
    HttpUrl url = HttpUrl.parse(webhook.url().strip());
    if (url == null) {
      // Not echoed: an unparsable URL may still carry a token.
      throw InvalidConfiguration.failure("notifications.webhook.url is not an http(s) URL");
    }
    return url;
  }

  /** {@code scheme://host:port/path}: no user info, no query, no fragment. */
  static String redacted(HttpUrl url) {
    String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
    return url.scheme() + "://" + host + ":" + url.port() + url.encodedPath();
  }

  /**
   * Removes from {@code text} what may be secret: the URL as given, its query parameter values and
   * user info (raw and encoded; values shorter than 4 characters would blank out ordinary words and
   * are left), and the signing key.
   */
  private String clean(String text, HttpUrl url) {
    String out = text.replace(url.toString(), redacted(url));
    List<String> parts = new ArrayList<>();
    parts.add(url.encodedQuery());
    parts.add(url.username());
    parts.add(url.encodedUsername());
    parts.add(url.password());
    parts.add(url.encodedPassword());
    for (int i = 0; i < url.querySize(); i++) {
      parts.add(url.queryParameterValue(i));
    }
    if (url.encodedQuery() != null) {
      for (String pair : url.encodedQuery().split("&", -1)) {
        parts.add(pair.substring(pair.indexOf('=') + 1));
      }
    }
    // Longest first, so a value inside a longer part does not leave the rest of it behind.
    parts.sort(Comparator.comparingInt((String p) -> p == null ? 0 : p.length()).reversed());
    for (String part : parts) {
      if (part != null && part.length() >= 4) {
        out = out.replace(part, "****");
      }
    }
    return signingKey == null ? out : signingKey.redact(out);
  }

  /** The start of the answer's body, for a person to see what the receiver objected to. */
  private String excerpt(Response response, HttpUrl url) {
    try {
      String text = response.peekBody(BODY_EXCERPT).string().strip().replaceAll("\\s+", " ");
      return text.isEmpty() ? "" : ": " + clean(text, url);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The delay a {@code Retry-After} asks for: delta-seconds or an HTTP date; null when absent,
   * unreadable or already past.
   */
  Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    try {
      long seconds = Long.parseLong(v);
      return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration delay = Duration.between(clock.instant(), at);
        return delay.isNegative() || delay.isZero() ? null : delay;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private static ApplicationFailure unavailable(String message, Duration nextRetryDelay) {
    return ApplicationFailure.newBuilder()
        .setMessage(message)
        .setType(UNAVAILABLE)
        .setNextRetryDelay(nextRetryDelay)
        .build();
  }

  @Override
  public String toString() {
    return "WebhookSender[signed=" + (signingKey != null) + "]";
  }
}
