package dev.trafficctl.workflows.analysis.abtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.config.abtest.AbTestSpec;
import dev.trafficctl.workflows.abtest.AbTestHarness;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults.MetricResult;
import dev.trafficctl.workflows.ports.ConversionCounts.UserCounts;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one-line summaries people read in results and status. */
class AbTestAnalysisTest {

  private static final AbTestSpec SPEC =
      AbTestHarness.spec("14d", "{ name: bounce_rate, threshold: -0.2 }");
  private static final Map<String, String> VERSIONS = Map.of("A", "v1", "B", "v2");

  private static MetricResult judge(long users, long a, long b) {
    return AbTestAnalysis.judge(
            SPEC,
            VERSIONS,
            Map.of(
                "bounce_rate",
                Map.of("A", new UserCounts(users, a), "B", new UserCounts(users, b))))
        .get(0);
  }

  @Test
  void aVerySmallPValueReadsAsBelowTheSmallestShown() {
    MetricResult decisive = judge(5_000, 2_000, 1_500);
    assertEquals("B", decisive.decision());
    assertTrue(
        decisive.summary().contains("(p<0.0001; decided at analysis 1: |z| "), decisive.summary());
    assertEquals(Optional.of("B"), AbTestAnalysis.winner(java.util.List.of(decisive)));
  }

  @Test
  void inconclusiveSaysWhetherMoreUsersWouldHelp() {
    // 40% vs 38.5%: with 1,000 users each, more than the ~560 that a -20% change needs.
    MetricResult enough = judge(1_000, 400, 385);
    assertTrue(
        enough
            .summary()
            .matches(
                "bounce_rate: inconclusive with 1000 users per variant, more than the [0-9]+"
                    + " needed to detect -20.0%: no change that large so far"),
        enough.summary());
    // With 1,200 users (above minimum_sample_size 1000) but a threshold needing more, it says how
    // many.
    AbTestSpec small = AbTestHarness.spec("14d", "{ name: bounce_rate, threshold: -0.05 }");
    MetricResult needsMore =
        AbTestAnalysis.judge(
                small,
                VERSIONS,
                Map.of(
                    "bounce_rate",
                    Map.of("A", new UserCounts(1_200, 480), "B", new UserCounts(1_200, 470))))
            .get(0);
    assertTrue(
        needsMore
            .summary()
            .matches(
                "bounce_rate: inconclusive with 1200 users per variant; detecting a change of"
                    + " -5.0% needs about [0-9]+ per variant"),
        needsMore.summary());
  }
}
