package dev.trafficctl.activities.notify.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.google.gson.JsonParseException;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.MethodsConfig;
import com.slack.api.methods.SlackApiErrorResponse;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.model.Message;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.TextObject;
import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.activities.notify.ChannelSender;
import dev.trafficctl.activities.notify.NotificationMessage;
import dev.trafficctl.activities.notify.Secret;
import dev.trafficctl.config.catalog.NotificationTargets;
import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.workflows.ports.RolloutNotification;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Posts a rollout notification to the catalog's Slack channel with {@code chat.postMessage}. See
 * the package documentation for what the worker configures, how failures retry and why a message
 * can arrive twice.
 */
public final class SlackSender implements ChannelSender {

  /** The bot token's variable. */
  public static final String TOKEN_VARIABLE = "SLACK_BOT_TOKEN";

  /** A file holding the bot token; wins over {@link #TOKEN_VARIABLE}. */
  public static final String TOKEN_FILE_VARIABLE = "SLACK_BOT_TOKEN_FILE";

  /** The Web API's methods prefix, for a Slack-compatible gateway; Slack's own when unset. */
  public static final String API_URL_VARIABLE = "SLACK_API_URL";

  /** The {@code event_type} of the message metadata every post carries. */
  public static final String METADATA_EVENT_TYPE = "trafficctl_rollout_event";

  /** Retryable failure types; anything non-retryable is {@code InvalidConfiguration}. */
  public static final String RATE_LIMITED = "SlackRateLimited";

  public static final String UNAVAILABLE = "SlackUnavailable";

  // Block Kit limits (https://api.slack.com/reference/block-kit/blocks).
  static final int MAX_FIELDS_PER_SECTION = 10;
  private static final int HEADER_MAX = 150;
  private static final int SECTION_TEXT_MAX = 3000;
  private static final int FIELD_TEXT_MAX = 2000;
  private static final int BUTTON_URL_MAX = 3000;

  /**
   * One HTTP call ends well inside the Notify activity's 20 s start-to-close, so a hung Slack fails
   * the attempt with a readable message instead of a bare activity timeout.
   */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  /** Error codes Slack documents as transient: worth another attempt. */
  private static final Set<String> TRANSIENT_ERRORS =
      Set.of(
          "internal_error",
          "fatal_error",
          "service_unavailable",
          "request_timeout",
          "team_added_to_org");

  private static final Map<String, String> HINTS =
      Map.ofEntries(
          Map.entry("invalid_auth", "check " + TOKEN_VARIABLE),
          Map.entry("not_authed", "check " + TOKEN_VARIABLE),
          Map.entry("token_revoked", "the bot token was revoked; check " + TOKEN_VARIABLE),
          Map.entry("token_expired", "the bot token expired; check " + TOKEN_VARIABLE),
          Map.entry("account_inactive", "the bot's account is deactivated"),
          Map.entry("missing_scope", "the Slack app needs the chat:write scope"),
          Map.entry(
              "channel_not_found",
              "check notifications.slack.channel in the catalog and that the app can see it"),
          Map.entry(
              "not_in_channel",
              "invite the Slack app to the channel, or grant it chat:write.public"),
          Map.entry("is_archived", "the channel is archived"),
          Map.entry("restricted_action", "the workspace does not let the app post there"));

  private final Secret token;
  private final MethodsClient methods;

  /**
   * @param token the bot token ({@code xoxb-...}) with the {@code chat:write} scope
   * @param methodsEndpointUrlPrefix where the Web API's methods live, e.g. {@code
   *     http://gateway:8080/api/}; null for Slack's own ({@code https://slack.com/api/})
   */
  public SlackSender(Secret token, String methodsEndpointUrlPrefix) {
    this.token = Objects.requireNonNull(token, "token");
    SlackConfig config = new SlackConfig();
    // A config of our own: the default one is a JVM-wide singleton. With stats off the client
    // neither calls auth.test before the first post (to learn the team id for its metrics) nor
    // keeps per-method counters; it has no rate limiter on synchronous calls and never retries, so
    // Temporal's retries (which see Retry-After through the failure's next retry delay) are the
    // only ones.
    MethodsConfig methodsConfig = new MethodsConfig();
    methodsConfig.setStatsEnabled(false);
    config.setMethodsConfig(methodsConfig);
    config.setHttpClientCallTimeoutMillis((int) CALL_TIMEOUT.toMillis());
    if (methodsEndpointUrlPrefix != null && !methodsEndpointUrlPrefix.isBlank()) {
      String prefix = methodsEndpointUrlPrefix.strip();
      config.setMethodsEndpointUrlPrefix(prefix.endsWith("/") ? prefix : prefix + "/");
    }
    this.methods = Slack.getInstance(config).methods(token.reveal());
  }

  /**
   * The sender the environment configures: {@link #TOKEN_FILE_VARIABLE} or {@link #TOKEN_VARIABLE}
   * for the token, {@link #API_URL_VARIABLE} for a gateway; empty without a token.
   */
  public static Optional<SlackSender> fromEnvironment(Map<String, String> env) {
    String file = env.get(TOKEN_FILE_VARIABLE);
    return Secret.from(
            env, TOKEN_VARIABLE, file == null || file.isBlank() ? null : Path.of(file.strip()))
        .map(t -> new SlackSender(t, env.get(API_URL_VARIABLE)));
  }

  @Override
  public NotificationChannel channel() {
    return NotificationChannel.SLACK;
  }

  @Override
  public void send(NotificationMessage message, RolloutNotification notification) {
    send(message, notification.targets(), notification.eventId());
  }

  /** Sends {@code message} to {@code targets}' destination; {@code eventId} as in the event. */
  void send(NotificationMessage message, NotificationTargets targets, String eventId) {
    String channel = channelOf(targets);
    ChatPostMessageRequest request = request(channel, message, eventId);
    ChatPostMessageResponse response;
    try {
      response = methods.chatPostMessage(request);
    } catch (SlackApiException e) {
      // A non-2xx answer. The exception (and its toString) carries the whole response; only the
      // status, Slack's error code and Retry-After leave this method, and no library exception is
      // attached as a cause, since Temporal would record its message and trace in the history.
      SlackApiErrorResponse error = e.getError();
      throw failure(
          channel,
          e.getResponse().code(),
          error == null ? null : error.getError(),
          error == null ? null : error.getNeeded(),
          e.getResponse().header("Retry-After"));
    } catch (IOException e) {
      throw retryable(
          UNAVAILABLE, "cannot reach Slack to post to " + channel + ": " + describe(e), null);
    } catch (JsonParseException e) {
      throw retryable(
          UNAVAILABLE,
          "Slack's answer to the post to " + channel + " is not JSON: " + describe(e),
          null);
    }
    if (!response.isOk()) {
      throw failure(
          channel,
          200,
          response.getError(),
          response.getNeeded(),
          firstHeader(response.getHttpResponseHeaders(), "retry-after"));
    }
  }

  private static String channelOf(NotificationTargets targets) {
    if (targets == null
        || targets.slack() == null
        || targets.slack().channel() == null
        || targets.slack().channel().isBlank()) {
      throw InvalidConfiguration.failure(
          "the catalog entry has no notifications.slack.channel: name the Slack channel to post"
              + " to, e.g. notifications: { slack: { channel: \"#deploys\" } }");
    }
    return targets.slack().channel().strip();
  }

  // ---- the message -------------------------------------------------------------------------

  static ChatPostMessageRequest request(
      String channel, NotificationMessage message, String eventId) {
    String id = eventId != null ? eventId : message.eventId();
    ChatPostMessageRequest.ChatPostMessageRequestBuilder request =
        ChatPostMessageRequest.builder()
            .channel(channel)
            .text(truncate(escape(message.title()), SECTION_TEXT_MAX))
            .blocks(blocks(message))
            .unfurlLinks(false)
            .unfurlMedia(false);
    if (id != null) {
      request.metadata(
          Message.Metadata.builder()
              .eventType(METADATA_EVENT_TYPE)
              .eventPayload(
                  Map.of(
                      "event_id",
                      id,
                      "event",
                      message.event() == null ? "" : message.event().wire()))
              .build());
    }
    return request.build();
  }

  static List<LayoutBlock> blocks(NotificationMessage message) {
    List<LayoutBlock> blocks = new ArrayList<>();
    // Header text is plain_text: Slack shows it as written, so it is only shortened.
    blocks.add(header(h -> h.text(plainText(truncate(message.title(), HEADER_MAX), true))));
    if (message.summary() != null && !message.summary().isBlank()) {
      blocks.add(
          section(
              s -> s.text(markdownText(truncate(escape(message.summary()), SECTION_TEXT_MAX)))));
    }
    List<TextObject> fields = new ArrayList<>();
    message
        .fields()
        .forEach(
            (label, value) ->
                fields.add(
                    markdownText(
                        truncate(
                            "*" + escape(label) + "*\n" + escape(value == null ? "-" : value),
                            FIELD_TEXT_MAX))));
    for (int from = 0; from < fields.size(); from += MAX_FIELDS_PER_SECTION) {
      List<TextObject> chunk =
          List.copyOf(fields.subList(from, Math.min(fields.size(), from + MAX_FIELDS_PER_SECTION)));
      blocks.add(section(s -> s.fields(chunk)));
    }
    if (!message.metrics().isEmpty()) {
      StringBuilder text = new StringBuilder("*Metrics*");
      message.metrics().forEach(m -> text.append("\n• ").append(escape(m)));
      blocks.add(section(s -> s.text(markdownText(truncate(text.toString(), SECTION_TEXT_MAX)))));
    }
    String link = message.link();
    if (link != null && !link.isBlank() && link.length() <= BUTTON_URL_MAX) {
      blocks.add(
          actions(
              List.of(
                  button(
                      b ->
                          b.actionId("open_workflow")
                              .text(plainText("Open in Temporal Web UI"))
                              .url(link)))));
    }
    return blocks;
  }

  /** Slack's mrkdwn control characters, escaped as Slack asks: {@code &}, {@code <}, {@code >}. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String truncate(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    // Never cut an escape such as "&amp;" in half.
    int amp = text.lastIndexOf('&', end - 1);
    if (amp >= 0 && amp > end - 5 && text.indexOf(';', amp) >= end) {
      end = amp;
    }
    return text.substring(0, end) + "…";
  }

  // ---- failures ----------------------------------------------------------------------------

  /**
   * What an answer that is not a post means. Rate limiting waits Slack's Retry-After through the
   * failure's next retry delay rather than sleeping in the activity: a sleep would hold a worker
   * slot, eat into the 20 s start-to-close and be lost if the worker died, while the delay is kept
   * by Temporal, is visible in the history, and still counts against the activity's attempts and
   * its 2 min schedule-to-close (a Retry-After longer than what is left of it ends the retries).
   */
  private ApplicationFailure failure(
      String channel, int status, String error, String needed, String retryAfter) {
    if (status == 429 || "ratelimited".equals(error)) {
      Duration wait = retryAfter(retryAfter);
      return retryable(
          RATE_LIMITED,
          "Slack rate-limited the post to "
              + channel
              + (wait == null
                  ? "; retrying on the activity's retry policy"
                  : "; retrying after " + wait.toSeconds() + " s (Retry-After)"),
          wait);
    }
    String what =
        error == null ? "HTTP " + status : error + (status == 200 ? "" : " (HTTP " + status + ")");
    if ((error != null && TRANSIENT_ERRORS.contains(error))
        || status >= 500
        || status == 408
        || (status == 200 && error == null)) {
      return retryable(UNAVAILABLE, "Slack could not post to " + channel + ": " + what, null);
    }
    String hint = error == null ? null : HINTS.get(error);
    if ("missing_scope".equals(error) && needed != null) {
      hint = "the Slack app needs the " + needed + " scope";
    }
    if (error == null && status == 404) {
      hint = "check " + API_URL_VARIABLE + ": it should end in /api/";
    }
    return InvalidConfiguration.failure(
        token.redact(
            "Slack refused the post to "
                + channel
                + ": "
                + what
                + (hint == null ? "" : "; " + hint)));
  }

  private ApplicationFailure retryable(String type, String message, Duration nextRetryDelay) {
    return ApplicationFailure.newBuilder()
        .setType(type)
        .setMessage(token.redact(message))
        .setNonRetryable(false)
        .setNextRetryDelay(nextRetryDelay)
        .build();
  }

  /**
   * Retry-After in seconds (Slack never sends the HTTP-date form); null when absent or unreadable.
   */
  static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(header.strip());
      return Duration.ofSeconds(Math.max(1, seconds));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String firstHeader(Map<String, List<String>> headers, String lowerCaseName) {
    if (headers == null) {
      return null;
    }
    List<String> values = headers.get(lowerCaseName);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private String describe(Exception e) {
    String detail = e.getMessage();
    return e.getClass().getSimpleName() + (detail == null ? "" : ": " + token.redact(detail));
  }
}
