package dev.trafficctl.activities.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A token, password or signing key, read from the environment or a file and never printed: {@link
 * #toString()} hides it, so a secret that slips into a log line or an error message shows as {@code
 * ****}.
 */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("a secret cannot be empty");
    }
    return new Secret(value.strip());
  }

  /**
   * The file's content when {@code file} is given (trailing newline stripped), else the variable
   * {@code name} of {@code env}; empty when neither is set.
   */
  public static Optional<Secret> from(Map<String, String> env, String name, Path file) {
    if (file != null) {
      try {
        return Optional.of(of(Files.readString(file, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(of(value));
  }

  /** The secret itself, for the one call that needs it. */
  public String reveal() {
    return value;
  }

  /** Removes every occurrence of the secret from {@code text}: for messages from libraries. */
  public String redact(String text) {
    return text == null ? null : text.replace(value, "****");
  }

  @Override
  public String toString() {
    return "****";
  }
}
