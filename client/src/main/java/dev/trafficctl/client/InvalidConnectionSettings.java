package dev.trafficctl.client;

/**
 * A connection setting that cannot be used: a missing file, an unknown profile, half a TLS key
 * pair. The message is one line and never contains a secret.
 */
public final class InvalidConnectionSettings extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidConnectionSettings(String message) {
    super(message);
  }
}
