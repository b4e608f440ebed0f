package dev.trafficctl.worker;

import dev.trafficctl.config.SpecDurations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Duration flags in the notation of the documents: {@code 500ms}, {@code 20s}, {@code 1m}. */
final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    return SpecDurations.parse(value)
        .orElseThrow(
            () ->
                new TypeConversionException(
                    "'" + value + "' is not a duration (" + SpecDurations.EXAMPLES + ")"));
  }
}
