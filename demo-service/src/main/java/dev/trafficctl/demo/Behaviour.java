package dev.trafficctl.demo;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * How the service answers right now: the share of requests that fail with 500, the delay before
 * each answer, and whether {@code /health} reports healthy. Set by the flags at start and changed
 * at run time through {@code POST /admin/config}, so a test can turn a healthy canary bad.
 *
 * @param errorRate percent of requests answered with 500, 0..100
 * @param latency added before every answer
 * @param latencyJitter a uniformly drawn extra delay, 0..latencyJitter, on top of {@code latency}
 * @param healthy whether {@code GET /health} answers 200 (else 503)
 */
public record Behaviour(
    double errorRate, Duration latency, Duration latencyJitter, boolean healthy) {

  /** Answers every request at once with 200 and reports healthy. */
  public static final Behaviour NOMINAL = new Behaviour(0, Duration.ZERO, Duration.ZERO, true);

  public Behaviour {
    if (Double.isNaN(errorRate) || errorRate < 0 || errorRate > 100) {
      throw new IllegalArgumentException(
          "error_rate: " + plain(errorRate) + " is not a percentage (0..100)");
    }
    if (latency == null || latency.isNegative()) {
      throw new IllegalArgumentException("latency: must be a duration of 0 or more");
    }
    if (latencyJitter == null || latencyJitter.isNegative()) {
      throw new IllegalArgumentException("latency_jitter: must be a duration of 0 or more");
    }
  }

  /** {@code 101} rather than {@code 101.0}: the number as a person would have typed it. */
  static String plain(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
