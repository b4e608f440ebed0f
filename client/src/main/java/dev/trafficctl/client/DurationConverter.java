package dev.trafficctl.client;

import dev.trafficctl.config.SpecDurations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Duration flags of the CLI and the worker, read as in the documents: {@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 1h}, {@code 14d}.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    return SpecDurations.parse(value)
        .orElseThrow(
            () ->
                new TypeConversionException(
                    "\"" + value + "\" is not a duration (" + SpecDurations.EXAMPLES + ")"));
  }
}
