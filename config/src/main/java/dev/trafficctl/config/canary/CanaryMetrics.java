package dev.trafficctl.config.canary;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;

/** {@code canary.<service>.metrics}: the bounds every analysis checks. */
public record CanaryMetrics(
    RateThreshold successRate, RateThreshold errorRate, ResponseTimeThreshold responseTime)
    implements Validatable {

  @Override
  public void validate(Validator at) {
    at.nested("success_rate", successRate);
    at.nested("error_rate", errorRate);
    at.nested("response_time", responseTime);
  }
}
