package dev.trafficctl.testing;

import java.util.Locale;
import java.util.Map;

/**
 * Checks that a version's share of routed requests (or users) matches its weight. Each request is
 * routed independently (a random draw, or a hash of a random id), so the count is binomial and a
 * fixed tolerance in points is either too tight for small samples or too loose for large ones; the
 * chi-square of the two-way split (one degree of freedom, the square of the binomial z) is not: a
 * bound that suits 4,000 requests at 50% also suits 400 at 10%.
 */
public final class Shares {

  /**
   * Chi-square beyond which a split is called wrong: 25, that is |z| > 5, happens by chance about
   * once in 1.7 million checks, while a weight 10 points off over 1,000 requests gives 40 or more.
   * At p = 0.001 (10.83) a suite with a handful of such checks would fail about one run in 200.
   */
  public static final double LIMIT = 25.0;

  private Shares() {}

  /**
   * Chi-square of {@code got} out of {@code total} against an expected {@code percent}. At 0% or
   * 100% nothing may stray: any other count is infinitely unlikely.
   */
  public static double chiSquare(long got, long total, double percent) {
    double in = total * percent / 100.0;
    double out = total - in;
    if (in == 0 || out == 0) {
      return got == in ? 0 : Double.POSITIVE_INFINITY;
    }
    return Math.pow(got - in, 2) / in + Math.pow(total - got - out, 2) / out;
  }

  /** Asserts the split, printing the figures either way so a run's log records them. */
  public static void assertNear(long got, long total, double percent, String what) {
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

  /**
   * Asserts that {@code version} got about {@code percent} of all of {@code counts} (what answered
   * each request: a version, or a status); see {@link #assertNear}.
   */
  public static void assertShare(
      Map<String, ? extends Number> counts, String version, double percent, String what) {
    assertNear(
        count(counts, version), total(counts), percent, what + ": " + version + " in " + counts);
  }

  /** Percent of {@code counts} answered by {@code version}. */
  public static double share(Map<String, ? extends Number> counts, String version) {
    return 100.0 * count(counts, version) / total(counts);
  }

  private static long count(Map<String, ? extends Number> counts, String version) {
    Number count = counts.get(version);
    return count == null ? 0 : count.longValue();
  }

  private static long total(Map<String, ? extends Number> counts) {
    return counts.values().stream().mapToLong(Number::longValue).sum();
  }
}
