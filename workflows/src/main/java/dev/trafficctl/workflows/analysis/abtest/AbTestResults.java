package dev.trafficctl.workflows.analysis.abtest;

import dev.trafficctl.workflows.analysis.abtest.stats.Verdict;
import java.time.Instant;
import java.util.List;

/**
 * An A/B test's results at its latest analysis: what the {@code results} query returns. Every
 * figure is computed from the counts of users, so a rate of 12% from 25 users and from 25,000 show
 * their difference in their intervals. A figure that is undefined (a rate of 0 users, a lift from a
 * control without conversions, a boundary not yet plannable) is null.
 *
 * @param control the control variant (the first)
 * @param analyses analyses done so far
 * @param analysedAt when the counts were read; null before the first analysis
 * @param metricsError why the latest analysis could not read counts; null when it could
 * @param metrics per success metric, the primary (first) first
 * @param conclusion who ended the test with which winner, and why; null while none has
 */
public record AbTestResults(
    String name,
    String control,
    Instant startedAt,
    Instant deadline,
    int analyses,
    Instant analysedAt,
    String metricsError,
    List<MetricResult> metrics,
    Conclusion conclusion) {

  public AbTestResults {
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }

  /**
   * One success metric.
   *
   * @param threshold the relative change that counts as a win (0.05: +5%, -0.02: -2%)
   * @param primary the first metric: the one {@code --auto} and the end of the test decide on
   * @param variants every variant's users and rate, the control first
   * @param comparisons every other variant against the control
   * @param decision the variant this metric says wins (a treatment decided in the intended
   *     direction, or the control when every treatment was decided in the wrong one); null while
   *     undecided
   * @param summary one line: the decision, or why there is none and the sample it needs
   */
  public record MetricResult(
      String metric,
      double threshold,
      boolean primary,
      List<VariantResult> variants,
      List<Comparison> comparisons,
      String decision,
      String summary) {

    public MetricResult {
      variants = List.copyOf(variants);
      comparisons = List.copyOf(comparisons);
    }
  }

  /**
   * One variant's users on one metric.
   *
   * @param users users exposed
   * @param conversions of those, users who converted
   * @param rate conversions / users
   * @param rateLower the Wilson interval's lower bound at the test's significance
   * @param rateUpper its upper bound
   */
  public record VariantResult(
      String variant,
      String version,
      long users,
      long conversions,
      Double rate,
      Double rateLower,
      Double rateUpper) {}

  /**
   * A treatment against the control on one metric.
   *
   * @param variant the treatment
   * @param verdict the sequential judge's verdict at this look: once a look has crossed its
   *     boundary, that look's verdict
   * @param relativeLift p_t/p_c − 1
   * @param relativeLiftLower its interval (delta method on the log ratio) at the test's
   *     significance
   * @param absoluteLift p_t − p_c
   * @param pValue the two-sided p-value at a fixed level (ignoring the peeking, which the boundary
   *     accounts for: it is no measure of a winner)
   * @param power the achieved power at the observed rates and users
   * @param z the pooled z statistic
   * @param boundary the |z| this look had to exceed, its exact group-sequential boundary; null when
   *     it could not decide (no sample size planned yet, no new users since the previous look, or
   *     no alpha left to spend: past the planned sample)
   * @param requiredPerVariant users each variant needs to detect the threshold at the test's
   *     significance and power; 0 while it cannot be planned
   * @param decidedAt the analysis whose |z| first exceeded its boundary, which decided the verdict;
   *     null while none has
   * @param decidedZ the z of that analysis
   * @param decidedBoundary the boundary it exceeded
   */
  public record Comparison(
      String variant,
      Verdict verdict,
      Double relativeLift,
      Double relativeLiftLower,
      Double relativeLiftUpper,
      Double absoluteLift,
      Double absoluteLiftLower,
      Double absoluteLiftUpper,
      Double pValue,
      Double power,
      double z,
      double informationFraction,
      Double boundary,
      long requiredPerVariant,
      Integer decidedAt,
      Double decidedZ,
      Double decidedBoundary) {}
}
