package dev.trafficctl.workflows.analysis.abtest.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A/A tests simulated: how often does some look of a test without any difference show a winner (or
 * a loser)? Outside the test suite (the name does not end in Test): {@code
 * bench/ab-test-false-positives.sh} runs it. Seeded, so the figures repeat.
 *
 * <ul>
 *   <li>Brownian: {@code RUNS} paths of z at K equally spaced looks, t_k = k/K, the model the
 *       boundaries are computed for, against the approximate boundary z_(α/2)/√t the judge used
 *       before and the exact boundaries ({@link SequentialLooks#boundaries}), K = 5, 10, 50, 200.
 *   <li>Judge: {@code RUNS} A/A tests of users who convert at 10% in both variants, judged by
 *       {@link SequentialJudge} look after look as the workflow judges them (conversion_rate +5%, α
 *       = 0.05, power 0.8, the plan made from the control's observed rate at each look), at K
 *       equally spaced looks that reach the planned sample at the last, K = 5 and 10.
 * </ul>
 *
 * Prints each false-positive rate with its Monte Carlo standard error √(a(1 − a)/n), and the time
 * the exact boundaries of 336 looks take (a 14-day test's hourly looks).
 */
class FalsePositiveSimulation {

  private static final double ALPHA = 0.05;
  private static final int RUNS = Integer.getInteger("runs", 20_000);
  private static final long SEED = Long.getLong("seed", 20_261_127L);

  @Test
  void aaTestsShowAWinnerAtMostAlphaOfTheTime() {
    double se = Math.sqrt(ALPHA * (1 - ALPHA) / RUNS);
    print(
        "A/A false positives, alpha %.2f, %d runs per row, seed %d; Monte Carlo standard error at"
            + " alpha %.4f; %s",
        ALPHA, RUNS, SEED, se, timeHourlyLooksOfAFourteenDayTest());
    print("| paths | looks | approximate z/sqrt(t) | exact |");
    print("|---|---|---|---|");
    for (int looks : new int[] {5, 10, 50, 200}) {
      double[] rates = brownian(looks, new SplittableRandom(SEED + looks));
      print("| brownian | %d | %s | %s |", looks, rate(rates[0]), rate(rates[1]));
      assertTrue(Math.abs(rates[1] - ALPHA) < 4 * se, looks + " looks: " + rates[1]);
    }
    for (int looks : new int[] {5, 10}) {
      double[] rates = judged(looks, new SplittableRandom(SEED + 1000 + looks));
      print("| judge | %d | %s | %s |", looks, rate(rates[0]), rate(rates[1]));
      assertTrue(Math.abs(rates[1] - ALPHA) < 4 * se, looks + " looks: " + rates[1]);
    }
  }

  /** How long the exact boundaries of a 14-day test looked at hourly take, in one phrase. */
  private static String timeHourlyLooksOfAFourteenDayTest() {
    long[] users = new long[336];
    for (int k = 0; k < users.length; k++) {
      users[k] = (k + 1) * 1000L;
    }
    SequentialLooks.boundaries(ALPHA, users, 336_000); // warm up the JIT
    long start = System.nanoTime();
    double[] c = SequentialLooks.boundaries(ALPHA, users, 336_000);
    long elapsed = System.nanoTime() - start;
    return String.format(
        Locale.ROOT,
        "exact boundaries of 336 equally spaced looks in %.0f ms (%.2f ms a look), last %.4f",
        elapsed / 1e6,
        elapsed / 1e6 / users.length,
        c[c.length - 1]);
  }

  /** {approximate, exact} rates of paths with some |z_k| past its boundary. */
  private static double[] brownian(int looks, SplittableRandom random) {
    long[] users = new long[looks];
    double[] approximate = new double[looks];
    for (int k = 0; k < looks; k++) {
      users[k] = k + 1;
      approximate[k] = Normal.upperQuantile(ALPHA / 2) / Math.sqrt((k + 1.0) / looks);
    }
    double[] exact = SequentialLooks.boundaries(ALPHA, users, looks);
    int approximateHits = 0;
    int exactHits = 0;
    for (int run = 0; run < RUNS; run++) {
      double w = 0;
      boolean approximateHit = false;
      boolean exactHit = false;
      for (int k = 0; k < looks; k++) {
        w += random.nextGaussian() * Math.sqrt(1.0 / looks);
        double z = Math.abs(w / Math.sqrt((k + 1.0) / looks));
        approximateHit |= z > approximate[k];
        exactHit |= z > exact[k];
      }
      approximateHits += approximateHit ? 1 : 0;
      exactHits += exactHit ? 1 : 0;
    }
    return new double[] {(double) approximateHits / RUNS, (double) exactHits / RUNS};
  }

  /**
   * {approximate, exact} rates of A/A tests with some look decided, judged from counts: 10% of the
   * users convert in both variants, the planned sample (about 57,763 per variant for +5% at 10%) is
   * reached at the last look.
   */
  private static double[] judged(int looks, SplittableRandom random) {
    double rate = 0.10;
    double threshold = 0.05;
    long planned = TwoProportionTest.requiredSampleSizePerGroup(rate, threshold, ALPHA, 0.8);
    long perLook = (planned + looks - 1) / looks;
    int approximateHits = 0;
    int exactHits = 0;
    for (int run = 0; run < RUNS; run++) {
      long users = 0;
      long convertedA = 0;
      long convertedB = 0;
      SequentialLooks history = SequentialLooks.NONE;
      boolean approximateHit = false;
      for (int k = 1; k <= looks; k++) {
        users += perLook;
        convertedA += binomial(random, perLook, rate);
        convertedB += binomial(random, perLook, rate);
        MetricAnalysis a =
            SequentialJudge.judge(
                new Proportion(convertedA, users),
                new Proportion(convertedB, users),
                threshold,
                1 - ALPHA,
                0.8,
                1,
                history,
                k);
        history = a.looks();
        double t = a.informationFraction();
        approximateHit |= t > 0 && Math.abs(a.z()) > Normal.upperQuantile(ALPHA / 2) / Math.sqrt(t);
      }
      approximateHits += approximateHit ? 1 : 0;
      exactHits += history.decision() != null ? 1 : 0;
    }
    return new double[] {(double) approximateHits / RUNS, (double) exactHits / RUNS};
  }

  /** Binomial(n, p) by the normal approximation with continuity, fine for n·p in the thousands. */
  private static long binomial(SplittableRandom random, long n, double p) {
    double mean = n * p;
    double sd = Math.sqrt(n * p * (1 - p));
    return Math.max(0, Math.min(n, Math.round(mean + sd * random.nextGaussian())));
  }

  private static String rate(double a) {
    return String.format(Locale.ROOT, "%.4f (SE %.4f)", a, Math.sqrt(a * (1 - a) / RUNS));
  }

  private static void print(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
