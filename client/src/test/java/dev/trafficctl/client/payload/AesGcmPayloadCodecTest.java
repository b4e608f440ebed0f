package dev.trafficctl.client.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The codec on its own: what it writes, what it reads back, and every way reading must fail. */
class AesGcmPayloadCodecTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String SECRET = "https://hooks.example.com/T0/B0?token=s3cr3t-t0k3n";

  private static PayloadKey key(String id) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PayloadKey.of(id, bytes);
  }

  private static Payload plain(String json) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(json))
        .build();
  }

  private static AesGcmPayloadCodec codec(PayloadKey... keys) {
    return new AesGcmPayloadCodec(new PayloadKeyRing(List.of(keys)), false);
  }

  private static Payload one(List<Payload> payloads) {
    assertEquals(1, payloads.size());
    return payloads.get(0);
  }

  @Test
  void aPayloadRoundTripsAndNothingOfItShowsWhileEncrypted() {
    AesGcmPayloadCodec codec = codec(key("k1"));
    Payload input = plain("{\"webhook\":\"" + SECRET + "\"}");

    Payload encrypted = one(codec.encode(List.of(input)));

    assertEquals("binary/encrypted", encrypted.getMetadataOrThrow("encoding").toStringUtf8());
    assertEquals("k1", encrypted.getMetadataOrThrow("encryption-key-id").toStringUtf8());
    assertEquals(
        "AES/GCM/NoPadding", encrypted.getMetadataOrThrow("encryption-cipher").toStringUtf8());
    String stored = encrypted.toByteString().toString(StandardCharsets.ISO_8859_1);
    assertFalse(stored.contains("s3cr3t"), "the token shows in the encrypted payload");
    assertFalse(stored.contains("json/plain"), "the inner encoding shows");
    // nonce (12) + the payload + tag (16)
    assertEquals(12 + input.getSerializedSize() + 16, encrypted.getData().size());
    assertEquals(input, one(codec.decode(List.of(encrypted))));
  }

  @Test
  void everyEncryptionHasItsOwnNonce() {
    AesGcmPayloadCodec codec = codec(key("k1"));
    Payload input = plain("{\"same\":true}");
    Payload first = one(codec.encode(List.of(input)));
    Payload second = one(codec.encode(List.of(input)));
    assertNotEquals(first.getData().substring(0, 12), second.getData().substring(0, 12));
    assertNotEquals(first.getData(), second.getData());
  }

  @Test
  void aPayloadEncryptedWithTheOldKeyDecryptsOnceANewKeyIsFirst() {
    PayloadKey old = key("2025-01");
    PayloadKey current = key("2026-01");
    Payload input = plain("{\"email\":\"ops@example.com\"}");
    Payload underOld = one(codec(old).encode(List.of(input)));

    AesGcmPayloadCodec rotated = codec(current, old);

    assertEquals(input, one(rotated.decode(List.of(underOld))));
    Payload underNew = one(rotated.encode(List.of(input)));
    assertEquals("2026-01", underNew.getMetadataOrThrow("encryption-key-id").toStringUtf8());
    assertEquals(input, one(rotated.decode(List.of(underNew))));
  }

  @Test
  void anUnknownKeyIdIsOneClearError() {
    Payload underRetired = one(codec(key("retired")).encode(List.of(plain("{}"))));

    UnreadablePayload e =
        assertThrows(
            UnreadablePayload.class,
            () -> codec(key("k2"), key("k1")).decode(List.of(underRetired)));

    assertEquals(
        "the payload is encrypted with key id retired, which is not among the payload keys held"
            + " (k2, k1); add that key below the current one",
        e.getMessage());
  }

  @Test
  void withNoKeyAnEncryptedPayloadSaysSoAndPlainOnesPassUnchanged() {
    Payload encrypted = one(codec(key("k1")).encode(List.of(plain("{}"))));
    AesGcmPayloadCodec keyless = new AesGcmPayloadCodec(PayloadKeyRing.NONE, false);

    UnreadablePayload e =
        assertThrows(UnreadablePayload.class, () -> keyless.decode(List.of(encrypted)));
    assertTrue(e.getMessage().startsWith("the payload is encrypted (key id k1)"), e.getMessage());
    assertTrue(e.getMessage().contains("--payload-key-file"), e.getMessage());

    Payload input = plain("{\"a\":1}");
    assertSame(input, one(keyless.encode(List.of(input))));
    assertSame(input, one(keyless.decode(List.of(input))));
  }

  @Test
  void alteredCiphertextFailsToDecrypt() {
    AesGcmPayloadCodec codec = codec(key("k1"));
    Payload encrypted = one(codec.encode(List.of(plain("{\"weight\":5}"))));
    byte[] data = encrypted.getData().toByteArray();
    data[data.length / 2] ^= 0x01;
    Payload tampered = encrypted.toBuilder().setData(ByteString.copyFrom(data)).build();

    UnreadablePayload e =
        assertThrows(UnreadablePayload.class, () -> codec.decode(List.of(tampered)));
    assertTrue(e.getMessage().contains("does not decrypt: it was altered"), e.getMessage());
  }

  @Test
  void aSwappedKeyIdFailsEvenWhenBothKeysAreHeld() {
    PayloadKey a = key("a");
    PayloadKey b = key("b");
    AesGcmPayloadCodec codec = codec(a, b);
    Payload encrypted = one(codec.encode(List.of(plain("{}"))));
    Payload relabelled =
        encrypted.toBuilder()
            .putMetadata("encryption-key-id", ByteString.copyFromUtf8("b"))
            .build();

    assertThrows(UnreadablePayload.class, () -> codec.decode(List.of(relabelled)));
  }

  @Test
  void aTruncatedPayloadIsRefusedNotCrashedOn() {
    AesGcmPayloadCodec codec = codec(key("k1"));
    Payload encrypted = one(codec.encode(List.of(plain("{}"))));
    Payload truncated = encrypted.toBuilder().setData(encrypted.getData().substring(0, 10)).build();

    UnreadablePayload e =
        assertThrows(UnreadablePayload.class, () -> codec.decode(List.of(truncated)));
    assertTrue(e.getMessage().contains("too short"), e.getMessage());
  }

  @Test
  void aPlainPayloadPassesThroughUnlessEncryptionIsRequired() {
    Payload input = plain("{\"service\":\"api\"}");
    assertSame(input, one(codec(key("k1")).decode(List.of(input))));

    AesGcmPayloadCodec strict =
        new AesGcmPayloadCodec(new PayloadKeyRing(List.of(key("k1"))), true);
    UnreadablePayload e =
        assertThrows(UnreadablePayload.class, () -> strict.decode(List.of(input)));
    assertTrue(
        e.getMessage().startsWith("a plain payload (encoding json/plain) was refused"),
        e.getMessage());
    // What it encrypted itself, it reads.
    assertEquals(input, one(strict.decode(strict.encode(List.of(input)))));
  }

  @Test
  void anEncryptedPayloadIsNotEncryptedTwice() {
    AesGcmPayloadCodec codec = codec(key("k1"));
    Payload once = one(codec.encode(List.of(plain("{}"))));
    assertSame(once, one(codec.encode(List.of(once))));
  }
}
