package dev.trafficctl.config.abtest;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;

/**
 * {@code ab_test.monitoring}: the statistics of the verdict.
 *
 * @param statisticalSignificance confidence required before a difference counts (1 minus the
 *     false-positive rate), strictly between 0 and 1; default 0.95
 * @param power chance of detecting a change of the threshold's size when it is real, strictly
 *     between 0 and 1; default 0.80
 */
public record Monitoring(Double statisticalSignificance, Double power) implements Validatable {

  public Monitoring {
    statisticalSignificance = statisticalSignificance == null ? 0.95 : statisticalSignificance;
    power = power == null ? 0.80 : power;
  }

  @Override
  public void validate(Validator at) {
    at.openFraction("statistical_significance", statisticalSignificance);
    at.openFraction("power", power);
  }
}
