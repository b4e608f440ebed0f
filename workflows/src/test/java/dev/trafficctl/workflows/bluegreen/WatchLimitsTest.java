package dev.trafficctl.workflows.bluegreen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.Verdict;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a blue-green watch counts its checks: none that cannot judge is ever a pass. */
class WatchLimitsTest {

  private final BlueGreenState counters = new BlueGreenState();

  private static AnalysisReport report(Verdict verdict, String detail) {
    return new AnalysisReport(Instant.EPOCH, verdict, List.of(), 0, 20, detail);
  }

  private WatchLimits.Outcome count(Verdict verdict) {
    return WatchLimits.count(counters, report(verdict, verdict.wire() + " detail"));
  }

  @Test
  void aBreachActsAtOnce() {
    WatchLimits.Outcome o = count(Verdict.FAIL);
    assertTrue(o.act());
    assertEquals("failed", o.stageOutcome());
    assertEquals("fail detail", o.reason());
  }

  @Test
  void threeInconclusiveChecksInARowActAndSaySo() {
    assertFalse(count(Verdict.INCONCLUSIVE).act());
    assertFalse(count(Verdict.INCONCLUSIVE).act());
    WatchLimits.Outcome third = count(Verdict.INCONCLUSIVE);
    assertTrue(third.act());
    assertEquals("inconclusive", third.stageOutcome());
    assertEquals(NotificationEvent.INCONCLUSIVE, third.event());
    assertEquals("3 inconclusive checks in a row: inconclusive detail", third.reason());
  }

  @Test
  void aPassStartsTheCountAgainButUnreadableMetricsDoNot() {
    count(Verdict.INCONCLUSIVE);
    count(Verdict.INCONCLUSIVE);
    assertFalse(count(Verdict.PASS).act());
    assertFalse(count(Verdict.INCONCLUSIVE).act());
    assertFalse(count(Verdict.ERROR).act());
    assertFalse(count(Verdict.INCONCLUSIVE).act());
    assertTrue(count(Verdict.INCONCLUSIVE).act(), "errors between them do not reset the count");
  }

  @Test
  void threeUnreadableChecksInARowAct() {
    count(Verdict.ERROR);
    count(Verdict.ERROR);
    WatchLimits.Outcome third = count(Verdict.ERROR);
    assertTrue(third.act());
    assertEquals("3 checks in a row could not read metrics: error detail", third.reason());
  }
}
