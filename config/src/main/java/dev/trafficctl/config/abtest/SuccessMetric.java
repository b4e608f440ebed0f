package dev.trafficctl.config.abtest;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.regex.Pattern;

/**
 * One of {@code ab_test.success_metrics}: a metric and the change in it the test looks for.
 *
 * @param name the metric, {@code [a-z_][a-z0-9_]*} (a Prometheus-style name, e.g. {@code
 *     conversion_rate}); required
 * @param threshold the relative change of the treatment against the control that counts as a win, a
 *     fraction in -1..1 other than 0: {@code 0.05} is a 5% improvement, {@code -0.02} a 2%
 *     reduction (for metrics where less is better, such as a bounce rate); required
 */
public record SuccessMetric(String name, Double threshold) implements Validatable {

  private static final Pattern METRIC = Pattern.compile("[a-z_][a-z0-9_]*");

  @Override
  public void validate(Validator at) {
    if (at.required("name", name)) {
      at.matches("name", name, METRIC, "a metric name ([a-z_][a-z0-9_]*)");
    }
    if (at.required("threshold", threshold)
        && at.check(
            threshold >= -1 && threshold <= 1,
            "threshold",
            at.shown("threshold", threshold)
                + " is not a relative change (-1..1: 0.05 is +5%, -0.02 is -2%)")) {
      at.check(
          threshold != 0,
          "threshold",
          "0 is no change; give the change that counts as a win (0.05 is +5%, -0.02 is -2%)");
    }
  }
}
