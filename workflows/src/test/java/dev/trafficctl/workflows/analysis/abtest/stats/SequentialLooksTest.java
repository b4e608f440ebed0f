package dev.trafficctl.workflows.analysis.abtest.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The exact group-sequential boundaries, against published values and an independent integral. */
class SequentialLooksTest {

  private static final double ALPHA = 0.05;

  private static void assertBoundaries(double[] expected, double[] actual, double tolerance) {
    assertEquals(expected.length, actual.length);
    for (int k = 0; k < expected.length; k++) {
      assertEquals(expected[k], actual[k], tolerance, "look " + (k + 1));
    }
  }

  private static long[] equallySpaced(int looks, long each) {
    long[] users = new long[looks];
    for (int k = 0; k < looks; k++) {
      users[k] = (k + 1) * each;
    }
    return users;
  }

  /**
   * Five equally spaced looks, two-sided α = 0.05, O'Brien-Fleming-type spending: the classic table
   * (Jennison and Turnbull; gsDesign {@code gsDesign(k = 5, test.type = 2, sfu = sfLDOF)}; rpact
   * {@code getDesignGroupSequential(kMax = 5, alpha = 0.05, sided = 2, typeOfDesign = "asOF")}).
   */
  @Test
  void fiveEquallySpacedLooksMatchThePublishedTable() {
    assertBoundaries(
        new double[] {4.877, 3.357, 2.680, 2.290, 2.031},
        SequentialLooks.boundaries(ALPHA, equallySpaced(5, 1000), 5000),
        0.001);
  }

  /**
   * Three and four looks: rpact and gsDesign give 3.7103, 2.5114, 1.9930 (one-sided 0.025, which
   * agrees with the symmetric two-sided 0.05 to these digits); GroupSeq's tests use 4.332634,
   * 2.963129, 2.35902, 2.014057 for four looks, two-sided 0.05.
   */
  @Test
  void threeAndFourEquallySpacedLooksMatchOtherTools() {
    assertBoundaries(
        new double[] {3.7103, 2.5114, 1.9930},
        SequentialLooks.boundaries(ALPHA, equallySpaced(3, 2000), 6000),
        0.0005);
    assertBoundaries(
        new double[] {4.332634, 2.963129, 2.35902, 2.014057},
        SequentialLooks.boundaries(ALPHA, equallySpaced(4, 2500), 10000),
        0.0001);
  }

  @Test
  void aFirstLookSpendsItsNominalLevel() {
    // One look at t = 1 is the fixed test; a first look at t spends α*(t): c = z_(α*(t)/2).
    assertEquals(
        Normal.upperQuantile(ALPHA / 2),
        SequentialLooks.boundaries(ALPHA, new long[] {5000}, 5000)[0],
        1e-12);
    assertEquals(
        Normal.upperQuantile(AlphaSpending.spent(ALPHA, 0.3) / 2),
        SequentialLooks.boundaries(ALPHA, new long[] {3000}, 10000)[0],
        1e-12);
  }

  /**
   * Unequally spaced looks: the probability of each look's crossing, no earlier one having crossed,
   * computed by a plain double integral independent of the recursion, is what the spending function
   * allows it.
   */
  @Test
  void unequallySpacedLooksSpendExactlyTheirShare() {
    long[] users = {1500, 2600, 6000};
    double[] c = SequentialLooks.boundaries(ALPHA, users, 6000);
    double[] crossing = crossings(users, c);
    double before = 0;
    for (int k = 0; k < users.length; k++) {
      double spent = AlphaSpending.spent(ALPHA, users[k] / 6000.0);
      assertEquals(spent - before, crossing[k], 1e-5 * ALPHA, "look " + (k + 1));
      before = spent;
    }
  }

  /**
   * The plan (the users per variant needed) moves between looks with the control's observed rate:
   * each look spends up to α*(t) with its own t, the looks' correlation follows their users.
   */
  @Test
  void aPlanThatMovesBetweenLooksStillSpendsExactly() {
    long[] users = {1000, 2500, 4000};
    long[] planned = {5000, 5200, 4800};
    double[] c = new double[3];
    double[] target = new double[3];
    SequentialLooks looks = SequentialLooks.NONE;
    for (int k = 0; k < 3; k++) {
      double t = AlphaSpending.informationFraction(users[k], planned[k]);
      SequentialLooks.Boundary b = looks.next(users[k], t, ALPHA);
      c[k] = b.value();
      looks = b.looks();
      target[k] = AlphaSpending.spent(ALPHA, t);
    }
    assertEquals(target[2], looks.alphaSpent());
    double[] crossing = crossings(users, c);
    assertEquals(target[0], crossing[0], 1e-12);
    assertEquals(target[1] - target[0], crossing[1], 1e-5 * ALPHA);
    assertEquals(target[2] - target[1], crossing[2], 1e-5 * ALPHA);
  }

  @Test
  void exactBoundariesAreNeverBelowTheNominalLevelOfTheAlphaSpent() {
    long[] users = equallySpaced(50, 100);
    double[] c = SequentialLooks.boundaries(ALPHA, users, 5000);
    for (int k = 0; k < users.length; k++) {
      double nominal = Normal.upperQuantile(AlphaSpending.spent(ALPHA, users[k] / 5000.0) / 2);
      assertTrue(c[k] >= nominal - 1e-9, "look " + (k + 1) + ": " + c[k] + " < " + nominal);
    }
  }

  /** A 14-day test's hourly looks: 336 of them, each spending its share. */
  @Test
  void hundredsOfLooks() {
    long[] users = equallySpaced(336, 100);
    double[] c = SequentialLooks.boundaries(ALPHA, users, 33600);
    // The first look's share underflows (α*(1/336) < 10⁻³⁰⁰): it cannot decide.
    assertEquals(Double.POSITIVE_INFINITY, c[0]);
    for (int k = 2; k < c.length; k++) {
      assertTrue(c[k] < c[k - 1], "look " + (k + 1) + ": " + c[k] + " after " + c[k - 1]);
    }
    // From a grid twice as fine (6 points per standard deviation): 3.117764, 2.210294.
    assertEquals(3.117764, c[168], 2e-4);
    assertEquals(2.210294, c[335], 2e-4);
  }

  @Test
  void nothingIsLeftToSpendPastThePlannedSample() {
    double[] c = SequentialLooks.boundaries(ALPHA, new long[] {2000, 4000, 5000, 6000}, 4000);
    assertTrue(Double.isFinite(c[1]));
    assertEquals(Double.POSITIVE_INFINITY, c[2]);
    assertEquals(Double.POSITIVE_INFINITY, c[3]);
  }

  /**
   * For looks at {@code users} with boundaries c: P(no crossing before look k, |Z_k| ≥ c_k) for k =
   * 1..3, by Simpson's rule over z_1 and z_2 on fine uniform grids (the third look in closed form),
   * with nothing of {@link NoCrossingDensity}.
   */
  private static double[] crossings(long[] users, double[] c) {
    int n = 1200;
    double r2 = (double) users[0] / users[1];
    double r3 = (double) users[1] / users[2];
    double s2 = Math.sqrt(1 - r2);
    double s3 = Math.sqrt(1 - r3);
    double h1 = 2 * c[0] / n;
    double h2 = 2 * c[1] / n;
    // P(|Z_3| < c_3 | z_2) on z_2's grid.
    double[] stay3 = new double[n + 1];
    for (int j = 0; j <= n; j++) {
      double m = (-c[1] + j * h2) * Math.sqrt(r3);
      stay3[j] = Normal.cdf((c[2] - m) / s3) - Normal.cdf((-c[2] - m) / s3);
    }
    double stay12 = 0;
    double stay123 = 0;
    for (int i = 0; i <= n; i++) {
      double z1 = -c[0] + i * h1;
      double inner2 = 0;
      double inner3 = 0;
      for (int j = 0; j <= n; j++) {
        double z2 = -c[1] + j * h2;
        double k = Normal.density((z2 - z1 * Math.sqrt(r2)) / s2) / s2;
        double w = simpson(j, n) * h2 / 3;
        inner2 += w * k;
        inner3 += w * k * stay3[j];
      }
      double w = simpson(i, n) * h1 / 3 * Normal.density(z1);
      stay12 += w * inner2;
      stay123 += w * inner3;
    }
    double stay1 = 1 - 2 * Normal.cdf(-c[0]);
    return new double[] {1 - stay1, stay1 - stay12, stay12 - stay123};
  }

  private static double simpson(int i, int n) {
    return i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
  }
}
