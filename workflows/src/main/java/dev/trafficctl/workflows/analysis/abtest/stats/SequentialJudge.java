package dev.trafficctl.workflows.analysis.abtest.stats;

import dev.trafficctl.config.abtest.Monitoring;
import dev.trafficctl.config.abtest.SuccessMetric;

/**
 * Judges one look at one success metric of an A/B test, in this order:
 *
 * <ol>
 *   <li>{@link Verdict#TOO_FEW} while a variant has fewer users than {@code minimum_sample_size};
 *   <li>otherwise the pooled z statistic ({@link TwoProportionTest#zStatistic}) is compared with
 *       the look's exact group-sequential boundary ({@link SequentialLooks}), which spends the
 *       O'Brien-Fleming-type share of α = 1 − {@code statistical_significance} due by t = min(1,
 *       n/n_required) ({@link AlphaSpending}), n the smaller variant's users and n_required {@link
 *       TwoProportionTest#requiredSampleSizePerGroup} for the control's observed rate, the metric's
 *       threshold as the relative effect and {@code power};
 *   <li>past the boundary, {@link Verdict#WINNER} when z has the sign of the threshold (a rise for
 *       a positive threshold such as conversion_rate 0.05, a fall for a negative one such as
 *       bounce_rate −0.02) and {@link Verdict#LOSER} when it has the other sign; short of it,
 *       {@link Verdict#INCONCLUSIVE}. The first look past its boundary decides: later looks keep
 *       its verdict, as a group-sequential test stops at its first crossing.
 * </ol>
 *
 * The threshold sets the direction and the planned sample; a winner's observed lift need not reach
 * it.
 */
public final class SequentialJudge {

  private SequentialJudge() {}

  /**
   * Judges the {@code analysis}-th look with the document's values (the metric's threshold and the
   * test's monitoring), after the comparison's earlier {@code looks}.
   */
  public static MetricAnalysis judge(
      Proportion control,
      Proportion treatment,
      SuccessMetric metric,
      Monitoring monitoring,
      long minimumSampleSize,
      SequentialLooks looks,
      int analysis) {
    return judge(
        control,
        treatment,
        metric.threshold(),
        monitoring.statisticalSignificance(),
        monitoring.power(),
        minimumSampleSize,
        looks,
        analysis);
  }

  /** Judges a comparison's first look. */
  public static MetricAnalysis judge(
      Proportion control,
      Proportion treatment,
      SuccessMetric metric,
      Monitoring monitoring,
      long minimumSampleSize) {
    return judge(
        control, treatment, metric, monitoring, minimumSampleSize, SequentialLooks.NONE, 1);
  }

  /**
   * @param threshold the relative change that counts as a win, non-zero, in [−1, 1]
   * @param significance 1 − α, in (0, 1), e.g. 0.95
   * @param power the power the sample is planned for, in (0, 1), e.g. 0.80
   * @param minimumSampleSize users each variant needs before anything counts, at least 1
   * @param looks the comparison's earlier looks ({@link MetricAnalysis#looks()} of the previous
   *     one), {@link SequentialLooks#NONE} at the first
   * @param analysis which of the test's analyses this look is, from 1
   */
  public static MetricAnalysis judge(
      Proportion control,
      Proportion treatment,
      double threshold,
      double significance,
      double power,
      long minimumSampleSize,
      SequentialLooks looks,
      int analysis) {
    if (!(threshold != 0 && threshold >= -1 && threshold <= 1)) {
      throw new IllegalArgumentException(
          "threshold " + threshold + " is not a non-zero relative change in [-1, 1]");
    }
    if (!(power > 0 && power < 1)) {
      throw new IllegalArgumentException("power " + power + " is not in (0, 1)");
    }
    if (minimumSampleSize < 1) {
      throw new IllegalArgumentException("minimum sample size " + minimumSampleSize + " < 1");
    }
    double alpha = Proportion.alphaOf(significance);
    TwoProportionTest test = new TwoProportionTest(control, treatment);
    double z = test.zStatistic();
    long perGroup = Math.min(control.trials(), treatment.trials());
    long required = plan(control, threshold, alpha, power);
    double t = required == 0 ? 0.0 : AlphaSpending.informationFraction(perGroup, required);
    double boundary = Double.POSITIVE_INFINITY;
    if (perGroup >= minimumSampleSize && required > 0) {
      SequentialLooks.Boundary b = looks.next(perGroup, t, alpha);
      boundary = b.value();
      looks = b.looks();
      if (Math.abs(z) > boundary) {
        Verdict crossed = Math.signum(z) == Math.signum(threshold) ? Verdict.WINNER : Verdict.LOSER;
        looks = looks.decidedBy(new SequentialLooks.Decision(analysis, crossed, z, boundary));
      }
    }
    Verdict verdict;
    if (looks.decision() != null) {
      verdict = looks.decision().verdict();
    } else if (perGroup < minimumSampleSize) {
      verdict = Verdict.TOO_FEW;
    } else {
      verdict = Verdict.INCONCLUSIVE;
    }
    return new MetricAnalysis(verdict, test, z, t, boundary, required, looks);
  }

  private static long plan(Proportion control, double threshold, double alpha, double power) {
    if (control.trials() == 0) {
      return 0;
    }
    double baseline = control.rate();
    double target = baseline * (1 + threshold);
    if (!(baseline > 0 && baseline < 1 && target > 0 && target < 1)) {
      return 0;
    }
    return TwoProportionTest.requiredSampleSizePerGroup(baseline, threshold, alpha, power);
  }
}
