package dev.trafficctl.workflows.analysis.abtest.stats;

/**
 * A two-sided confidence interval [lower, upper] around an estimate.
 *
 * @param lower the lower bound
 * @param upper the upper bound, not below {@code lower}
 */
public record ConfidenceInterval(double lower, double upper) {

  public ConfidenceInterval {
    if (!(lower <= upper)) {
      throw new IllegalArgumentException("interval [" + lower + ", " + upper + "] is empty");
    }
  }

  /** Whether {@code value} lies in the closed interval. */
  public boolean contains(double value) {
    return lower <= value && value <= upper;
  }

  /** Whether the whole interval is above 0 (a positive effect) or below 0 (a negative one). */
  public boolean excludesZero() {
    return lower > 0 || upper < 0;
  }
}
