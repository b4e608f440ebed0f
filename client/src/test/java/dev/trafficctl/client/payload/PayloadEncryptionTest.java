package dev.trafficctl.client.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.workflows.TrafficDataConverter;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one data converter of the worker and the CLI, with and without keys. */
class PayloadEncryptionTest {

  private static final Map<String, Object> INPUT =
      Map.of(
          "service",
          "api",
          "target",
          Map.of(
              "notifications",
              Map.of(
                  "webhook", Map.of("url", "https://hooks.example.com/x?token=s3cr3t"),
                  "email", Map.of("to", List.of("oncall@example.com")))));

  private static PayloadEncryption keyed(String id) {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return PayloadEncryption.with(new PayloadKeyRing(List.of(PayloadKey.of(id, bytes))));
  }

  private static String text(Payloads payloads) {
    return payloads.toByteString().toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void withoutAKeyTheWireIsWhatItWasBeforeEncryption() {
    DataConverter off = PayloadEncryption.OFF.dataConverter();
    DataConverter before = TrafficDataConverter.get();

    assertEquals(before.toPayloads(INPUT), off.toPayloads(INPUT));
    assertEquals(before.toPayload(INPUT), off.toPayload(INPUT));
    ApplicationFailure failure = ApplicationFailure.newNonRetryableFailure("bad input", "Invalid");
    Failure expected = before.exceptionToFailure(failure);
    Failure actual = off.exceptionToFailure(failure);
    assertEquals(expected.getMessage(), actual.getMessage());
    assertFalse(actual.hasEncodedAttributes());
  }

  @Test
  void withAKeyInputsAndMemosAreUnreadableWithoutItAndReadBackWithIt() {
    PayloadEncryption encryption = keyed("k1");
    DataConverter converter = encryption.dataConverter();

    Payloads encoded = converter.toPayloads(INPUT).orElseThrow();
    assertFalse(text(encoded).contains("s3cr3t"), text(encoded));
    assertFalse(text(encoded).contains("oncall@example.com"), text(encoded));
    assertEquals(INPUT, converter.fromPayloads(0, Optional.of(encoded), Map.class, Map.class));

    // A memo value is one payload through toPayload, as the SDK writes memos.
    Payload memo = converter.toPayload(INPUT).orElseThrow();
    assertTrue(AesGcmPayloadCodec.isEncrypted(memo));
    assertEquals(INPUT, converter.fromPayload(memo, Map.class, Map.class));

    // The CLI without the key: one clear error, not the bytes.
    UnreadablePayload e =
        assertThrows(
            UnreadablePayload.class,
            () -> PayloadEncryption.OFF.dataConverter().fromPayload(memo, Map.class, Map.class));
    assertTrue(e.getMessage().startsWith("the payload is encrypted (key id k1)"), e.getMessage());
  }

  @Test
  void withAKeyFailureMessagesAreEncryptedToo() {
    DataConverter converter = keyed("k1").dataConverter();
    ApplicationFailure failure =
        ApplicationFailure.newNonRetryableFailure(
            "cannot POST https://hooks.example.com/x?token=s3cr3t", "Webhook");

    Failure encoded = converter.exceptionToFailure(failure);

    assertTrue(encoded.hasEncodedAttributes());
    assertFalse(encoded.toByteString().toString(StandardCharsets.ISO_8859_1).contains("s3cr3t"));
    assertEquals("Webhook", encoded.getApplicationFailureInfo().getType());
    assertTrue(
        converter.failureToException(encoded).getMessage().contains("token=s3cr3t"),
        "decoded with the key");
  }

  @Test
  void requiringEncryptionNeedsAKey() {
    assertThrows(
        IllegalArgumentException.class, () -> new PayloadEncryption(PayloadKeyRing.NONE, true));
  }
}
