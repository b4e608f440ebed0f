package dev.trafficctl.activities.notify.webhook;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trafficctl.activities.AllowedHosts;
import dev.trafficctl.activities.notify.NotifierActivity;
import dev.trafficctl.activities.notify.Secret;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.workflows.ports.RolloutNotification;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a MockWebServer standing in for the receiving pipeline. */
class WebhookSenderTest {

  private static final String KEY = "whsec-Zq8vR2kP0s";
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = JsonMapping.json();

  private final MockWebServer server = new MockWebServer();
  private final WebhookSender signed = new WebhookSender(Secret.of(KEY), TIMEOUT);

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private String url() {
    return server.url("/hooks/rollouts").toString();
  }

  private static void send(WebhookSender sender, RolloutNotification n) {
    sender.send(WebhookEvents.message(n), n);
  }

  private RecordedRequest taken() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertTrue(request != null, "the webhook was not called");
    return request;
  }

  /** Stripe's scheme, computed here independently of WebhookSignature. */
  private static String hmac(String key, String t, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  private static Clock fixed(Instant now) {
    return Clock.fixed(now, ZoneOffset.UTC);
  }

  @Test
  void postsThePayloadOfTheEventWithItsFields() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(204));
    RolloutNotification n = WebhookEvents.rolledBack(url());

    send(signed, n);

    RecordedRequest request = taken();
    assertEquals("POST", request.getMethod());
    assertEquals("/hooks/rollouts", request.getPath());
    JsonNode body = JSON.readTree(request.getBody().readUtf8());
    List<String> names = new ArrayList<>();
    body.fieldNames().forEachRemaining(names::add);
    assertEquals(
        List.of(
            "schema_version",
            "event_id",
            "event",
            "occurred_at",
            "workflow_id",
            "service",
            "env",
            "strategy",
            "phase",
            "step",
            "total_steps",
            "stable_version",
            "candidate_version",
            "weights",
            "message",
            "analysis",
            "last_action",
            "link"),
        names);
    assertEquals(1, body.get("schema_version").intValue());
    assertEquals(WebhookEvents.EVENT_ID, body.get("event_id").textValue());
    assertEquals("rolled_back", body.get("event").textValue());
    assertEquals("2026-03-01T10:15:30Z", body.get("occurred_at").textValue());
    assertEquals("production.api", body.get("workflow_id").textValue());
    assertEquals("api", body.get("service").textValue());
    assertEquals("production", body.get("env").textValue());
    assertEquals("canary", body.get("strategy").textValue());
    assertEquals("RolledBack", body.get("phase").textValue());
    assertEquals(2, body.get("step").intValue());
    assertEquals(5, body.get("total_steps").intValue());
    assertEquals("v1", body.get("stable_version").textValue());
    assertEquals("v2", body.get("candidate_version").textValue());
    assertEquals(JSON.readTree("{\"v1\":100,\"v2\":0}"), body.get("weights"));
    assertEquals("success_rate 90.3% < 99%: rolled back to v1", body.get("message").textValue());
    assertEquals(
        "http://localhost:8233/namespaces/default/workflows/production.api",
        body.get("link").textValue());

    JsonNode analysis = body.get("analysis");
    assertEquals("fail", analysis.get("verdict").textValue());
    assertEquals(1234, analysis.get("requests").longValue());
    assertEquals(100, analysis.get("minimum_requests").longValue());
    assertTrue(analysis.get("detail").isNull());
    assertEquals(
        JSON.readTree(
            "{\"metric\":\"success_rate\",\"value\":90.25,\"threshold\":99.0,\"at_least\":true,"
                + "\"unit\":\"%\",\"window\":\"20s\",\"ok\":false}"),
        analysis.get("checks").get(0));
    assertEquals("p95", analysis.get("checks").get(1).get("metric").textValue());
    assertFalse(analysis.get("checks").get(1).get("at_least").booleanValue());
    assertTrue(analysis.get("checks").get(2).get("value").isNull(), "nothing measured");
    assertTrue(analysis.get("checks").get(2).get("window").isNull());

    assertEquals(
        JSON.readTree(
            "{\"action\":\"resume\",\"by\":\"bob\",\"reason\":null,\"at\":\"2026-03-01T10:14:30Z\"}"),
        body.get("last_action"),
        "the last of the actions");
  }

  @Test
  void withoutAnalysisOrActionsThoseFieldsAreNull() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(200));

    send(signed, WebhookEvents.started(url()));

    JsonNode body = JSON.readTree(taken().getBody().readUtf8());
    assertEquals("started", body.get("event").textValue());
    assertEquals("Progressing", body.get("phase").textValue());
    assertEquals(JSON.readTree("{\"v1\":90,\"v2\":10}"), body.get("weights"));
    assertTrue(body.has("analysis") && body.get("analysis").isNull(), body.toString());
    assertTrue(body.has("last_action") && body.get("last_action").isNull(), body.toString());
  }

  @Test
  void sendsTheHeadersAndASignatureOfTheSendTimeAndTheExactBody() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(202));
    Instant now = Instant.parse("2026-03-01T10:16:02.750Z");
    WebhookSender sender = new WebhookSender(Secret.of(KEY), TIMEOUT, fixed(now));

    send(sender, WebhookEvents.rolledBack(url()));

    RecordedRequest request = taken();
    assertTrue(
        request.getHeader("Content-Type").startsWith("application/json"),
        request.getHeader("Content-Type"));
    assertEquals("trafficctl", request.getHeader("User-Agent"));
    assertEquals(WebhookEvents.EVENT_ID, request.getHeader("Idempotency-Key"));
    assertEquals("rolled_back", request.getHeader("X-Trafficctl-Event"));
    byte[] body = request.getBody().readByteArray();
    String signature = request.getHeader("X-Trafficctl-Signature");
    String t = String.valueOf(now.getEpochSecond());
    assertEquals("t=" + t + ",v1=" + hmac(KEY, t, body), signature);
    assertNotEquals("t=" + t + ",v1=" + hmac(KEY + "x", t, body), signature);
  }

  @Test
  void aResendOfTheSameEventCarriesTheSameKeyAndBodySignedAtItsOwnTime() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(503));
    server.enqueue(new MockResponse().setResponseCode(200));
    RolloutNotification n = WebhookEvents.rolledBack(url());
    Instant first = Instant.parse("2026-03-01T10:16:00Z");
    Instant later = first.plus(Duration.ofMinutes(2));

    assertThrows(
        ApplicationFailure.class,
        () -> send(new WebhookSender(Secret.of(KEY), TIMEOUT, fixed(first)), n));
    send(new WebhookSender(Secret.of(KEY), TIMEOUT, fixed(later)), n);

    RecordedRequest attempt = taken();
    RecordedRequest retry = taken();
    assertEquals(WebhookEvents.EVENT_ID, attempt.getHeader("Idempotency-Key"));
    assertEquals(attempt.getHeader("Idempotency-Key"), retry.getHeader("Idempotency-Key"));
    byte[] body = attempt.getBody().readByteArray();
    assertArrayEquals(body, retry.getBody().readByteArray());
    String retrySignature = retry.getHeader("X-Trafficctl-Signature");
    assertTrue(retrySignature.startsWith("t=" + later.getEpochSecond() + ","), retrySignature);
    // Signed at its own time, a retry passes a receiver's tolerance however late it comes.
    Secret key = Secret.of(KEY);
    Duration tolerance = WebhookSignature.RECOMMENDED_TOLERANCE;
    assertTrue(WebhookSignature.verify(key, retrySignature, body, later, tolerance));
    assertFalse(
        WebhookSignature.verify(
            key,
            attempt.getHeader("X-Trafficctl-Signature"),
            body,
            later.plusSeconds(181),
            tolerance),
        "the first attempt's signature has expired by then");
  }

  @Test
  void theNotifyActivityHandsTheWebhookTheRolloutsStatus() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(200));
    NotifierActivity activity =
        new NotifierActivity(List.of(signed), Map.of(), WebhookEvents.LINKS);

    activity.send(WebhookEvents.rolledBack(url()));

    JsonNode body = JSON.readTree(taken().getBody().readUtf8());
    assertEquals("RolledBack", body.get("phase").textValue());
    assertEquals("fail", body.at("/analysis/verdict").textValue());
  }

  @Test
  void withoutAKeyThereIsNoSignatureHeader() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(200));

    send(new WebhookSender(null, TIMEOUT), WebhookEvents.started(url()));

    RecordedRequest request = taken();
    assertNull(request.getHeader("X-Trafficctl-Signature"));
    assertEquals(WebhookEvents.EVENT_ID, request.getHeader("Idempotency-Key"));
  }

  @Test
  void serverErrorsAndTimeoutsAreRetryable() {
    for (int code : new int[] {500, 502, 503, 408, 429}) {
      server.enqueue(new MockResponse().setResponseCode(code));
      ApplicationFailure failure =
          assertThrows(
              ApplicationFailure.class, () -> send(signed, WebhookEvents.rolledBack(url())));
      assertFalse(failure.isNonRetryable(), code + " must be retried");
      assertEquals(WebhookSender.UNAVAILABLE, failure.getType());
      assertTrue(failure.getOriginalMessage().contains("HTTP " + code), failure.getMessage());
      assertNull(failure.getNextRetryDelay(), "no Retry-After, the retry policy's backoff");
    }
  }

  @Test
  void anAnswerTooSlowIsRetryable() {
    server.enqueue(new MockResponse().setHeadersDelay(2, TimeUnit.SECONDS));
    WebhookSender impatient = new WebhookSender(Secret.of(KEY), Duration.ofMillis(300));

    ApplicationFailure failure =
        assertThrows(
            ApplicationFailure.class, () -> send(impatient, WebhookEvents.rolledBack(url())));

    assertFalse(failure.isNonRetryable());
    assertTrue(failure.getOriginalMessage().contains("unreachable"), failure.getMessage());
  }

  @Test
  void anUnreachableReceiverIsRetryable() throws IOException {
    String gone = url();
    server.shutdown();

    ApplicationFailure failure =
        assertThrows(ApplicationFailure.class, () -> send(signed, WebhookEvents.rolledBack(gone)));

    assertFalse(failure.isNonRetryable());
    assertEquals(WebhookSender.UNAVAILABLE, failure.getType());
  }

  @Test
  void aClientErrorIsNotRetriedAndNamesTheStatus() {
    server.enqueue(new MockResponse().setResponseCode(404).setBody("no such hook"));

    String message =
        assertInvalidConfiguration(() -> send(signed, WebhookEvents.rolledBack(url())));

    assertTrue(message.contains("404"), message);
    assertTrue(message.contains("no such hook"), message);
  }

  @Test
  void aRedirectIsNotFollowed() throws Exception {
    server.enqueue(
        new MockResponse().setResponseCode(302).setHeader("Location", url() + "/elsewhere"));
    server.enqueue(new MockResponse().setResponseCode(200));

    String message =
        assertInvalidConfiguration(() -> send(signed, WebhookEvents.rolledBack(url())));

    assertTrue(message.contains("302"), message);
    assertEquals(1, server.getRequestCount(), "one POST, to the catalog's URL only");
  }

  @Test
  void tooManyRequestsWaitsAsLongAsRetryAfterSays() {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "7"));

    ApplicationFailure failure =
        assertThrows(ApplicationFailure.class, () -> send(signed, WebhookEvents.rolledBack(url())));

    assertFalse(failure.isNonRetryable());
    assertEquals(Duration.ofSeconds(7), failure.getNextRetryDelay());
  }

  @Test
  void retryAfterMayBeAnHttpDate() {
    Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:15:30Z"), ZoneOffset.UTC);
    WebhookSender sender = new WebhookSender(null, TIMEOUT, clock);

    assertEquals(Duration.ofSeconds(90), sender.retryAfter("Sun, 01 Mar 2026 10:17:00 GMT"));
    assertNull(sender.retryAfter("Sun, 01 Mar 2026 10:00:00 GMT"), "already past");
    assertNull(sender.retryAfter("soon"));
    assertNull(sender.retryAfter("0"));
    assertNull(sender.retryAfter(null));
  }

  @Test
  void noWebhookUrlIsAConfigurationError() {
    String message = assertInvalidConfiguration(() -> send(signed, WebhookEvents.rolledBack(null)));

    assertTrue(message.contains("notifications.webhook.url"), message);
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void failuresNeverShowTheKeyNorTheUrlsQueryOrUserInfo() throws IOException {
    String token = "tok3n-9f8e7d";
    String secretUrl =
        server
            .url("/hooks/rollouts")
            .newBuilder()
            .username("deployer")
            .password("pa55word")
            .addQueryParameter("token", token)
            .build()
            .toString();
    // A receiver that echoes what it was given.
    server.enqueue(
        new MockResponse().setResponseCode(401).setBody("bad token " + token + " or key " + KEY));
    server.enqueue(new MockResponse().setResponseCode(500).setBody("token=" + token));

    String where = "http://" + server.getHostName() + ":" + server.getPort() + "/hooks/rollouts";
    List<String> messages = new ArrayList<>();
    messages.add(
        assertInvalidConfiguration(() -> send(signed, WebhookEvents.rolledBack(secretUrl))));
    messages.add(
        assertThrows(
                ApplicationFailure.class, () -> send(signed, WebhookEvents.rolledBack(secretUrl)))
            .getOriginalMessage());
    server.shutdown();
    messages.add(
        assertThrows(
                ApplicationFailure.class, () -> send(signed, WebhookEvents.rolledBack(secretUrl)))
            .getOriginalMessage());

    for (String message : messages) {
      assertFalse(message.contains(token), message);
      assertFalse(message.contains(KEY), message);
      assertFalse(message.contains("pa55word"), message);
      assertFalse(message.contains("deployer"), message);
      assertTrue(message.contains(where), message);
    }
    assertTrue(messages.get(0).contains("401"), messages.get(0));
  }

  @Test
  void aReceiverOnAHostTheWorkerDoesNotAllowIsRefusedUncalled() {
    String message =
        assertInvalidConfiguration(
            () ->
                send(
                    signed,
                    WebhookEvents.rolledBack(
                        "http://10.0.0.7:" + server.getPort() + "/hooks?token=tok-1234")));
    assertTrue(
        message.endsWith(
            ": notifications.webhook.url reaches 10.0.0.7:"
                + server.getPort()
                + ", not a host this worker may reach (allowed: loopback; the worker's"
                + " --allow-host)"),
        message);
    assertFalse(message.contains("tok-1234"), message);
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void aReceiverOnAnAllowedHostIsCalled() throws InterruptedException {
    server.enqueue(new MockResponse().setResponseCode(204));
    WebhookSender listed =
        new WebhookSender(
            Secret.of(KEY), TIMEOUT, AllowedHosts.of(List.of("localhost:" + server.getPort())));
    send(listed, WebhookEvents.started("http://localhost:" + server.getPort() + "/hooks"));
    taken();
  }
}
