package dev.trafficctl.client.payload;

import io.temporal.payload.codec.PayloadCodecException;
import java.util.Optional;

/**
 * A payload this process cannot or will not decode: encrypted under a key id it does not hold (or
 * with no key at all), altered since it was encrypted, or plain where encryption is required. The
 * message is one line that says which and what to change; it never quotes a key or the payload.
 */
public final class UnreadablePayload extends PayloadCodecException {

  private static final long serialVersionUID = 1L;

  UnreadablePayload(String message) {
    super(message);
  }

  UnreadablePayload(String message, Throwable cause) {
    super(message, cause);
  }

  /** The first {@code UnreadablePayload} in {@code e}'s causes, if any. */
  public static Optional<UnreadablePayload> in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnreadablePayload unreadable) {
        return Optional.of(unreadable);
      }
    }
    return Optional.empty();
  }
}
