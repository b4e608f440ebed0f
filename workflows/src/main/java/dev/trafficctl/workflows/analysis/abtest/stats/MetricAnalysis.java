package dev.trafficctl.workflows.analysis.abtest.stats;

/**
 * One look at one success metric of an A/B test: the verdict and the numbers behind it. Lifts,
 * intervals, the p-value and the achieved power come from {@link #test()}.
 *
 * @param verdict what the look says
 * @param test the counts of the control and the treatment
 * @param z the pooled two-proportion z statistic, positive when the treatment's rate is higher
 * @param informationFraction t = min(1, users per variant / requiredPerGroup); 0 when no sample
 *     size can be planned
 * @param boundary the |z| the look had to exceed, its exact group-sequential boundary ({@link
 *     SequentialLooks}); +∞ when the look could not decide: too few users, no plan (t = 0), no new
 *     users since the previous look, or no alpha left to spend
 * @param requiredPerGroup users per variant needed to detect the metric's threshold at the test's
 *     significance and power, planned from the control's rate observed at this look; 0 when it
 *     cannot be planned (no control users, a control rate of 0 or 1, or a threshold that takes the
 *     rate out of (0, 1)), which keeps the look from ever being decisive
 * @param looks the comparison's looks with this one: what the next look is judged after, and the
 *     look that decided it, if any ({@link SequentialLooks#decision()})
 */
public record MetricAnalysis(
    Verdict verdict,
    TwoProportionTest test,
    double z,
    double informationFraction,
    double boundary,
    long requiredPerGroup,
    SequentialLooks looks) {

  /** The two-sided p-value of {@link #z()} at a fixed level, 2·Φ(−|z|), ignoring the peeking. */
  public double pValue() {
    return 2 * Normal.cdf(-Math.abs(z));
  }
}
