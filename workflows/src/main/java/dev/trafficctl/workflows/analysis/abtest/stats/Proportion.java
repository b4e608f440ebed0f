package dev.trafficctl.workflows.analysis.abtest.stats;

/**
 * One variant's count for one metric: of the {@code trials} users exposed to the variant, {@code
 * successes} converted (did what the metric counts: bought, bounced, ...). The user is the unit;
 * each user counts once whatever number of requests they made.
 *
 * @param successes users who converted, 0..trials
 * @param trials users exposed, at least 0
 */
public record Proportion(long successes, long trials) {

  public Proportion {
    if (trials < 0 || successes < 0 || successes > trials) {
      throw new IllegalArgumentException(
          successes + " of " + trials + " is not a count of successes among trials");
    }
  }

  /**
   * The observed rate p̂ = successes / trials.
   *
   * @throws IllegalStateException when no user was exposed
   */
  public double rate() {
    if (trials == 0) {
      throw new IllegalStateException("no trials: the rate of 0 of 0 is undefined");
    }
    return (double) successes / trials;
  }

  /**
   * The Wilson score interval for the true rate at the given confidence (e.g. 0.95). With n =
   * trials, p̂ = rate and z = z_((1−confidence)/2) the upper critical value of the standard normal:
   *
   * <pre>
   *   centre    = (p̂ + z²/(2n)) / (1 + z²/n)
   *   halfWidth = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/(4n²))
   *   interval  = [centre − halfWidth, centre + halfWidth]
   * </pre>
   *
   * the same as statsmodels' {@code proportion_confint(..., method='wilson')}. Bounds are clamped
   * to [0, 1] against rounding at 0 or n successes.
   */
  public ConfidenceInterval wilson(double confidence) {
    double z = Normal.upperQuantile(alphaOf(confidence) / 2);
    double n = trials;
    double p = rate();
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denominator;
    double halfWidth = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return new ConfidenceInterval(
        Math.max(0.0, centre - halfWidth), Math.min(1.0, centre + halfWidth));
  }

  /** 1 − confidence, after checking that confidence is strictly between 0 and 1. */
  static double alphaOf(double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence " + confidence + " is not in (0, 1)");
    }
    return 1 - confidence;
  }
}
