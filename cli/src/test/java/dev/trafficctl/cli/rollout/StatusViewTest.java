package dev.trafficctl.cli.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.testing.RolloutStatuses;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.MetricCheck;
import dev.trafficctl.workflows.status.NotificationFailure;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.status.StepRecord;
import dev.trafficctl.workflows.status.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusViewTest {

  private static final Duration FIVE_MIN = Duration.ofMinutes(5);
  private static final Instant T0 = Instant.parse("2026-11-27T10:02:11Z");
  private final StatusView view = new StatusView(ZoneOffset.UTC);

  private static RolloutStatus paused(AnalysisReport analysis) {
    return pausedByAlice(analysis).build();
  }

  private static RolloutStatus.Builder pausedByAlice(AnalysisReport analysis) {
    return RolloutStatuses.canaryPaused(3, 5, 25, 50)
        .message("paused by alice: \"check dashboards\"")
        .phaseSince(T0.plusSeconds(660))
        .stepRemaining(Duration.ofMinutes(7).plusSeconds(30))
        .lastAnalysis(analysis)
        .steps(
            List.of(
                new StepRecord(1, 5, T0, "passed", FIVE_MIN, null),
                new StepRecord(2, 10, T0.plusSeconds(302), "passed", FIVE_MIN, null),
                new StepRecord(
                    3,
                    25,
                    T0.plusSeconds(604),
                    "paused",
                    Duration.ofMinutes(2).plusSeconds(30),
                    "by alice: \"check dashboards\"")))
        .actions(
            List.of(new ActionRecord(T0.plusSeconds(660), "pause", "alice", "check dashboards")))
        .updatedAt(T0.plusSeconds(900));
  }

  @Test
  void pausedCanaryShowsProgressTimeLeftAndAnalysis() {
    AnalysisReport ok =
        new AnalysisReport(
            T0.plusSeconds(880),
            Verdict.PASS,
            List.of(
                new MetricCheck("success_rate", 99.6, 99, true, "%", FIVE_MIN, true),
                new MetricCheck("error_rate", 0.4, 1, false, "%", FIVE_MIN, true),
                new MetricCheck("p95", 212.0, 500, false, "ms", FIVE_MIN, true)),
            1204,
            50,
            null);
    String expected =
        """
        Rollout:    api (production)            production.api   Canary v1 -> v2
        Progress:   step 3/5   weight 25% -> next 50%   [#####...............] 25%   7m30s left in step (clock stopped)
        Status:     Paused - paused by alice: "check dashboards", 4m12s in this phase
        Analysis:   pass at 10:16:51
                    ok   success_rate 99.6% (>= 99%)   ok   error_rate 0.4% (<= 1%)
                    ok   p95 212ms (<= 500ms)
                    1,204 requests in the last 5m (needs 50)
        Steps:      1     5%  10:02:11  passed    (5m)
                    2    10%  10:07:13  passed    (5m)
                    3    25%  10:12:15  paused   by alice: "check dashboards"  (2m30s)
        Note:       no worker is polling trafficctl-rollouts; last saved status
        """;
    assertEquals(
        expected,
        view.render(
            paused(ok),
            T0.plusSeconds(660 + 252),
            "no worker is polling trafficctl-rollouts; last saved status"));
  }

  @Test
  void failedAnalysisNamesMetricValueThresholdAndWindow() {
    AnalysisReport failed =
        new AnalysisReport(
            T0.plusSeconds(880),
            Verdict.FAIL,
            List.of(new MetricCheck("success_rate", 97.2, 99, true, "%", FIVE_MIN, false)),
            800,
            50,
            "success_rate 97.2% < 99% over 5m");
    String rendered = view.render(paused(failed), T0.plusSeconds(900), null);
    assertTrue(
        rendered.contains(
            "Analysis:   fail at 10:16:51: success_rate 97.2% < 99% over 5m\n"
                + "            FAIL success_rate 97.2% (>= 99%)\n"
                + "            800 requests in the last 5m (needs 50)\n"),
        rendered);
  }

  @Test
  void anAbTestsChecksCountUsersSinceItBeganNotRequestsInAWindow() {
    AnalysisReport lift =
        new AnalysisReport(
            T0.plusSeconds(880),
            Verdict.PASS,
            List.of(new MetricCheck("conversion_rate B", 123.7, 50, true, "%", null, true)),
            988,
            400,
            "conversion_rate: B wins");
    String rendered = view.render(paused(lift), T0.plusSeconds(900), null);
    assertTrue(
        rendered.contains("            988 users in the smallest variant (needs 400)\n"), rendered);
  }

  @Test
  void anAbTestCountsAnalysesNotStepsAndItsClockRunsToTheEndOfTheTest() {
    RolloutStatus running =
        RolloutStatus.builder()
            .workflowId("production.frontend")
            .service("frontend")
            .env("production")
            .strategy("ab-test")
            .stableVersion("v1")
            .candidateVersion("v2")
            .phase(Phase.PROGRESSING)
            .message("A/B test new-ui: A 50%, B 50% on segments premium, standard")
            .step(3)
            .totalSteps(100)
            .weight(50)
            .phaseSince(T0)
            .stepRemaining(Duration.ofDays(13).plusHours(2))
            .stepEndsAt(T0.plus(Duration.ofDays(13).plusHours(2)))
            .updatedAt(T0.plusSeconds(900))
            .build();
    String progress =
        view.render(running, T0.plusSeconds(900), null)
            .lines()
            .filter(l -> l.startsWith("Progress:"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        "Progress:   analysis 3/100   treatment weight 50%   [##########..........] 50%"
            + "   13d2h left in the test",
        progress);
  }

  @Test
  void inconclusiveSaysHowManyRequestsItSawAndNeeds() {
    AnalysisReport thin =
        new AnalysisReport(
            T0.plusSeconds(880),
            Verdict.INCONCLUSIVE,
            List.of(new MetricCheck("success_rate", null, 99, true, "%", FIVE_MIN, true)),
            12,
            50,
            "saw 12 requests, needs 50");
    String rendered = view.render(paused(thin), T0.plusSeconds(900), null);
    assertEquals(
        "Analysis:   inconclusive at 10:16:51: saw 12 requests, needs 50",
        rendered.lines().filter(l -> l.startsWith("Analysis:")).findFirst().orElseThrow());
    assertTrue(rendered.contains("--   success_rate n/a (>= 99%)"), rendered);
  }

  @Test
  void notificationsThatFailedAreListedWithChannelAndError() {
    RolloutStatus base = paused(null);
    RolloutStatus s =
        pausedByAlice(null)
            .notificationFailures(
                List.of(
                    new NotificationFailure(
                        T0.plusSeconds(661), "paused", "slack", "channel_not_found")))
            .build();
    String rendered = view.render(s, T0.plusSeconds(900), null);
    assertTrue(
        rendered.contains("Not sent:   10:13:12  paused on slack: channel_not_found"), rendered);
    assertFalse(view.render(base, T0.plusSeconds(900), null).contains("Not sent:"));
  }
}
