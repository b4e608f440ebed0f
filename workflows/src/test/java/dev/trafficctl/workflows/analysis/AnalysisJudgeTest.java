package dev.trafficctl.workflows.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.workflows.ports.MetricsSample;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.MetricCheck;
import dev.trafficctl.workflows.status.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalysisJudgeTest {

  private static final Duration FIVE_MIN = Duration.ofMinutes(5);
  private static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");

  /** success >= 99%, error <= 1%, p95 <= 500ms, all over 5m, at least 100 requests. */
  private static final AnalysisCriteria SPEC =
      new AnalysisCriteria(
          99.0, FIVE_MIN, 1.0, FIVE_MIN, Duration.ofMillis(500), 95.0, FIVE_MIN, 100L);

  private static AnalysisReport judge(
      AnalysisCriteria c, long requests, long failures, Double p95) {
    return AnalysisJudge.judge(
        c, Map.of(FIVE_MIN, new MetricsSample(requests, failures, p95, FIVE_MIN)), AT);
  }

  @Test
  void healthyCandidatePasses() {
    AnalysisReport r = judge(SPEC, 1000, 4, 212.0);
    assertEquals(Verdict.PASS, r.verdict());
    assertEquals(3, r.checks().size());
    assertTrue(r.checks().stream().allMatch(MetricCheck::ok));
    assertEquals(1000, r.requests());
  }

  @Test
  void boundsAreInclusive() {
    // 990 of 1000 succeed: exactly 99% success and exactly 1% errors; p95 exactly 500ms.
    assertEquals(Verdict.PASS, judge(SPEC, 1000, 10, 500.0).verdict());
  }

  @Test
  void oneFailureTooManyBreachesBothRates() {
    AnalysisReport r = judge(SPEC, 1000, 11, 212.0);
    assertEquals(Verdict.FAIL, r.verdict());
    assertEquals("success_rate 98.9% < 99% over 5m; error_rate 1.1% > 1% over 5m", r.detail());
  }

  @Test
  void slowCandidateBreachesLatency() {
    AnalysisReport r = judge(SPEC, 1000, 0, 500.5);
    assertEquals(Verdict.FAIL, r.verdict());
    assertEquals("p95 500.5ms > 500ms over 5m", r.detail());
  }

  @Test
  void tooFewRequestsIsInconclusiveEvenWhenEverythingFails() {
    AnalysisReport r = judge(SPEC, 99, 99, 9000.0);
    assertEquals(Verdict.INCONCLUSIVE, r.verdict());
    assertEquals("saw 99 requests, needs 100", r.detail());
    assertEquals(100, r.minimumRequests());
  }

  @Test
  void exactlyTheMinimumIsEnough() {
    assertEquals(Verdict.PASS, judge(SPEC, 100, 0, 10.0).verdict());
  }

  @Test
  void noRequestsIsInconclusiveAndShowsNoValue() {
    AnalysisReport r = judge(SPEC, 0, 0, null);
    assertEquals(Verdict.INCONCLUSIVE, r.verdict());
    assertNull(r.checks().get(0).value());
  }

  @Test
  void missingLatencyWithEnoughRequestsIsInconclusive() {
    AnalysisReport r = judge(SPEC, 1000, 0, null);
    assertEquals(Verdict.INCONCLUSIVE, r.verdict());
    assertEquals("no latency measurements", r.detail());
  }

  @Test
  void eachMetricIsJudgedOverItsOwnWindow() {
    Duration oneMin = Duration.ofMinutes(1);
    AnalysisCriteria c = new AnalysisCriteria(99.0, oneMin, null, null, null, 95.0, null, 10L);
    AnalysisReport r =
        AnalysisJudge.judge(
            c,
            Map.of(
                oneMin, new MetricsSample(100, 5, null, oneMin),
                FIVE_MIN, new MetricsSample(10_000, 5, null, FIVE_MIN)),
            AT);
    assertEquals(Verdict.FAIL, r.verdict());
    assertEquals("success_rate 95% < 99% over 1m", r.detail());
  }

  @Test
  void nothingConfiguredPassesWithoutMeasuring() {
    AnalysisCriteria none = new AnalysisCriteria(null, FIVE_MIN, null, null, null, 95.0, null, 50L);
    assertTrue(none.isEmpty());
    assertTrue(none.windows().isEmpty());
    assertEquals(Verdict.PASS, AnalysisJudge.judge(none, Map.of(), AT).verdict());
  }

  @Test
  void sharedWindowIsSampledOnce() {
    assertEquals(1, SPEC.windows().size());
    assertFalse(SPEC.isEmpty());
  }

  @Test
  void formatsValuesForPeople() {
    assertEquals("99.6", AnalysisJudge.format(99.6));
    assertEquals("99", AnalysisJudge.format(99.0));
    assertEquals("0.33", AnalysisJudge.format(1 / 3.0));
    assertEquals("n/a", AnalysisJudge.format(null));
  }
}
