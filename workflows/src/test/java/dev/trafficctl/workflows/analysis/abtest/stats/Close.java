package dev.trafficctl.workflows.analysis.abtest.stats;

import static org.junit.jupiter.api.Assertions.fail;

/** Relative comparison of computed statistics with reference values. */
final class Close {

  private Close() {}

  /** Fails unless |actual − expected| ≤ tolerance·|expected| (absolute when expected is 0). */
  static void assertRelative(double expected, double actual, double tolerance) {
    double scale = expected == 0 ? 1.0 : Math.abs(expected);
    if (!(Math.abs(actual - expected) <= tolerance * scale)) {
      fail(
          "expected "
              + expected
              + " but was "
              + actual
              + " (relative error "
              + Math.abs(actual - expected) / scale
              + " > "
              + tolerance
              + ")");
    }
  }
}
