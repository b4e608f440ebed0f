package dev.trafficctl.e2e;

import java.util.Locale;

/**
 * Checks that a version's share of routed requests (or users) matches its weight. Each request is
 * routed independently, so the count is binomial and a fixed tolerance in points is either too
 * tight for small samples or too loose for large ones; the chi-square of the two-way split (one
 * degree of freedom) is not.
 */
final class Shares {

  /**
   * Chi-square beyond which a split is called wrong: 25, that is |z| > 5, happens by chance about
   * once in 1.7 million checks, while a weight 10 points off over 1,000 requests gives 40 or more.
   * At p = 0.001 (10.83) a suite with a handful of such checks would fail about one run in 200.
   */
  static final double LIMIT = 25.0;

  private Shares() {}

  /**
   * Chi-square of {@code got} out of {@code total} against an expected {@code percent}. At 0% or
   * 100% nothing may stray: any other count is infinitely unlikely.
   */
  static double chiSquare(long got, long total, double percent) {
    double in = total * percent / 100.0;
    double out = total - in;
    if (in == 0 || out == 0) {
      return got == in ? 0 : Double.POSITIVE_INFINITY;
    }
    return Math.pow(got - in, 2) / in + Math.pow(total - got - out, 2) / out;
  }

  /** Asserts the split, printing the figures either way so a run's log records them. */
  static void assertNear(long got, long total, double percent, String what) {
    double chi = chiSquare(got, total, percent);
    String figures =
        String.format(
            Locale.ROOT,
            "%s: %d of %d (%.2f%%, set %.1f%%), chi-square %.3f (limit %.0f)",
            what,
            got,
            total,
            100.0 * got / total,
            percent,
            chi,
            LIMIT);
    System.out.println(figures);
    if (!(chi <= LIMIT)) {
      throw new AssertionError(figures);
    }
  }
}
