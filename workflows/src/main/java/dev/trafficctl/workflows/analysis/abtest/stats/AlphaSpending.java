package dev.trafficctl.workflows.analysis.abtest.stats;

/**
 * Peeking control: an A/B test's results are looked at again and again while users arrive, and
 * testing each look at the fixed level α would find a "significant" difference far more often than
 * α when there is none. The false-positive budget α is instead spent over the test, a part at each
 * look, by the O'Brien-Fleming-type spending function of Lan and DeMets. The test is two-sided and
 * symmetric: each side (a treatment better, a treatment worse) spends α/2 by
 *
 * <pre>
 *   α₁(t) = 2 − 2·Φ(z_(α₁/2)/√t),   α₁ = α/2
 * </pre>
 *
 * so the two sides together have spent α*(t) = 2·α₁(t) = 4·Φ(−z_(α/4)/√t) by information fraction t
 * (computed so, without cancellation). This is the convention of the published tables (Jennison and
 * Turnbull; gsDesign's {@code sfLDOF} and rpact's {@code asOF} for two-sided tests), whose
 * boundaries {@link SequentialLooks} reproduces: 4.877, 3.357, 2.680, 2.290, 2.031 for five equally
 * spaced looks at α = 0.05.
 *
 * <p>t in [0, 1] is the share of the planned sample seen so far: t = min(1, n / n_required), n the
 * users per variant now and n_required the per-variant sample the test needs ({@link
 * TwoProportionTest#requiredSampleSizePerGroup}). α*(0) = 0 and α*(1) = α: early looks spend almost
 * nothing, the planned end spends all of α, and looks past it have nothing left to spend.
 *
 * <p>The spending function only says how much α a look may spend; the |z| a look must reach to
 * spend exactly that much, given the looks before it, is the exact group-sequential boundary of
 * {@link SequentialLooks}. (Testing each look at the nominal critical value of the cumulative
 * alpha, z_(α*(t)/2), ignores the correlation between looks and is not conservative: in an A/A test
 * it lets some look show a winner far more often than α, the more so the more looks.)
 */
public final class AlphaSpending {

  private AlphaSpending() {}

  /**
   * The information fraction t = min(1, perGroup / requiredPerGroup).
   *
   * @param perGroup users per variant so far (the smaller variant's count), at least 0
   * @param requiredPerGroup the planned users per variant, at least 1
   */
  public static double informationFraction(long perGroup, long requiredPerGroup) {
    if (perGroup < 0 || requiredPerGroup < 1) {
      throw new IllegalArgumentException(
          perGroup + " of " + requiredPerGroup + " planned users is not an information fraction");
    }
    return Math.min(1.0, (double) perGroup / requiredPerGroup);
  }

  /**
   * The alpha both sides have spent by information fraction t: α*(t) = 4·Φ(−z_(α/4)/√t), t capped
   * at 1; 0 at t = 0 and α at t = 1.
   */
  public static double spent(double alpha, double t) {
    TwoProportionTest.checkAlpha(alpha);
    if (!(t >= 0)) {
      throw new IllegalArgumentException("information fraction " + t + " is negative");
    }
    double capped = Math.min(t, 1.0);
    return capped == 0 ? 0.0 : 4 * Normal.cdf(-Normal.upperQuantile(alpha / 4) / Math.sqrt(capped));
  }
}
