package dev.trafficctl.client.payload;

import dev.trafficctl.client.InvalidConnectionSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The payload keys a process holds: the first encrypts, every one decrypts what was encrypted under
 * its id. Rotation is putting a new key first and keeping the old ones below it for as long as
 * histories encrypted with them are read.
 *
 * <p>Written one key a line as {@code ID:BASE64} (blank lines and {@code #} comments ignored), or,
 * in one environment variable, the same entries separated by commas.
 */
public record PayloadKeyRing(List<PayloadKey> keys) {

  /** No key: payloads go out plain, as without encryption. */
  public static final PayloadKeyRing NONE = new PayloadKeyRing(List.of());

  public PayloadKeyRing {
    keys = List.copyOf(keys);
    Set<String> ids = new HashSet<>();
    for (PayloadKey key : keys) {
      if (!ids.add(key.id())) {
        throw new IllegalArgumentException("key id " + key.id() + " is given twice");
      }
    }
  }

  /**
   * The keys in {@code text}, as a key file or {@code TRAFFICCTL_PAYLOAD_KEYS} holds them.
   *
   * @param source names the text in messages (a file, a variable); no message quotes a key
   * @throws InvalidConnectionSettings naming the source and the line or entry at fault
   */
  public static PayloadKeyRing parse(String text, String source) {
    List<PayloadKey> keys = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    String[] lines = text.split("\\R", -1);
    for (int l = 0; l < lines.length; l++) {
      String[] entries = lines[l].split(",", -1);
      for (int e = 0; e < entries.length; e++) {
        String entry = entries[e].strip();
        if (entry.isEmpty() || entry.startsWith("#")) {
          continue;
        }
        String where =
            source
                + (lines.length > 1 ? ":" + (l + 1) : "")
                + (entries.length > 1 ? " (entry " + (e + 1) + ")" : "");
        PayloadKey key = entry(entry, where);
        if (!ids.add(key.id())) {
          throw new InvalidConnectionSettings(where + ": key id " + key.id() + " is given twice");
        }
        keys.add(key);
      }
    }
    if (keys.isEmpty()) {
      throw new InvalidConnectionSettings(
          source + " holds no payload key (one per line: ID:BASE64, the first encrypts)");
    }
    return new PayloadKeyRing(keys);
  }

  private static PayloadKey entry(String entry, String where) {
    int colon = entry.indexOf(':');
    if (colon <= 0) {
      throw new InvalidConnectionSettings(where + ": not ID:BASE64");
    }
    String id = entry.substring(0, colon).strip();
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(entry.substring(colon + 1).strip());
    } catch (IllegalArgumentException e) {
      // The decoder's message quotes the offending character: a piece of the key stays out.
      throw new InvalidConnectionSettings(where + ": key " + id + " is not base64");
    }
    try {
      return PayloadKey.of(id, bytes);
    } catch (IllegalArgumentException e) {
      throw new InvalidConnectionSettings(where + ": " + e.getMessage());
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** The key new payloads are encrypted with: the first. */
  public Optional<PayloadKey> encrypting() {
    return keys.isEmpty() ? Optional.empty() : Optional.of(keys.get(0));
  }

  public Optional<PayloadKey> byId(String id) {
    return keys.stream().filter(k -> k.id().equals(id)).findFirst();
  }

  public List<String> ids() {
    return keys.stream().map(PayloadKey::id).toList();
  }
}
