package dev.trafficctl.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SharesTest {

  @Test
  void theChiSquareOfATwoWaySplitIsTheSquareOfItsBinomialZ() {
    // 340 of 1,000 at 30%: z = 40 / sqrt(1000 * 0.3 * 0.7).
    double z = 40 / Math.sqrt(1000 * 0.3 * 0.7);
    assertEquals(z * z, Shares.chiSquare(340, 1000, 30), 1e-9);
  }

  @Test
  void aSplitWithinFiveDeviationsPassesAndOneTenPointsOffFails() {
    Shares.assertNear(310, 1000, 30, "near");
    AssertionError off =
        assertThrows(AssertionError.class, () -> Shares.assertNear(400, 1000, 30, "10 points off"));
    assertTrue(off.getMessage().startsWith("10 points off: 400 of 1000"), off.getMessage());
  }

  @Test
  void atZeroOrAHundredPercentNothingMayStray() {
    Shares.assertNear(0, 500, 0, "none");
    Shares.assertNear(500, 500, 100, "all");
    assertThrows(AssertionError.class, () -> Shares.assertNear(1, 500, 0, "one stray"));
    assertThrows(AssertionError.class, () -> Shares.assertNear(499, 500, 100, "one missing"));
  }

  @Test
  void aShareOfCountsIsOfEveryAnswerStatusesIncluded() {
    Map<String, Integer> counts = Map.of("v1", 690, "v2", 300, "status 502", 10);
    assertEquals(30.0, Shares.share(counts, "v2"), 1e-9);
    Shares.assertShare(counts, "v2", 30, "split");
    AssertionError wrong =
        assertThrows(AssertionError.class, () -> Shares.assertShare(counts, "v2", 20, "split"));
    assertTrue(wrong.getMessage().contains("status 502=10"), wrong.getMessage());
    assertEquals(0.0, Shares.share(counts, "v3"), 1e-9);
  }
}
