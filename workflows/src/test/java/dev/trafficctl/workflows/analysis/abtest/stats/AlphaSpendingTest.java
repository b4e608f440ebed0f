package dev.trafficctl.workflows.analysis.abtest.stats;

import static dev.trafficctl.workflows.analysis.abtest.stats.Close.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlphaSpendingTest {

  // spent:    python3 -c "from scipy.stats import norm; from math import sqrt;
  // print([repr(2*norm.sf(norm.isf(0.025)/sqrt(t))) for t in (0.1, 0.25, 0.5, 0.75, 1.0)])"
  // boundary: python3 -c "from scipy.stats import norm; from math import sqrt;
  // print([repr(norm.isf(0.025)/sqrt(t)) for t in (0.1, 0.25, 0.5, 0.75, 1.0)])"
  @ParameterizedTest
  @CsvSource({
    "0.1, 5.720318790425403e-10, 6.1979503230456165",
    "0.25, 8.857543832140365e-05, 3.919927969080109",
    "0.5, 0.005574596680784402, 2.771807648699356",
    "0.75, 0.023625121317601142, 2.2631714681523443",
    "1.0, 0.049999999999999954, 1.9599639845400545"
  })
  void obrienFlemingSpendingAndBoundary(double t, double spent, double boundary) {
    assertRelative(spent, AlphaSpending.spent(0.05, t), 1e-10);
    assertRelative(boundary, AlphaSpending.boundary(0.05, t), 1e-12);
    // The boundary is the nominal critical value of the alpha spent: z_(α*(t)/2).
    assertRelative(
        Normal.upperQuantile(AlphaSpending.spent(0.05, t) / 2),
        AlphaSpending.boundary(0.05, t),
        1e-12);
  }

  @Test
  void informationFractionIsCappedAtOne() {
    assertEquals(0.25, AlphaSpending.informationFraction(1000, 4000));
    assertEquals(1.0, AlphaSpending.informationFraction(9000, 4000));
    assertEquals(0.05, AlphaSpending.spent(0.05, 3.0), 1e-15);
    assertEquals(AlphaSpending.boundary(0.05, 1.0), AlphaSpending.boundary(0.05, 3.0));
    assertThrows(IllegalArgumentException.class, () -> AlphaSpending.informationFraction(5, 0));
  }

  @Test
  void nothingIsSpentBeforeAnyInformation() {
    assertEquals(0.0, AlphaSpending.spent(0.05, 0.0));
    assertEquals(Double.POSITIVE_INFINITY, AlphaSpending.boundary(0.05, 0.0));
    assertFalse(AlphaSpending.decisive(50.0, 0.05, 0.0));
  }

  @Test
  void decisiveOnlyBeyondTheBoundary() {
    // At t = 0.25 the boundary is 3.9199...: a fixed-α "significant" 2.5 does not count.
    assertFalse(AlphaSpending.decisive(2.5, 0.05, 0.25));
    assertTrue(AlphaSpending.decisive(-3.95, 0.05, 0.25));
    assertTrue(AlphaSpending.decisive(2.0, 0.05, 1.0));
  }
}
