package dev.trafficctl.workflows.analysis.abtest.stats;

import static dev.trafficctl.workflows.analysis.abtest.stats.Close.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormalTest {

  private static final double TOLERANCE = 1e-12;

  // python3 -c "from scipy.stats import norm; print([repr(norm.cdf(x)) for x in (-8, -3, -1.96,
  // -0.5, 0, 1, 2.5, 6)])"
  @ParameterizedTest
  @CsvSource({
    "-8, 6.22096057427174e-16",
    "-3, 0.0013498980316300933",
    "-1.96, 0.024997895148220435",
    "-0.5, 0.3085375387259869",
    "0, 0.5",
    "1, 0.8413447460685429",
    "2.5, 0.9937903346742238",
    "6, 0.9999999990134123"
  })
  void cdfMatchesScipy(double x, double expected) {
    assertRelative(expected, Normal.cdf(x), TOLERANCE);
  }

  // python3 -c "from scipy.stats import norm; print([repr(norm.ppf(p)) for p in (1e-10, 0.001,
  // 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999)])"
  @ParameterizedTest
  @CsvSource({
    "1e-10, -6.361340902404056",
    "0.001, -3.090232306167813",
    "0.025, -1.9599639845400545",
    "0.3, -0.5244005127080409",
    "0.5, 0.0",
    "0.8, 0.8416212335729143",
    "0.975, 1.959963984540054",
    "0.999999, 4.753424308817087"
  })
  void inverseCdfMatchesScipy(double p, double expected) {
    assertRelative(expected, Normal.inverseCdf(p), TOLERANCE);
  }

  @Test
  void survivalKeepsTheUpperTail() {
    // python3 -c "from scipy.stats import norm; print(repr(norm.sf(8)))"  -> 6.22096057427174e-16
    assertRelative(6.22096057427174e-16, Normal.survival(8), TOLERANCE);
    // python3 -c "from scipy.stats import norm; print(repr(norm.isf(0.025)))"  ->
    // 1.9599639845400545
    assertRelative(1.9599639845400545, Normal.upperQuantile(0.025), TOLERANCE);
  }

  @Test
  void inverseUndoesCdfAcrossTheRange() {
    // The lower tail holds full relative precision; the upper tail is its mirror image.
    for (double x = -9; x <= 0; x += 0.25) {
      assertRelative(x, Normal.inverseCdf(Normal.cdf(x)), 1e-12);
      if (x >= -5) { // 1 − Φ(x) still holds Φ(x) to ~1e-10 there
        assertEquals(-x, Normal.inverseCdf(1 - Normal.cdf(x)), 1e-7);
      }
    }
  }

  @Test
  void edgesAndNonsense() {
    assertEquals(Double.NEGATIVE_INFINITY, Normal.inverseCdf(0));
    assertEquals(Double.POSITIVE_INFINITY, Normal.inverseCdf(1));
    assertEquals(0.0, Normal.cdf(Double.NEGATIVE_INFINITY));
    assertEquals(1.0, Normal.cdf(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> Normal.inverseCdf(1.5));
    assertThrows(IllegalArgumentException.class, () -> Normal.inverseCdf(Double.NaN));
  }
}
