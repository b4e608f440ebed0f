package dev.trafficctl.config.canary;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.time.Duration;

/**
 * One step of {@code canary.<service>.steps}: the candidate's share of traffic and how long it is
 * held and judged before the next.
 *
 * @param trafficPercent the candidate's weight, 0..100
 * @param duration how long the step holds; absent on the final step (promotion)
 * @param successThreshold overrides {@code metrics.success_rate.threshold} during this step
 */
public record CanaryStep(int trafficPercent, Duration duration, Double successThreshold)
    implements Validatable {

  @Override
  public void validate(Validator at) {
    at.percentage("traffic_percent", trafficPercent);
    at.percentage("success_threshold", successThreshold);
    at.positive("duration", duration);
  }
}
