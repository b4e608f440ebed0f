package dev.trafficctl.workflows.analysis.abtest.stats;

import static dev.trafficctl.workflows.analysis.abtest.stats.Close.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.config.abtest.Monitoring;
import dev.trafficctl.config.abtest.SuccessMetric;
import org.junit.jupiter.api.Test;

/**
 * Verdicts with new-ui.yaml's settings: significance 0.95, power 0.80, minimum_sample_size 1000,
 * conversion_rate +0.05 and bounce_rate −0.02. Each reference prints z, its fixed-α p-value, the
 * planned per-group size and t; a first look's boundary is z_(α*(t)/2), which the comments compute
 * with Python's standard library.
 */
class SequentialJudgeTest {

  private static final Monitoring MONITORING = new Monitoring(0.95, 0.80);
  private static final SuccessMetric CONVERSION = new SuccessMetric("conversion_rate", 0.05);
  private static final SuccessMetric BOUNCE = new SuccessMetric("bounce_rate", -0.02);
  private static final long MINIMUM = 1000;

  private static MetricAnalysis judge(SuccessMetric metric, long xc, long nc, long xt, long nt) {
    return SequentialJudge.judge(
        new Proportion(xc, nc), new Proportion(xt, nt), metric, MONITORING, MINIMUM);
  }

  // The one-liners below also print z_(α/2)/√t, the approximate boundary the judge no longer uses.

  @Test
  void tooFewUsersInAVariant() {
    MetricAnalysis a = judge(CONVERSION, 100, 999, 200, 1000);
    // python3 -c "from statsmodels.stats.proportion import proportions_ztest as zt,
    // samplesize_proportions_2indep_onetail as ss; from scipy.stats import norm; from math import
    // ceil, sqrt; z, p = zt([200, 100], [1000, 999]); b = 100/999; n = ceil(ss(diff=b*(1+0.05)-b,
    // prop2=b, power=0.8, alpha=0.05)); t = min(1, min(999, 1000)/n); print(repr(z), repr(p), n,
    // repr(t), repr(norm.isf(0.025)/sqrt(t)))"
    // -> 6.253121646952603 4.0232850899428447e-10 57699 0.01731399157697707 14.895308076637031
    assertEquals(Verdict.TOO_FEW, a.verdict());
    assertRelative(6.253121646952603, a.z(), 1e-12);
    assertEquals(57699, a.requiredPerGroup());
    assertRelative(0.01731399157697707, a.informationFraction(), 1e-12);
    // Too few users: not a look, nothing spent.
    assertEquals(Double.POSITIVE_INFINITY, a.boundary());
    assertEquals(SequentialLooks.NONE, a.looks());
  }

  @Test
  void earlyLookSignificantAtFixedAlphaIsInconclusiveUnderTheBoundary() {
    MetricAnalysis a = judge(CONVERSION, 1000, 10000, 1090, 10000);
    // python3 -c "from statsmodels.stats.proportion import proportions_ztest as zt,
    // samplesize_proportions_2indep_onetail as ss; from scipy.stats import norm; from math import
    // ceil, sqrt; z, p = zt([1090, 1000], [10000, 10000]); b = 1000/10000; n =
    // ceil(ss(diff=b*(1+0.05)-b, prop2=b, power=0.8, alpha=0.05)); t = min(1, min(10000, 10000)/n);
    // print(repr(z), repr(p), n, repr(t), repr(norm.isf(0.025)/sqrt(t)))"
    // -> 2.0803507859630455 0.037493369762011446 57763 0.17312120215362775 4.7105645718932125
    // python3 -c "from statistics import NormalDist as N; from math import sqrt; z =
    // N().inv_cdf(1 - 0.0125); t = 0.17312120215362775;
    // print(repr(-N().inv_cdf(2*N().cdf(-z/sqrt(t)))))"
    // -> 5.260955515169799
    assertRelative(0.037493369762011446, a.pValue(), 1e-10);
    assertTrue(a.pValue() < 0.05, "significant if this look were the only one");
    assertEquals(Verdict.INCONCLUSIVE, a.verdict());
    assertRelative(2.0803507859630455, a.z(), 1e-12);
    assertEquals(57763, a.requiredPerGroup());
    assertRelative(0.17312120215362775, a.informationFraction(), 1e-12);
    assertRelative(5.260955515169799, a.boundary(), 1e-12);
  }

  @Test
  void earlyLookWithALargeEffectCrossesTheBoundary() {
    MetricAnalysis a = judge(CONVERSION, 1000, 10000, 1300, 10000);
    // python3 -c "from statsmodels.stats.proportion import proportions_ztest as zt,
    // samplesize_proportions_2indep_onetail as ss; from scipy.stats import norm; from math import
    // ceil, sqrt; z, p = zt([1300, 1000], [10000, 10000]); b = 1000/10000; n =
    // ceil(ss(diff=b*(1+0.05)-b, prop2=b, power=0.8, alpha=0.05)); t = min(1, min(10000, 10000)/n);
    // print(repr(z), repr(p), n, repr(t), repr(norm.isf(0.025)/sqrt(t)))"
    // -> 6.64944964228774 2.941909787615463e-11 57763 0.17312120215362775 4.7105645718932125
    // and the boundary as above: 5.260955515169799
    assertEquals(Verdict.WINNER, a.verdict());
    assertRelative(6.64944964228774, a.z(), 1e-12);
    assertRelative(5.260955515169799, a.boundary(), 1e-12);
    assertEquals(
        new SequentialLooks.Decision(1, Verdict.WINNER, a.z(), a.boundary()), a.looks().decision());
  }

  @Test
  void winnerAtFullInformation() {
    MetricAnalysis a = judge(CONVERSION, 6000, 60000, 6450, 60000);
    // python3 -c "from statsmodels.stats.proportion import proportions_ztest as zt,
    // samplesize_proportions_2indep_onetail as ss; from scipy.stats import norm; from math import
    // ceil, sqrt; z, p = zt([6450, 6000], [60000, 60000]); b = 6000/60000; n =
    // ceil(ss(diff=b*(1+0.05)-b, prop2=b, power=0.8, alpha=0.05)); t = min(1, min(60000, 60000)/n);
    // print(repr(z), repr(p), n, repr(t), repr(norm.isf(0.025)/sqrt(t)))"
    // -> 4.2600358483524925 2.0439411870657146e-05 57763 1 1.9599639845400545
    assertEquals(Verdict.WINNER, a.verdict());
    assertRelative(4.2600358483524925, a.z(), 1e-12);
    assertEquals(1.0, a.informationFraction());
    // A first look at t = 1 spends all of α: z_(α/2).
    assertRelative(1.9599639845400545, a.boundary(), 1e-12);
  }

  @Test
  void inconclusiveAtFullInformation() {
    MetricAnalysis a = judge(CONVERSION, 6000, 60000, 6100, 60000);
    // python3 -c "from statsmodels.stats.proportion import proportions_ztest as zt,
    // samplesize_proportions_2indep_onetail as ss; from scipy.stats import norm; from math import
    // ceil, sqrt; z, p = zt([6100, 6000], [60000, 60000]); b = 6000/60000; n =
    // ceil(ss(diff=b*(1+0.05)-b, prop2=b, power=0.8, alpha=0.05)); t = min(1, min(60000, 60000)/n);
    // print(repr(z), repr(p), n, repr(t), repr(norm.isf(0.025)/sqrt(t)))"
    // -> 0.9587099075962185 0.3377049058937388 57763 1 1.9599639845400545
    assertEquals(Verdict.INCONCLUSIVE, a.verdict());
    assertRelative(0.9587099075962185, a.z(), 1e-12);
  }

  @Test
  void loserWhenSignificantInTheWrongDirection() {
    MetricAnalysis a = judge(CONVERSION, 6000, 60000, 5550, 60000);
    // python3 -c "from statsmodels.stats.proportion import proportions_ztest as zt,
    // samplesize_proportions_2indep_onetail as ss; from scipy.stats import norm; from math import
    // ceil, sqrt; z, p = zt([5550, 6000], [60000, 60000]); b = 6000/60000; n =
    // ceil(ss(diff=b*(1+0.05)-b, prop2=b, power=0.8, alpha=0.05)); t = min(1, min(60000, 60000)/n);
    // print(repr(z), repr(p), n, repr(t), repr(norm.isf(0.025)/sqrt(t)))"
    // -> -4.404507628496063 1.0602441022785519e-05 57763 1 1.9599639845400545
    assertEquals(Verdict.LOSER, a.verdict());
    assertRelative(-4.404507628496063, a.z(), 1e-12);
  }

  @Test
  void aFallingBounceRateWins() {
    MetricAnalysis a = judge(BOUNCE, 24000, 60000, 23100, 60000);
    // python3 -c "from statsmodels.stats.proportion import proportions_ztest as zt,
    // samplesize_proportions_2indep_onetail as ss; from scipy.stats import norm; from math import
    // ceil, sqrt; z, p = zt([23100, 24000], [60000, 60000]); b = 24000/60000; n =
    // ceil(ss(diff=b*(1+-0.02)-b, prop2=b, power=0.8, alpha=0.05)); t = min(1, min(60000,
    // 60000)/n); print(repr(z), repr(p), n, repr(t), repr(norm.isf(0.025)/sqrt(t)))"
    // -> -5.320579229784153 1.0343738882580502e-07 58666 1 1.9599639845400545
    assertEquals(Verdict.WINNER, a.verdict());
    assertRelative(-5.320579229784153, a.z(), 1e-12);
    assertEquals(58666, a.requiredPerGroup());
  }

  @Test
  void aRisingBounceRateLoses() {
    MetricAnalysis a = judge(BOUNCE, 24000, 60000, 24900, 60000);
    // python3 -c "from statsmodels.stats.proportion import proportions_ztest as zt,
    // samplesize_proportions_2indep_onetail as ss; from scipy.stats import norm; from math import
    // ceil, sqrt; z, p = zt([24900, 24000], [60000, 60000]); b = 24000/60000; n =
    // ceil(ss(diff=b*(1+-0.02)-b, prop2=b, power=0.8, alpha=0.05)); t = min(1, min(60000,
    // 60000)/n); print(repr(z), repr(p), n, repr(t), repr(norm.isf(0.025)/sqrt(t)))"
    // -> 5.287421133331929 1.240528171982217e-07 58666 1 1.9599639845400545
    assertEquals(Verdict.LOSER, a.verdict());
    assertRelative(5.287421133331929, a.z(), 1e-12);
  }

  @Test
  void noPlanNoDecision() {
    // A control rate of 0 plans no sample size: t stays 0 and nothing is decisive.
    MetricAnalysis a = judge(CONVERSION, 0, 5000, 400, 5000);
    assertEquals(Verdict.INCONCLUSIVE, a.verdict());
    assertEquals(0, a.requiredPerGroup());
    assertEquals(0.0, a.informationFraction());
    assertEquals(Double.POSITIVE_INFINITY, a.boundary());
  }

  @Test
  void rejectsNonsenseSettings() {
    Proportion p = new Proportion(10, 100);
    SequentialLooks none = SequentialLooks.NONE;
    assertThrows(
        IllegalArgumentException.class,
        () -> SequentialJudge.judge(p, p, 0.0, 0.95, 0.8, 1, none, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> SequentialJudge.judge(p, p, 0.05, 1.0, 0.8, 1, none, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> SequentialJudge.judge(p, p, 0.05, 0.95, 0.8, 0, none, 1));
  }

  private static MetricAnalysis next(
      MetricAnalysis previous, int analysis, long xc, long nc, long xt, long nt) {
    return SequentialJudge.judge(
        new Proportion(xc, nc),
        new Proportion(xt, nt),
        CONVERSION,
        MONITORING,
        MINIMUM,
        previous.looks(),
        analysis);
  }

  @Test
  void laterLooksSpendTheRestGivenTheEarlierOnes() {
    MetricAnalysis first = judge(CONVERSION, 1000, 10000, 1090, 10000);
    MetricAnalysis second = next(first, 2, 2000, 20000, 2150, 20000);
    // t = 20000/57763: the exact boundary given the first look, above the nominal z_(α*(t)/2)
    // that would ignore it.
    double t = 20000.0 / 57763;
    assertEquals(Verdict.INCONCLUSIVE, second.verdict());
    assertEquals(2, second.looks().looks());
    assertRelative(AlphaSpending.spent(0.05, t), second.looks().alphaSpent(), 1e-12);
    assertTrue(
        second.boundary() > Normal.upperQuantile(AlphaSpending.spent(0.05, t) / 2),
        "" + second.boundary());
    assertEquals(
        SequentialLooks.boundaries(0.05, new long[] {10000, 20000}, 57763)[1], second.boundary());
  }

  @Test
  void theFirstLookPastItsBoundaryDecidesForGood() {
    MetricAnalysis crossed = judge(CONVERSION, 1000, 10000, 1300, 10000);
    // Later the difference shrinks below the next boundary: the decision stands.
    MetricAnalysis later = next(crossed, 2, 2600, 25000, 2700, 25000);
    assertTrue(Math.abs(later.z()) < later.boundary(), later.z() + " vs " + later.boundary());
    assertEquals(Verdict.WINNER, later.verdict());
    assertEquals(1, later.looks().decision().analysis());
    // Past the planned sample all of α is spent: looks cannot decide, the decision still stands.
    MetricAnalysis full = next(later, 3, 6000, 60000, 6000, 60000);
    MetricAnalysis beyond = next(full, 4, 7000, 70000, 7000, 70000);
    assertEquals(Double.POSITIVE_INFINITY, beyond.boundary());
    assertEquals(Verdict.WINNER, beyond.verdict());
  }

  @Test
  void theSameCountsJudgedAgainAreTheSameLook() {
    MetricAnalysis first = judge(CONVERSION, 1000, 10000, 1090, 10000);
    MetricAnalysis second = next(first, 2, 2000, 20000, 2150, 20000);
    MetricAnalysis again = next(second, 2, 2000, 20000, 2150, 20000);
    assertEquals(second.looks(), again.looks());
    assertEquals(second.boundary(), again.boundary());
    assertEquals(second.verdict(), again.verdict());
    // A handful of new users is no new look: it cannot decide, and spends nothing.
    MetricAnalysis barely = next(second, 3, 2001, 20005, 2400, 20005);
    assertEquals(Double.POSITIVE_INFINITY, barely.boundary());
    assertEquals(Verdict.INCONCLUSIVE, barely.verdict());
    assertEquals(second.looks(), barely.looks());
  }
}
