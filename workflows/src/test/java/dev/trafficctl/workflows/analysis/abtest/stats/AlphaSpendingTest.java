package dev.trafficctl.workflows.analysis.abtest.stats;

import static dev.trafficctl.workflows.analysis.abtest.stats.Close.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlphaSpendingTest {

  // python3 -c "from statistics import NormalDist as N; from math import sqrt, erfc;
  // z = -N().inv_cdf(0.0125); print([repr(2*erfc(z/sqrt(2*t))) for t in (0.1, 0.25, 0.5, 0.75,
  // 1.0)])"   (4·Φ(−x) = 2·erfc(x/√2); N().cdf loses digits in the tail)
  @ParameterizedTest
  @CsvSource({
    "0.1, 2.7225029784598306e-12",
    "0.25, 1.473361687173911e-05",
    "0.5, 0.0030506455159778354",
    "0.75, 0.019298649907024137",
    "1.0, 0.05000000000000012"
  })
  void obrienFlemingTypeSpendingOfBothSides(double t, double spent) {
    assertRelative(spent, AlphaSpending.spent(0.05, t), 1e-10);
    // Each side spends α/2 by 2 − 2Φ(z_(α/4)/√t) = 2·(1 − Φ(z_(α/4)/√t)).
    assertRelative(
        2 * Normal.survival(Normal.upperQuantile(0.0125) / Math.sqrt(t)),
        AlphaSpending.spent(0.05, t) / 2,
        1e-12);
  }

  @Test
  void informationFractionIsCappedAtOne() {
    assertEquals(0.25, AlphaSpending.informationFraction(1000, 4000));
    assertEquals(1.0, AlphaSpending.informationFraction(9000, 4000));
    assertEquals(0.05, AlphaSpending.spent(0.05, 3.0), 1e-15);
    assertEquals(AlphaSpending.spent(0.05, 1.0), AlphaSpending.spent(0.05, 3.0));
    assertThrows(IllegalArgumentException.class, () -> AlphaSpending.informationFraction(5, 0));
  }

  @Test
  void nothingIsSpentBeforeAnyInformation() {
    assertEquals(0.0, AlphaSpending.spent(0.05, 0.0));
    assertThrows(IllegalArgumentException.class, () -> AlphaSpending.spent(0.05, -0.1));
    assertThrows(IllegalArgumentException.class, () -> AlphaSpending.spent(1.0, 0.5));
  }
}
