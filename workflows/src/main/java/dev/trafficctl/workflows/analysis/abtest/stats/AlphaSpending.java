package dev.trafficctl.workflows.analysis.abtest.stats;

/**
 * Peeking control: an A/B test's results are looked at again and again while users arrive, and
 * testing each look at the fixed level α would find a "significant" difference far more often than
 * α when there is none. The false-positive budget α is instead spent over the test with the
 * O'Brien-Fleming-type spending function of Lan and DeMets:
 *
 * <pre>
 *   α*(t) = 2 − 2·Φ(z_(α/2)/√t)      (computed as 2·Φ(−z_(α/2)/√t), without cancellation)
 * </pre>
 *
 * where t in [0, 1] is the information fraction, the share of the planned sample seen so far: t =
 * min(1, n / n_required), n the users per variant now and n_required the per-variant sample the
 * test needs ({@link TwoProportionTest#requiredSampleSizePerGroup}). α*(0) = 0 and α*(1) = α: early
 * looks spend almost nothing, the planned end spends all of α.
 *
 * <p>A look at t is decisive when |z| exceeds the nominal critical value of the alpha spent so far,
 * z_(α*(t)/2). Because α*(t)/2 = Φ(−z_(α/2)/√t), that critical value is exactly z_(α/2)/√t, the
 * classic O'Brien-Fleming boundary shape, and {@link #boundary} computes it in that closed form (no
 * rounding through Φ and Φ⁻¹, and +∞ at t = 0).
 *
 * <p>This simple approximation tests each look at the cumulative alpha as if it were the only look
 * and ignores the correlation between looks. An exact group-sequential boundary (Lan-DeMets,
 * spending only the increment α*(t_k) − α*(t_(k−1)) at look k given no earlier crossing) is never
 * below this one, so this boundary is the more liberal of the two, not the conservative one: the
 * overall false-positive rate ends somewhat above α. Simulated for α = 0.05 with equally spaced
 * looks up to t = 1 (200 000 Brownian paths): 1 look 0.050, 2 looks 0.051, 5 looks 0.061, 10 looks
 * 0.069, 50 looks 0.082, 200 looks 0.091 — against 0.082, 0.14, 0.19, 0.32 and 0.42 when every look
 * is tested at the fixed z_(α/2). Looks should therefore be few and spaced (e.g. one per analysis
 * interval, not one per minute), and exact boundaries are the upgrade if α must hold.
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
   * The cumulative alpha spent at information fraction t: α*(t) = 2 − 2·Φ(z_(α/2)/√t), t capped at
   * 1; 0 at t = 0.
   */
  public static double spent(double alpha, double t) {
    double z = criticalAtEnd(alpha, t);
    double capped = Math.min(t, 1.0);
    return capped == 0 ? 0.0 : 2 * Normal.cdf(-z / Math.sqrt(capped));
  }

  /**
   * The |z| a look at information fraction t must exceed: z_(α*(t)/2) = z_(α/2)/√t, t capped at 1;
   * +∞ at t = 0.
   */
  public static double boundary(double alpha, double t) {
    double z = criticalAtEnd(alpha, t);
    double capped = Math.min(t, 1.0);
    return capped == 0 ? Double.POSITIVE_INFINITY : z / Math.sqrt(capped);
  }

  /** Whether |z| exceeds the boundary at information fraction t. */
  public static boolean decisive(double z, double alpha, double t) {
    return Math.abs(z) > boundary(alpha, t);
  }

  private static double criticalAtEnd(double alpha, double t) {
    TwoProportionTest.checkAlpha(alpha);
    if (!(t >= 0)) {
      throw new IllegalArgumentException("information fraction " + t + " is negative");
    }
    return Normal.upperQuantile(alpha / 2);
  }
}
