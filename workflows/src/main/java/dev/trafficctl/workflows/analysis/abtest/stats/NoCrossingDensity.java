package dev.trafficctl.workflows.analysis.abtest.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * The sub-density of z at one look of a group-sequential test, over the paths that crossed no
 * boundary at that look or any before it: the quantity the exact boundaries are computed from.
 *
 * <p>Under H0 the statistic of look k is Z_k = W(I_k)/√I_k, W a Brownian motion in information time
 * I (here users per variant). Given Z_(k−1) = u, Z_k is normal with mean u·√ρ and standard
 * deviation s = √(1 − ρ), ρ = I_(k−1)/I_k. From the sub-density h_(k−1) on (−c_(k−1), c_(k−1)):
 *
 * <pre>
 *   P(no crossing before k, |Z_k| ≥ c) = ∫ h_(k−1)(u)·[Φ((−c − u√ρ)/s) + Φ((u√ρ − c)/s)] du
 *   h_k(z) = ∫ h_(k−1)(u)·φ((z − u√ρ)/s)/s du,   |z| &lt; c_k
 * </pre>
 *
 * with h_1 = φ on (−c_1, c_1). This is the recursion of Armitage, McPherson and Rowe (1969),
 * integrated by Simpson's rule as Jennison and Turnbull (2000, ch. 19) do, on a grid that suits
 * tests with hundreds of looks: their grid (dense within ±3, logarithmically sparse in the tails)
 * integrates well only while s is not much below its spacing, and an A/B test that looks every hour
 * has s ≈ √(1/k) at look k, 0.055 at look 336. Here the grid is uniform over (−c, c), cut at
 * ±{@value #REACH} where the standard normal density is below 10⁻¹⁸, with a spacing of at most
 * 1/{@value #POINTS_PER_SD} of the narrowest of 1 and the s of the steps into and out of the look.
 * That samples each density and each integrand at least {@value #POINTS_PER_SD} times per standard
 * deviation: a look's crossing probability is then exact to about 10⁻⁵·α (a double integral over
 * three unequally spaced looks differs by 5·10⁻⁶·α), its boundary to about 10⁻⁵, and the error
 * falls as the fourth power of the spacing.
 *
 * <p>Deterministic: double arithmetic, {@link StrictMath} and {@link Normal}, so every worker that
 * replays a test computes the same boundaries bit for bit.
 *
 * @param information the look's information I (its users per variant); above 0
 * @param boundary c_k, the |z| the look had to reach; above 0 (+∞ is not a boundary: a look that
 *     spends nothing constrains nothing and has no density of its own)
 * @param values h_k at the points of a uniform grid over [−min(c, {@value #REACH}), min(c, {@value
 *     #REACH})], from the lowest; an odd number of at least 3
 */
public record NoCrossingDensity(double information, double boundary, List<Double> values) {

  /** Where the grid stops: 2·Φ(−9) = 2.3·10⁻¹⁹ of the mass lies beyond. */
  static final double REACH = 9.0;

  /** Grid points per standard deviation of the narrowest density or transition a step meets. */
  static final double POINTS_PER_SD = 3.0;

  /** Simpson panels at most, a bound on a look's work whatever the spacing of the looks. */
  static final int MAX_PANELS = 4000;

  /** Beyond this many standard deviations φ and the lower tail Φ underflow to exactly 0. */
  private static final double UNDERFLOW = 38.7;

  private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);

  public NoCrossingDensity {
    if (!(information > 0 && information < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("information " + information + " is not above 0");
    }
    if (!(boundary > 0 && boundary < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("boundary " + boundary + " is not a finite |z|");
    }
    values = List.copyOf(values);
    if (values.size() < 3 || values.size() % 2 == 0) {
      throw new IllegalArgumentException(values.size() + " values are not a Simpson grid");
    }
  }

  /**
   * The boundary a first look gets for spending {@code alpha}: z_(α/2), as a first look crosses
   * with probability 2·Φ(−c); +∞ for nothing.
   */
  public static double firstBoundary(double alpha) {
    return alpha > 0 ? Normal.upperQuantile(Math.min(alpha, 1) / 2) : Double.POSITIVE_INFINITY;
  }

  /**
   * The sub-density after a first look at {@code information} with boundary c: φ on (−c, c), on a
   * grid fine enough for a next look at {@code nextInformation}.
   */
  public static NoCrossingDensity first(double information, double c, double nextInformation) {
    double[] z = grid(c, spacing(1.0, step(information, nextInformation)));
    List<Double> h = new ArrayList<>(z.length);
    for (double x : z) {
      h.add(phi(x));
    }
    return new NoCrossingDensity(information, c, h);
  }

  /**
   * The sub-density at a next look at {@code nextInformation} with boundary c, on a grid fine
   * enough for the look after it, at {@code thenInformation} (the next look's own information when
   * there is none yet: the grid then suits a step as long as this one).
   */
  public NoCrossingDensity next(double nextInformation, double c, double thenInformation) {
    Transition t = transition(nextInformation);
    double after = thenInformation > nextInformation ? step(nextInformation, thenInformation) : t.s;
    double[] x = grid(c, spacing(t.s, after));
    List<Double> h = new ArrayList<>(x.length);
    for (double xj : x) {
      double sum = 0;
      for (int i = 0; i < t.mass.length; i++) {
        sum += t.mass[i] * phi((xj - t.u[i] * t.sqrtRho) / t.s);
      }
      h.add(sum / t.s);
    }
    return new NoCrossingDensity(nextInformation, c, h);
  }

  /** The probability that no look so far crossed its boundary: ∫ h. */
  public double mass() {
    double[] w = weights(values.size(), spacing());
    double sum = 0;
    for (int i = 0; i < w.length; i++) {
      sum += w[i] * values.get(i);
    }
    return sum;
  }

  /** P(no crossing so far, |Z| ≥ c at a next look at {@code nextInformation}). */
  public double crossing(double nextInformation, double c) {
    return transition(nextInformation).crossing(c)[0];
  }

  /**
   * The boundary c of a next look at {@code nextInformation} that spends exactly {@code increment}:
   * the c with {@link #crossing} = increment; +∞ when the increment is not above 0. Looks that
   * spend less than 2·Φ(−{@value #REACH}) (boundaries beyond the grid's reach, very early looks of
   * long tests) get z_(increment/2), which ignores their correlation with even earlier looks and so
   * errs high, on the safe side, by less than ln(1 + α_before/increment)/c.
   *
   * @param crossedBefore the probability that an earlier look crossed, 1 − {@link #mass()} up to
   *     the integration's error: the alpha spent so far
   */
  public double boundaryFor(double nextInformation, double increment, double crossedBefore) {
    if (!(increment > 0)) {
      return Double.POSITIVE_INFINITY;
    }
    // No earlier crossing and |Z| ≥ c is at most P(|Z| ≥ c) = 2Φ(−c), and at least that minus
    // what crossed before: c lies between z_((increment + crossedBefore)/2) and z_(increment/2).
    double hi = firstBoundary(increment);
    if (hi >= REACH) {
      return hi;
    }
    Transition t = transition(nextInformation);
    double lo = firstBoundary(increment + Math.max(0, crossedBefore));
    double target = StrictMath.log(increment);
    // The root lies in [lo, hi] exactly; where the integration's small error would put it a hair
    // outside, the end of the bracket is nearer the truth.
    if (!(StrictMath.log(t.crossing(lo)[0]) > target)) {
      return lo;
    }
    double c = hi;
    for (int iteration = 0; iteration < 200; iteration++) {
      double[] valueAndSlope = t.crossing(c);
      double g = StrictMath.log(valueAndSlope[0]) - target;
      if (g > 0) {
        lo = c;
      } else {
        hi = c;
      }
      // Newton on ln P(c), bisection whenever it would leave the bracket.
      double next = c - g * valueAndSlope[0] / valueAndSlope[1];
      if (!(next > lo && next < hi)) {
        next = (lo + hi) / 2;
      }
      if (Math.abs(next - c) < 1e-11) {
        return next;
      }
      c = next;
    }
    return c;
  }

  /** The grid's spacing. */
  double spacing() {
    return 2 * Math.min(boundary, REACH) / (values.size() - 1);
  }

  private Transition transition(double nextInformation) {
    if (!(nextInformation > information)) {
      throw new IllegalArgumentException(
          "a next look needs more information than " + information + ", not " + nextInformation);
    }
    double h = spacing();
    double a = Math.min(boundary, REACH);
    double[] w = weights(values.size(), h);
    double[] u = new double[w.length];
    double[] mass = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      u[i] = -a + i * h;
      mass[i] = w[i] * values.get(i);
    }
    return new Transition(
        u, mass, Math.sqrt(information / nextInformation), step(information, nextInformation));
  }

  /** One step's quadrature: the points u, h·w at them, and the transition's √ρ and s. */
  private record Transition(double[] u, double[] mass, double sqrtRho, double s) {

    /** {P(no crossing before, |Z| ≥ c), its derivative in c}. */
    double[] crossing(double c) {
      double value = 0;
      double slope = 0;
      for (int i = 0; i < mass.length; i++) {
        double mean = u[i] * sqrtRho;
        double below = (-c - mean) / s;
        double above = (mean - c) / s;
        value += mass[i] * (cdf(below) + cdf(above));
        slope -= mass[i] * (phi(below) + phi(above)) / s;
      }
      return new double[] {value, slope};
    }
  }

  /** s = √(1 − I/I_next), the standard deviation of a step's transition. */
  private static double step(double information, double nextInformation) {
    return Math.sqrt((nextInformation - information) / nextInformation);
  }

  /** The spacing for a density met by transitions of standard deviations s1 and s2. */
  private static double spacing(double s1, double s2) {
    return Math.min(1.0, Math.min(s1, s2)) / POINTS_PER_SD;
  }

  /** A uniform grid over [−min(c, REACH), min(c, REACH)], an even number of panels ≤ spacing. */
  private static double[] grid(double c, double spacing) {
    double a = Math.min(c, REACH);
    int intervals = 2 * (int) Math.min(MAX_PANELS, Math.max(1, Math.ceil(a / spacing)));
    double h = 2 * a / intervals;
    double[] z = new double[intervals + 1];
    for (int i = 0; i <= intervals; i++) {
      z[i] = -a + i * h;
    }
    return z;
  }

  /** Simpson's weights h/3·(1, 4, 2, 4, ..., 2, 4, 1) for n points spaced h. */
  private static double[] weights(int n, double h) {
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = (i == 0 || i == n - 1 ? 1 : i % 2 == 1 ? 4 : 2) * h / 3;
    }
    return w;
  }

  /**
   * φ(x); exactly 0 without calling exp where e^(−x²/2) underflows to 0 anyway (|x| &gt; 38.7), so
   * skipping is no approximation: most of a narrow step's kernel is there.
   */
  private static double phi(double x) {
    return x * x > UNDERFLOW * UNDERFLOW ? 0.0 : StrictMath.exp(-0.5 * x * x) / SQRT_2PI;
  }

  /** Φ(x); exactly 0, as {@link Normal#cdf} gives, below −{@value #UNDERFLOW}, without its work. */
  private static double cdf(double x) {
    return x < -UNDERFLOW ? 0.0 : Normal.cdf(x);
  }
}
