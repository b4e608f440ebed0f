package dev.trafficctl.activities.notify.webhook;

import dev.trafficctl.activities.notify.Secret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Trafficctl-Signature} header, in Stripe's scheme: {@code t=<unix seconds>,v1=<hex>}
 * where {@code <hex>} is the lowercase hex HMAC-SHA256, keyed with the webhook secret, of {@code
 * "<t>." + body}. The time is when the attempt was sent, so a receiver can refuse a captured
 * request replayed later than its tolerance ({@link #RECOMMENDED_TOLERANCE}); signing the body
 * alone would make a captured request valid forever.
 *
 * <p>{@link #verify} is the receiver's side, as docs/webhook-payload.md describes it: for Java
 * receivers and for the tests that play one.
 */
public final class WebhookSignature {

  public static final String HEADER = "X-Trafficctl-Signature";

  /** How far a receiver should let {@code t} be from its own clock, either way. */
  public static final Duration RECOMMENDED_TOLERANCE = Duration.ofMinutes(5);

  private static final String ALGORITHM = "HmacSHA256";

  private WebhookSignature() {}

  /** The header's value for {@code body} sent at {@code sentAt} (whole seconds). */
  public static String header(Secret key, Instant sentAt, byte[] body) {
    long t = sentAt.getEpochSecond();
    return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(key, t, body));
  }

  /**
   * True when {@code header} carries a {@code t} within {@code tolerance} of {@code now} and a
   * {@code v1} that is the HMAC of {@code "<t>." + body} under {@code key}. Several {@code v1} may
   * be present (a sender between two secrets); one match is enough. Compared in constant time.
   */
  public static boolean verify(
      Secret key, String header, byte[] body, Instant now, Duration tolerance) {
    if (header == null) {
      return false;
    }
    Long t = null;
    List<String> signatures = new ArrayList<>();
    for (String part : header.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = part.substring(0, eq).strip();
      String value = part.substring(eq + 1).strip();
      if (name.equals("t")) {
        try {
          t = Long.parseLong(value);
        } catch (NumberFormatException notANumber) {
          return false;
        }
      } else if (name.equals("v1")) {
        signatures.add(value);
      }
    }
    if (t == null || signatures.isEmpty()) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
      return false;
    }
    byte[] expected =
        HexFormat.of().formatHex(hmac(key, t, body)).getBytes(StandardCharsets.US_ASCII);
    boolean match = false;
    for (String signature : signatures) {
      // Every candidate is compared, in constant time, whatever the first one gave.
      match |= MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }
    return match;
  }

  /** HMAC-SHA256 of {@code "<t>."} followed by the exact body bytes. */
  private static byte[] hmac(Secret key, long t, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key.reveal().getBytes(StandardCharsets.UTF_8), ALGORITHM));
      mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      // Every JRE has HmacSHA256, and a non-empty key is always valid for it.
      throw new IllegalStateException("cannot compute " + ALGORITHM, e);
    }
  }
}
