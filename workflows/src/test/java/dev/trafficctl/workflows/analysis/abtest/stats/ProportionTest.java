package dev.trafficctl.workflows.analysis.abtest.stats;

import static dev.trafficctl.workflows.analysis.abtest.stats.Close.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProportionTest {

  private static final double TOLERANCE = 1e-12;

  @Test
  void wilsonInterval() {
    ConfidenceInterval ci = new Proportion(120, 1000).wilson(0.95);
    // python3 -c "from statsmodels.stats.proportion import proportion_confint;
    // print(repr(proportion_confint(120, 1000, alpha=0.05, method='wilson')))"
    // -> (0.10129926060130912, 0.14160907584771276)
    assertRelative(0.10129926060130912, ci.lower(), TOLERANCE);
    assertRelative(0.14160907584771276, ci.upper(), TOLERANCE);
    assertEquals(0.12, new Proportion(120, 1000).rate());
  }

  @Test
  void wilsonIntervalAtZeroSuccessesStaysInsideZeroToOne() {
    ConfidenceInterval ci = new Proportion(0, 50).wilson(0.95);
    // python3 -c "from statsmodels.stats.proportion import proportion_confint;
    // print(repr(proportion_confint(0, 50, alpha=0.05, method='wilson')))"
    // -> (0.0, 0.07134759913335874)
    assertEquals(0.0, ci.lower(), 1e-15);
    assertRelative(0.07134759913335874, ci.upper(), TOLERANCE);
  }

  @Test
  void wilsonIntervalAtNinetyPercentOnASmallSample() {
    ConfidenceInterval ci = new Proportion(7, 9).wilson(0.90);
    // python3 -c "from statsmodels.stats.proportion import proportion_confint;
    // print(repr(proportion_confint(7, 9, alpha=0.1, method='wilson')))"
    // -> (0.5036427823767538, 0.9235052624456037)
    assertRelative(0.5036427823767538, ci.lower(), TOLERANCE);
    assertRelative(0.9235052624456037, ci.upper(), TOLERANCE);
  }

  @Test
  void countsMustMakeSense() {
    assertThrows(IllegalArgumentException.class, () -> new Proportion(11, 10));
    assertThrows(IllegalArgumentException.class, () -> new Proportion(-1, 10));
    assertThrows(IllegalStateException.class, () -> new Proportion(0, 0).rate());
    assertThrows(IllegalArgumentException.class, () -> new Proportion(1, 10).wilson(1.0));
  }
}
