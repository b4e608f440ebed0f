package dev.trafficctl.client.payload;

import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES key and the id that names it in every payload it encrypts ({@code encryption-key-id}), so
 * a payload written before a key rotation still finds its key.
 *
 * @param id letters, digits, {@code .}, {@code _} and {@code -}; not secret (it is in the history)
 * @param key 128, 192 or 256 bits
 */
public record PayloadKey(String id, SecretKey key) {

  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public PayloadKey {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "key id "
              + (id == null ? "(none)" : "'" + id + "'")
              + " is not a key id (letters, digits, '.', '_', '-'; at most 64)");
    }
    int bytes = key.getEncoded().length;
    if (bytes != 16 && bytes != 24 && bytes != 32) {
      throw new IllegalArgumentException(
          "key " + id + " has " + bytes + " bytes; AES takes 16, 24 or 32 (32 recommended)");
    }
  }

  /** A key of {@code bytes} (copied), named {@code id}. */
  public static PayloadKey of(String id, byte[] bytes) {
    return new PayloadKey(id, new SecretKeySpec(bytes, "AES"));
  }

  /** Names the key and its size, never its bytes: this string may reach a log. */
  @Override
  public String toString() {
    return "PayloadKey[" + id + ", AES-" + key.getEncoded().length * 8 + "]";
  }
}
