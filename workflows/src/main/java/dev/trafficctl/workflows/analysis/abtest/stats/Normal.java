package dev.trafficctl.workflows.analysis.abtest.stats;

/**
 * The standard normal distribution: its cumulative distribution function Φ and its inverse.
 *
 * <p>Φ(x) = ½·erfc(−x/√2). The complementary error function is computed without cancellation in
 * either tail:
 *
 * <ul>
 *   <li>for 0 ≤ y &lt; 1.5 through erf's series with positive terms, erf(y) = (2/√π)·e^(−y²)·Σ
 *       2ⁿ·y^(2n+1)/(1·3·5···(2n+1)), and erfc = 1 − erf;
 *   <li>for y ≥ 1.5 through Laplace's continued fraction erfc(y) = (e^(−y²)/√π)·1/(y + (1/2)/(y +
 *       (2/2)/(y + (3/2)/(y + ...)))), evaluated by the modified Lentz method;
 *   <li>for y &lt; 0, erfc(y) = 2 − erfc(−y).
 * </ul>
 *
 * <p>Φ⁻¹(p) starts from Acklam's rational approximation (relative error below 1.15·10⁻⁹) in the
 * lower tail q = min(p, 1 − p) (1 − p is exact for p ≥ ½) and takes one Halley step on the
 * erfc-based Φ: e = Φ(x) − q, u = e·√(2π)·e^(x²/2), x ← x − u/(1 + x·u/2); the result for p &gt; ½
 * is the negated lower-tail quantile. Both agree with scipy's {@code norm.cdf}/{@code norm.ppf} to
 * about 10⁻¹⁴ relative.
 *
 * <p>exp and log are {@link StrictMath}'s, the same bits on every JVM and processor: workflow code
 * computes boundaries from these, and a replay on another worker must compute the same.
 */
public final class Normal {

  private static final double SQRT_2 = Math.sqrt(2.0);
  private static final double SQRT_PI = Math.sqrt(Math.PI);
  private static final double SQRT_2PI = Math.sqrt(2.0 * Math.PI);
  private static final double SERIES_LIMIT = 1.5;
  private static final double EPSILON = 1e-17;
  private static final int MAX_TERMS = 10_000;

  private static final double[] A = {
    -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
    1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
  };
  private static final double[] B = {
    -5.447609879822406e+01,
    1.615858368580409e+02,
    -1.556989798598866e+02,
    6.680131188771972e+01,
    -1.328068155288572e+01
  };
  private static final double[] C = {
    -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
    -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
  };
  private static final double[] D = {
    7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
  };
  private static final double P_LOW = 0.02425;

  private Normal() {}

  /** Φ(x) = P(Z ≤ x) = ½·erfc(−x/√2). */
  public static double cdf(double x) {
    return 0.5 * erfc(-x / SQRT_2);
  }

  /** The survival function 1 − Φ(x) = Φ(−x) = P(Z &gt; x), accurate far into the upper tail. */
  public static double survival(double x) {
    return cdf(-x);
  }

  /** The density φ(x) = e^(−x²/2)/√(2π). */
  public static double density(double x) {
    return StrictMath.exp(-0.5 * x * x) / SQRT_2PI;
  }

  /**
   * Φ⁻¹(p): the x with Φ(x) = p; −∞ at 0 and +∞ at 1.
   *
   * @throws IllegalArgumentException when p is not in [0, 1]
   */
  public static double inverseCdf(double p) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException("probability " + p + " is not in [0, 1]");
    }
    if (p == 0.0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (p == 1.0) {
      return Double.POSITIVE_INFINITY;
    }
    return p <= 0.5 ? lowerTailQuantile(p) : -lowerTailQuantile(1.0 - p);
  }

  /**
   * The upper critical value z_a = Φ⁻¹(1 − a), the x with P(Z &gt; x) = a; computed as −Φ⁻¹(a) so
   * that small a lose nothing to rounding 1 − a. A two-sided test at level α rejects beyond
   * z_(α/2).
   */
  public static double upperQuantile(double a) {
    return -inverseCdf(a);
  }

  /** The complementary error function erfc(y) = (2/√π)·∫_y^∞ e^(−t²) dt. */
  public static double erfc(double y) {
    if (Double.isNaN(y)) {
      return Double.NaN;
    }
    if (y < 0) {
      return 2.0 - erfc(-y);
    }
    if (y < SERIES_LIMIT) {
      return 1.0 - erfSeries(y);
    }
    if (y > 27.3) { // e^(−y²) underflows
      return 0.0;
    }
    return StrictMath.exp(-y * y) / SQRT_PI / continuedFraction(y);
  }

  /** erf(y) = (2/√π)·e^(−y²)·Σ 2ⁿ·y^(2n+1)/(1·3···(2n+1)), all terms positive. */
  private static double erfSeries(double y) {
    double twoY2 = 2.0 * y * y;
    double term = y;
    double sum = y;
    for (int n = 1; n < MAX_TERMS; n++) {
      term *= twoY2 / (2 * n + 1);
      sum += term;
      if (term <= sum * EPSILON) {
        break;
      }
    }
    return 2.0 / SQRT_PI * StrictMath.exp(-y * y) * sum;
  }

  /** y + (1/2)/(y + (2/2)/(y + (3/2)/(y + ...))) by the modified Lentz method. */
  private static double continuedFraction(double y) {
    double tiny = 1e-300;
    double f = y;
    double c = f;
    double d = 0.0;
    for (int k = 1; k < MAX_TERMS; k++) {
      double a = k / 2.0;
      d = y + a * d;
      d = d == 0 ? tiny : d;
      c = y + a / c;
      c = c == 0 ? tiny : c;
      d = 1.0 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1.0) < EPSILON) {
        break;
      }
    }
    return f;
  }

  /** Acklam's approximation for 0 &lt; q ≤ ½, then one Halley step on Φ. */
  private static double lowerTailQuantile(double q) {
    double x;
    if (q < P_LOW) {
      double r = Math.sqrt(-2.0 * StrictMath.log(q));
      x =
          (((((C[0] * r + C[1]) * r + C[2]) * r + C[3]) * r + C[4]) * r + C[5])
              / ((((D[0] * r + D[1]) * r + D[2]) * r + D[3]) * r + 1.0);
    } else {
      double s = q - 0.5;
      double r = s * s;
      x =
          (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5])
              * s
              / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0);
    }
    double e = cdf(x) - q;
    double u = e * SQRT_2PI * StrictMath.exp(0.5 * x * x);
    if (Double.isFinite(u)) {
      x -= u / (1.0 + 0.5 * x * u);
    }
    return x;
  }
}
