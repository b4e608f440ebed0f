package dev.trafficctl.config.canary;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.time.Duration;

/**
 * A rate metric's bound: {@code success_rate} (at least) or {@code error_rate} (at most), in
 * percent, evaluated over {@code window} ending now.
 */
public record RateThreshold(Double threshold, Duration window) implements Validatable {

  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

  public RateThreshold {
    window = window == null ? DEFAULT_WINDOW : window;
  }

  @Override
  public void validate(Validator at) {
    if (at.required("threshold", threshold)) {
      at.percentage("threshold", threshold);
    }
    at.positive("window", window);
  }
}
