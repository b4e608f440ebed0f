package dev.trafficctl.activities.notify.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.activities.notify.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final Secret KEY = Secret.of("whsec-Zq8vR2kP0s");
  private static final Instant SENT = Instant.parse("2026-03-01T10:15:30Z"); // t=1772360130
  private static final byte[] BODY =
      "{\"event\":\"started\",\"step\":1}".getBytes(StandardCharsets.UTF_8);
  private static final Duration TOLERANCE = WebhookSignature.RECOMMENDED_TOLERANCE;

  private static boolean verify(String header, byte[] body, Instant now) {
    return WebhookSignature.verify(KEY, header, body, now, TOLERANCE);
  }

  @Test
  void theHeaderIsTheSendTimeAndTheHmacOfTimeDotBody() {
    // printf '%s' '1772360130.{"event":"started","step":1}' \
    //   | openssl dgst -sha256 -hmac 'whsec-Zq8vR2kP0s' -hex
    assertEquals(
        "t=1772360130,v1=8c770c99e635d5e9f2dfbca9a2ffba841c424f0ad6f4b3328899bdb16324acca",
        WebhookSignature.header(KEY, SENT, BODY));
  }

  @Test
  void theTimeIsWholeSeconds() {
    assertEquals(
        WebhookSignature.header(KEY, SENT, BODY),
        WebhookSignature.header(KEY, SENT.plusMillis(999), BODY));
  }

  @Test
  void theRecommendedToleranceIsFiveMinutes() {
    assertEquals(Duration.ofMinutes(5), WebhookSignature.RECOMMENDED_TOLERANCE);
  }

  @Test
  void aFreshSignatureVerifies() {
    String header = WebhookSignature.header(KEY, SENT, BODY);

    assertTrue(verify(header, BODY, SENT));
    assertTrue(verify(header, BODY, SENT.plusSeconds(2)));
  }

  @Test
  void aSignatureVerifiesUpToTheToleranceEitherWayAndNotASecondBeyond() {
    String header = WebhookSignature.header(KEY, SENT, BODY);

    assertTrue(verify(header, BODY, SENT.plus(TOLERANCE)), "5 minutes old");
    assertFalse(verify(header, BODY, SENT.plus(TOLERANCE).plusSeconds(1)), "a replay");
    assertTrue(verify(header, BODY, SENT.minus(TOLERANCE)), "a sender's clock ahead");
    assertFalse(verify(header, BODY, SENT.minus(TOLERANCE).minusSeconds(1)), "too far ahead");
    assertTrue(
        WebhookSignature.verify(KEY, header, BODY, SENT.plusSeconds(3600), Duration.ofHours(1)),
        "the receiver chooses its tolerance");
  }

  @Test
  void aTamperedBodyAnotherKeyOrAMovedTimeDoNotVerify() {
    String header = WebhookSignature.header(KEY, SENT, BODY);
    byte[] tampered = "{\"event\":\"started\",\"step\":2}".getBytes(StandardCharsets.UTF_8);
    String v1 = header.substring(header.indexOf(",v1="));
    long t = SENT.getEpochSecond();

    assertFalse(verify(header, tampered, SENT));
    assertFalse(
        WebhookSignature.verify(Secret.of("whsec-other"), header, BODY, SENT, TOLERANCE),
        "another key");
    // A replay that refreshes t keeps the old v1, which covers the old t.
    assertFalse(verify("t=" + (t + 600) + v1, BODY, SENT.plusSeconds(600)));
  }

  @Test
  void aMalformedHeaderDoesNotVerify() {
    String header = WebhookSignature.header(KEY, SENT, BODY);
    String v1 = header.substring(header.indexOf("v1="));
    String hex = v1.substring(3);

    assertFalse(verify(null, BODY, SENT));
    assertFalse(verify("", BODY, SENT));
    assertFalse(verify("sha256=" + hex, BODY, SENT), "the former scheme");
    assertFalse(verify(v1, BODY, SENT), "no time");
    assertFalse(verify("t=" + SENT.getEpochSecond(), BODY, SENT), "no signature");
    assertFalse(verify("t=soon," + v1, BODY, SENT));
    assertFalse(verify(header.toUpperCase(), BODY, SENT));
  }

  @Test
  void oneMatchingV1AmongSeveralIsEnough() {
    String header = WebhookSignature.header(KEY, SENT, BODY);
    String t = header.substring(0, header.indexOf(','));
    String v1 = header.substring(header.indexOf(",v1=") + 1);
    String other = "v1=" + "0".repeat(64);

    assertTrue(verify(t + "," + other + "," + v1, BODY, SENT));
    assertTrue(verify(v1 + "," + t + ",v0=abc", BODY, SENT), "order and unknown schemes");
    assertFalse(verify(t + "," + other, BODY, SENT));
  }
}
