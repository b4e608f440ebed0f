package dev.trafficctl.client.payload;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.annotation.Nonnull;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts each payload whole (its metadata too, so not even its encoding shows) with AES-GCM under
 * the key ring's first key: a fresh random 12-byte nonce per payload, a 128-bit tag, and the key id
 * as associated data, so a payload whose key id was swapped fails as surely as one whose bytes
 * were. The result is {@code encoding: binary/encrypted} with the key id in {@code
 * encryption-key-id} and the data {@code nonce || ciphertext || tag}.
 *
 * <p>Decoding passes a payload of any other encoding through unchanged, unless plain payloads are
 * refused ({@code requireEncrypted}): that is how an input started without the key, e.g. by a
 * pipeline through Temporal's API, is still read. With no key at all, encoding changes nothing and
 * decoding says clearly that a payload is encrypted rather than failing on an unknown encoding.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {

  public static final String ENCODING = "binary/encrypted";
  public static final String KEY_ID = "encryption-key-id";
  public static final String CIPHER_KEY = "encryption-cipher";
  static final String CIPHER = "AES/GCM/NoPadding";

  private static final ByteString ENCODING_BYTES = ByteString.copyFromUtf8(ENCODING);
  private static final ByteString CIPHER_BYTES = ByteString.copyFromUtf8(CIPHER);
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final PayloadKeyRing keys;
  private final boolean requireEncrypted;
  private final SecureRandom random = new SecureRandom();

  public AesGcmPayloadCodec(PayloadKeyRing keys, boolean requireEncrypted) {
    this.keys = keys;
    this.requireEncrypted = requireEncrypted;
  }

  @Nonnull
  @Override
  public List<Payload> encode(@Nonnull List<Payload> payloads) {
    return payloads.stream().map(this::encode).toList();
  }

  @Nonnull
  @Override
  public List<Payload> decode(@Nonnull List<Payload> payloads) {
    return payloads.stream().map(this::decode).toList();
  }

  public static boolean isEncrypted(Payload payload) {
    return ENCODING_BYTES.equals(
        payload.getMetadataOrDefault(EncodingKeys.METADATA_ENCODING_KEY, ByteString.EMPTY));
  }

  private Payload encode(Payload payload) {
    if (keys.isEmpty() || isEncrypted(payload)) {
      return payload;
    }
    PayloadKey key = keys.encrypting().orElseThrow();
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed;
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce);
      sealed = cipher.doFinal(payload.toByteArray());
    } catch (GeneralSecurityException e) {
      // The JDK always has AES-GCM; reaching this is a broken runtime, not a bad payload.
      throw new IllegalStateException("AES-GCM unavailable: " + e.getMessage(), e);
    }
    return Payload.newBuilder()
        .putMetadata(EncodingKeys.METADATA_ENCODING_KEY, ENCODING_BYTES)
        .putMetadata(CIPHER_KEY, CIPHER_BYTES)
        .putMetadata(KEY_ID, ByteString.copyFromUtf8(key.id()))
        .setData(
            ByteString.copyFrom(
                ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array()))
        .build();
  }

  private Payload decode(Payload payload) {
    if (!isEncrypted(payload)) {
      if (requireEncrypted) {
        throw new UnreadablePayload(
            "a plain payload ("
                + encodingOf(payload)
                + ") was refused: this worker requires encrypted payloads"
                + " (--require-encrypted-payloads); start rollouts with trafficctl and its payload"
                + " key, or encode the input through the worker's codec server");
      }
      return payload;
    }
    String keyId = payload.getMetadataOrDefault(KEY_ID, ByteString.EMPTY).toStringUtf8();
    if (keyId.isEmpty()) {
      throw new UnreadablePayload("an encrypted payload carries no " + KEY_ID);
    }
    if (keys.isEmpty()) {
      throw new UnreadablePayload(
          "the payload is encrypted (key id "
              + keyId
              + ") and no payload key is configured: give its key with --payload-key-file,"
              + " TRAFFICCTL_PAYLOAD_KEY_FILE or TRAFFICCTL_PAYLOAD_KEYS");
    }
    PayloadKey key =
        keys.byId(keyId)
            .orElseThrow(
                () ->
                    new UnreadablePayload(
                        "the payload is encrypted with key id "
                            + keyId
                            + ", which is not among the payload keys held ("
                            + String.join(", ", keys.ids())
                            + "); add that key below the current one"));
    byte[] data = payload.getData().toByteArray();
    if (data.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new UnreadablePayload(
          "the payload encrypted with key id " + keyId + " is too short to be one");
    }
    byte[] plain;
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(data, NONCE_BYTES));
      plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new UnreadablePayload(
          "the payload encrypted with key id "
              + keyId
              + " does not decrypt: it was altered, or the key under that id is not the one it"
              + " was encrypted with",
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable: " + e.getMessage(), e);
    }
    try {
      return Payload.parseFrom(plain);
    } catch (InvalidProtocolBufferException e) {
      // Authenticated, so this is no tampering: something encrypted a non-payload under our key.
      throw new UnreadablePayload(
          "the payload encrypted with key id " + keyId + " holds no Temporal payload", e);
    }
  }

  private static Cipher cipher(int mode, PayloadKey key, byte[] nonce)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(CIPHER);
    cipher.init(mode, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(key.id().getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  private static String encodingOf(Payload payload) {
    ByteString encoding =
        payload.getMetadataOrDefault(EncodingKeys.METADATA_ENCODING_KEY, ByteString.EMPTY);
    return encoding.isEmpty() ? "no encoding" : "encoding " + encoding.toStringUtf8();
  }
}
