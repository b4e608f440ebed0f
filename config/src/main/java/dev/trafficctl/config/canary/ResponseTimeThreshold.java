package dev.trafficctl.config.canary;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.time.Duration;

/**
 * {@code metrics.response_time}: the {@code percentile} of request latency must stay at or below
 * {@code threshold} over {@code window}.
 */
public record ResponseTimeThreshold(Duration threshold, Double percentile, Duration window)
    implements Validatable {

  /** The percentile bounded unless a document says otherwise: p95. */
  public static final double DEFAULT_PERCENTILE = 95.0;

  public ResponseTimeThreshold {
    percentile = percentile == null ? DEFAULT_PERCENTILE : percentile;
    window = window == null ? RateThreshold.DEFAULT_WINDOW : window;
  }

  @Override
  public void validate(Validator at) {
    if (at.required("threshold", threshold)) {
      at.positive("threshold", threshold);
    }
    at.check(
        percentile > 0 && percentile < 100,
        "percentile",
        at.shown("percentile", percentile)
            + " is not a percentile (between 0 and 100, e.g. 95, 99.9)");
    at.positive("window", window);
  }
}
