package dev.trafficctl.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the spec writes them: {@code 500ms}, {@code 300s}, {@code 5m}, {@code 1h}, {@code
 * 14d}, and compounds such as {@code 1h30m}. Formatting picks the largest units that represent the
 * value exactly, so a value always reads back as itself.
 */
public final class SpecDurations {

  /** The shape accepted, for error messages and the JSON Schema. */
  public static final String EXAMPLES = "500ms, 30s, 5m, 1h, 14d";

  public static final String PATTERN = "^([0-9]+(ms|s|m|h|d))+$";

  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d)");
  private static final Pattern WHOLE = Pattern.compile(PATTERN);

  private SpecDurations() {}

  /** Parses {@code text}, or returns empty when it is not a duration in the spec's notation. */
  public static Optional<Duration> parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    try {
      while (m.find()) {
        long amount = Long.parseLong(m.group(1));
        total =
            switch (m.group(2)) {
              case "ms" -> total.plusMillis(amount);
              case "s" -> total.plusSeconds(amount);
              case "m" -> total.plusMinutes(amount);
              case "h" -> total.plusHours(amount);
              case "d" -> total.plusDays(amount);
              default -> throw new IllegalStateException("unreachable unit " + m.group(2));
            };
      }
    } catch (ArithmeticException | NumberFormatException tooLarge) {
      return Optional.empty();
    }
    return Optional.of(total);
  }

  /**
   * Formats {@code d} in the spec's notation: {@code 5m}, {@code 1h30m}, {@code 500ms}, {@code 0s}.
   */
  public static String format(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration " + d);
    }
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long days = d.toDays();
    append(out, days, "d");
    append(out, d.toHoursPart(), "h");
    append(out, d.toMinutesPart(), "m");
    append(out, d.toSecondsPart(), "s");
    append(out, d.toMillisPart(), "ms");
    return out.toString();
  }

  /**
   * A duration as a person reads it, rounded to its two largest units: whole seconds below an hour
   * ({@code 42s}, {@code 1m34s}), minutes below a day ({@code 2h5m}), hours above ({@code 2d3h}). A
   * duration under a second but above zero reads {@code 1s}: "0s left" would say it is over.
   */
  public static String human(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return "0s";
    }
    Duration unit =
        d.compareTo(Duration.ofHours(1)) < 0
            ? Duration.ofSeconds(1)
            : d.compareTo(Duration.ofDays(1)) < 0 ? Duration.ofMinutes(1) : Duration.ofHours(1);
    long units = Math.max(1, Math.round((double) d.toMillis() / unit.toMillis()));
    return format(unit.multipliedBy(units));
  }

  private static void append(StringBuilder out, long amount, String unit) {
    if (amount != 0) {
      out.append(amount).append(unit);
    }
  }
}
