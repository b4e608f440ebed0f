package dev.trafficctl.demo;

import dev.trafficctl.config.SpecDurations;
import java.time.Duration;

/** Durations for the flags and the admin endpoint, in the product's notation. */
final class DemoDurations {

  private DemoDurations() {}

  /**
   * Parses {@code 20ms}, {@code 1s}, {@code 1m30s}; a bare {@code 0} is zero too, since "no
   * latency" needs no unit.
   *
   * @throws IllegalArgumentException with a one-line message naming {@code field}
   */
  static Duration parse(String field, String text) {
    String trimmed = text == null ? "" : text.trim();
    if (trimmed.equals("0")) {
      return Duration.ZERO;
    }
    return SpecDurations.parse(trimmed)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    field
                        + ": '"
                        + text
                        + "' is not a duration (examples: 0, 20ms, 1s, "
                        + SpecDurations.EXAMPLES
                        + ")"));
  }

  static String format(Duration d) {
    return SpecDurations.format(d);
  }
}
