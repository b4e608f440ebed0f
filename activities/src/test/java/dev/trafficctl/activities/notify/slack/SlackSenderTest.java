package dev.trafficctl.activities.notify.slack;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trafficctl.activities.notify.NotificationMessage;
import dev.trafficctl.activities.notify.Secret;
import dev.trafficctl.activities.notify.WebUiLinks;
import dev.trafficctl.config.catalog.NotificationTargets;
import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.testing.RolloutStatuses;
import dev.trafficctl.workflows.ports.RolloutNotification;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.MetricCheck;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.status.Verdict;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Against MockWebServer answering as Slack's Web API does. */
class SlackSenderTest {

  private static final String TOKEN = "xoxb-1234-5678-s3cr3tT0k3n";
  private static final Instant AT = Instant.parse("2024-11-27T09:33:20Z");
  private static final NotificationTargets TARGETS =
      new NotificationTargets(new NotificationTargets.Slack("#deploys"), null, null);
  private static final ObjectMapper JSON = new ObjectMapper();

  private MockWebServer server;
  private SlackSender sender;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    sender = new SlackSender(Secret.of(TOKEN), server.url("/api/").toString());
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  @Test
  void postsTheEventAsBlockKitWithTheTitleAsFallbackText() throws Exception {
    server.enqueue(ok());

    sender.send(rolledBack(), TARGETS, "production.api/run-1/7/slack");

    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    assertEquals("POST", request.getMethod());
    assertEquals("/api/chat.postMessage", request.getPath());
    assertEquals("Bearer " + TOKEN, request.getHeader("Authorization"));
    assertEquals(1, server.getRequestCount(), "one call: no auth.test before it, no retry after");
    String body = request.getBody().readUtf8();
    assertFalse(body.contains(TOKEN), "the token travels in the header only");
    Map<String, String> form = form(body);
    assertEquals("#deploys", form.get("channel"));
    assertEquals("api (production): canary rolled back", form.get("text"));

    JsonNode blocks = JSON.readTree(form.get("blocks"));
    assertEquals(5, blocks.size(), blocks.toPrettyString());
    assertEquals("header", blocks.get(0).get("type").asText());
    assertEquals("api (production): canary rolled back", blocks.get(0).at("/text/text").asText());
    assertEquals("plain_text", blocks.get(0).at("/text/type").asText());

    assertEquals("section", blocks.get(1).get("type").asText());
    assertEquals(
        "success_rate 90.3% below 99% at step 2/4: traffic is back on v1",
        blocks.get(1).at("/text/text").asText());

    assertEquals(
        List.of(
            "*Service*\napi",
            "*Environment*\nproduction",
            "*Strategy*\ncanary",
            "*Phase*\nRolledBack",
            "*Step*\n2/4",
            "*Weights*\nv1 100% / v2 0%",
            "*Last action*\nabort by alice: errors &lt;5% &amp; rising"),
        fieldTexts(blocks.get(2)));
    assertEquals("mrkdwn", blocks.get(2).at("/fields/0/type").asText());

    assertEquals(
        """
        *Metrics*
        • success_rate 90.3% (needs &gt;= 99%) over 20s: failed
        • p95 120ms (needs &lt;= 300ms) over 20s: ok""",
        blocks.get(3).at("/text/text").asText());

    assertEquals("actions", blocks.get(4).get("type").asText());
    JsonNode button = blocks.get(4).at("/elements/0");
    assertEquals("button", button.get("type").asText());
    assertEquals(
        "http://localhost:8233/namespaces/default/workflows/production.api",
        button.get("url").asText());

    JsonNode metadata = JSON.readTree(form.get("metadata"));
    assertEquals(SlackSender.METADATA_EVENT_TYPE, metadata.get("event_type").asText());
    assertEquals("production.api/run-1/7/slack", metadata.at("/event_payload/event_id").asText());
    assertEquals("rolled_back", metadata.at("/event_payload/event").asText());
  }

  @Test
  void escapesSlackControlCharactersInEveryMrkdwnText() throws Exception {
    server.enqueue(ok());
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Reason <b>", "<!channel> & <https://evil.example|click>");
    NotificationMessage message =
        new NotificationMessage(
            "e1",
            NotificationEvent.PAUSED,
            "api <prod> & co: paused",
            "paused by <@U123> & friends",
            fields,
            List.of("error_rate 2% (needs <= 1%)"),
            "http://localhost:8233/namespaces/default/workflows/production.api",
            AT);

    sender.send(message, TARGETS, "e1");

    Map<String, String> form = form(server.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8());
    assertEquals("api &lt;prod&gt; &amp; co: paused", form.get("text"));
    JsonNode blocks = JSON.readTree(form.get("blocks"));
    assertEquals(
        "api <prod> & co: paused",
        blocks.get(0).at("/text/text").asText(),
        "plain_text is shown as written");
    assertEquals("paused by &lt;@U123&gt; &amp; friends", blocks.get(1).at("/text/text").asText());
    assertEquals(
        List.of("*Reason &lt;b&gt;*\n&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"),
        fieldTexts(blocks.get(2)));
    assertEquals(
        "*Metrics*\n• error_rate 2% (needs &lt;= 1%)", blocks.get(3).at("/text/text").asText());
  }

  @Test
  void moreThanTenFieldsGoIntoSeveralSectionsAndNoMetricsMeansNoMetricsSection() throws Exception {
    server.enqueue(ok());
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 1; i <= 12; i++) {
      fields.put("F" + i, "v" + i);
    }
    NotificationMessage message =
        new NotificationMessage(
            "e2", NotificationEvent.STARTED, "t", "s", fields, List.of(), "http://ui/x", AT);

    sender.send(message, TARGETS, "e2");

    JsonNode blocks =
        JSON.readTree(
            form(server.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8()).get("blocks"));
    List<String> types = new ArrayList<>();
    blocks.forEach(b -> types.add(b.get("type").asText()));
    assertEquals(List.of("header", "section", "section", "section", "actions"), types);
    assertEquals(SlackSender.MAX_FIELDS_PER_SECTION, blocks.get(2).get("fields").size());
    assertEquals(List.of("*F11*\nv11", "*F12*\nv12"), fieldTexts(blocks.get(3)));
  }

  @Test
  void aCatalogEntryWithoutASlackChannelFailsWithoutCallingSlack() {
    String message =
        assertInvalidConfiguration(
            () -> sender.send(rolledBack(), new NotificationTargets(null, null, null), "e"));
    assertTrue(message.contains("notifications.slack.channel"), message);
    assertEquals(0, server.getRequestCount());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "channel_not_found",
        "not_in_channel",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "invalid_arguments",
        "invalid_blocks"
      })
  void errorsRetryingCannotFixAreNonRetryableAndNameSlacksCode(String code) {
    server.enqueue(json(200, "{\"ok\":false,\"error\":\"" + code + "\"}"));

    ApplicationFailure failure = sendFailing();

    assertInvalidConfiguration(() -> rethrow(failure));
    assertTrue(failure.getOriginalMessage().contains(code), failure.getOriginalMessage());
    assertTrue(failure.getOriginalMessage().contains("#deploys"), failure.getOriginalMessage());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void anInvalidTokenAnsweredWithHttp401IsNonRetryableToo() {
    server.enqueue(json(401, "{\"ok\":false,\"error\":\"invalid_auth\"}"));

    ApplicationFailure failure = sendFailing();

    assertInvalidConfiguration(() -> rethrow(failure));
    assertTrue(failure.getOriginalMessage().contains("invalid_auth"), failure.getOriginalMessage());
    assertTrue(
        failure.getOriginalMessage().contains(SlackSender.TOKEN_VARIABLE),
        failure.getOriginalMessage());
  }

  @Test
  void http429WaitsRetryAfterThroughTemporalsNextRetryDelay() {
    server.enqueue(
        json(429, "{\"ok\":false,\"error\":\"ratelimited\"}").setHeader("Retry-After", "7"));

    ApplicationFailure failure = sendFailing();

    assertFalse(failure.isNonRetryable());
    assertEquals(SlackSender.RATE_LIMITED, failure.getType());
    assertEquals(Duration.ofSeconds(7), failure.getNextRetryDelay());
    assertTrue(failure.getOriginalMessage().contains("7 s"), failure.getOriginalMessage());
    assertEquals(1, server.getRequestCount(), "the client does not retry by itself");
  }

  @Test
  void ratelimitedInAnOkAnswerIsRateLimitingToo() {
    server.enqueue(
        json(200, "{\"ok\":false,\"error\":\"ratelimited\"}").setHeader("Retry-After", "3"));

    ApplicationFailure failure = sendFailing();

    assertFalse(failure.isNonRetryable());
    assertEquals(SlackSender.RATE_LIMITED, failure.getType());
    assertEquals(Duration.ofSeconds(3), failure.getNextRetryDelay());
  }

  @Test
  void rateLimitingWithoutRetryAfterLeavesTheDelayToTheRetryPolicy() {
    server.enqueue(json(429, "{\"ok\":false,\"error\":\"ratelimited\"}"));

    ApplicationFailure failure = sendFailing();

    assertFalse(failure.isNonRetryable());
    assertNull(failure.getNextRetryDelay());
  }

  @Test
  void http5xxIsRetryable() {
    server.enqueue(new MockResponse().setResponseCode(500).setBody("upstream broke"));

    ApplicationFailure failure = sendFailing();

    assertFalse(failure.isNonRetryable());
    assertEquals(SlackSender.UNAVAILABLE, failure.getType());
    assertTrue(failure.getOriginalMessage().contains("HTTP 500"), failure.getOriginalMessage());
    assertNull(failure.getNextRetryDelay());
  }

  @Test
  void slacksTransientErrorCodesAreRetryable() {
    server.enqueue(json(200, "{\"ok\":false,\"error\":\"internal_error\"}"));

    ApplicationFailure failure = sendFailing();

    assertFalse(failure.isNonRetryable());
    assertTrue(failure.getOriginalMessage().contains("internal_error"));
  }

  @Test
  void aDroppedConnectionIsRetryable() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

    ApplicationFailure failure = sendFailing();

    assertFalse(failure.isNonRetryable());
    assertEquals(SlackSender.UNAVAILABLE, failure.getType());
    assertTrue(failure.getOriginalMessage().startsWith("cannot reach Slack"));
  }

  @Test
  void aWrongApiUrlIsNonRetryableAndSaysWhatToCheck() {
    server.enqueue(new MockResponse().setResponseCode(404).setBody("<html>not found</html>"));

    ApplicationFailure failure = sendFailing();

    assertInvalidConfiguration(() -> rethrow(failure));
    assertTrue(
        failure.getOriginalMessage().contains(SlackSender.API_URL_VARIABLE),
        failure.getOriginalMessage());
  }

  @Test
  void theTokenIsRedactedEvenWhenAnAnswerEchoesIt() {
    server.enqueue(json(200, "{\"ok\":false,\"error\":\"bad_" + TOKEN + "\"}"));

    ApplicationFailure failure = sendFailing();

    assertTrue(failure.getOriginalMessage().contains("bad_****"), failure.getOriginalMessage());
  }

  @Test
  void theEnvironmentConfiguresTheSender(@TempDir Path dir) throws Exception {
    assertTrue(SlackSender.fromEnvironment(Map.of()).isEmpty());

    Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    server.enqueue(ok());
    Map<String, String> env = new HashMap<>();
    env.put(SlackSender.TOKEN_VARIABLE, "xoxb-not-this-one");
    env.put(SlackSender.TOKEN_FILE_VARIABLE, file.toString());
    env.put(SlackSender.API_URL_VARIABLE, server.url("/api").toString());
    SlackSender fromEnv = SlackSender.fromEnvironment(env).orElseThrow();

    fromEnv.send(rolledBack(), TARGETS, "e");

    RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
    assertEquals("/api/chat.postMessage", request.getPath());
    assertEquals("Bearer " + TOKEN, request.getHeader("Authorization"));
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** Sends, expects a failure, and checks the token is nowhere in it. */
  private ApplicationFailure sendFailing() {
    ApplicationFailure failure =
        assertThrows(ApplicationFailure.class, () -> sender.send(rolledBack(), TARGETS, "e"));
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(TOKEN), "token in " + t.getMessage());
      assertFalse(t.toString().contains(TOKEN), "token in " + t);
      for (StackTraceElement e : t.getStackTrace()) {
        assertFalse(e.toString().contains(TOKEN));
      }
    }
    assertFalse(failure.getOriginalMessage().contains(TOKEN));
    return failure;
  }

  private static void rethrow(ApplicationFailure failure) {
    throw failure;
  }

  private static NotificationMessage rolledBack() {
    RolloutStatus status =
        RolloutStatuses.canaryRolledBack(AT, 2, 4)
            .message("success_rate 90.3% below 99% at step 2/4: traffic is back on v1")
            .lastAnalysis(
                new AnalysisReport(
                    AT,
                    Verdict.FAIL,
                    List.of(
                        new MetricCheck(
                            "success_rate", 90.3, 99, true, "%", Duration.ofSeconds(20), false),
                        new MetricCheck(
                            "p95", 120.0, 300, false, "ms", Duration.ofSeconds(20), true)),
                    1200,
                    100,
                    null))
            .actions(List.of(new ActionRecord(AT, "abort", "alice", "errors <5% & rising")))
            .build();
    return NotificationMessage.of(
        new RolloutNotification(
            "production.api/run-1/7/slack",
            NotificationEvent.ROLLED_BACK,
            List.of(NotificationChannel.SLACK),
            TARGETS,
            status),
        new WebUiLinks("http://localhost:8233/", "default"));
  }

  private static MockResponse ok() {
    return json(200, "{\"ok\":true,\"channel\":\"C0123\",\"ts\":\"1732700000.000100\"}");
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json; charset=utf-8")
        .setBody(body);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : (Iterable<String>) Pattern.compile("&").splitAsStream(body)::iterator) {
      int eq = pair.indexOf('=');
      form.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return form;
  }

  private static List<String> fieldTexts(JsonNode section) {
    List<String> texts = new ArrayList<>();
    section.get("fields").forEach(f -> texts.add(f.get("text").asText()));
    return texts;
  }
}
