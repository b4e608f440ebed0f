package dev.trafficctl.workflows.bluegreen;

import static dev.trafficctl.workflows.bluegreen.testing.BlueGreenDocs.SPEC_EXAMPLE;
import static dev.trafficctl.workflows.bluegreen.testing.BlueGreenDocs.autoPromote;
import static dev.trafficctl.workflows.bluegreen.testing.BlueGreenDocs.input;
import static dev.trafficctl.workflows.bluegreen.testing.BlueGreenDocs.options;
import static dev.trafficctl.workflows.bluegreen.testing.BlueGreenDocs.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.config.catalog.DriftAction;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.bluegreen.testing.BlueGreenDocs;
import dev.trafficctl.workflows.bluegreen.testing.BlueGreenHarness;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.control.SwitchRequest;
import dev.trafficctl.workflows.ports.MetricsSample;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.status.StepRecord;
import dev.trafficctl.workflows.status.Verdict;
import dev.trafficctl.workflows.testing.DriftFindings;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blue-green workflow on Temporal's time-skipping test server: the spec's example (health
 * checks 120s, switch_timeout 300s, monitoring 300s, cleanup 600s) runs in milliseconds.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlueGreenWorkflowTest {

  private static final ControlRequest BOB = new ControlRequest("bob", "looks good");

  private BlueGreenHarness h;

  @BeforeEach
  void setUp() {
    h = new BlueGreenHarness();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private static List<String> stages(RolloutStatus s) {
    return s.steps().stream().map(r -> r.number() + " " + r.outcome()).toList();
  }

  private BlueGreenWorkflow startAndAwaitPromotion() {
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, options()));
    h.await(bg, s -> s.phase() == Phase.PAUSED, Duration.ofMinutes(5));
    return bg;
  }

  // ---- deploy, promote, switch, monitor, cleanup ----------------------------------------------

  @Test
  void manualPromotionSwitchesAtOnceAndKeepsBlueReadyUntilCleanup() {
    BlueGreenWorkflow bg = startAndAwaitPromotion();
    RolloutStatus waiting = bg.status();
    assertEquals(Stage.PROMOTION.number(), waiting.step());
    assertEquals("blue", waiting.stableVersion());
    assertEquals("green", waiting.candidateVersion());
    assertEquals(0, waiting.weight());
    assertTrue(waiting.message().startsWith("waiting for promote"), waiting.message());
    assertEquals(List.of(Map.of("blue", 100, "green", 0)), List.of(h.router.current()));
    assertEquals(0, h.router.changes().size(), "no traffic moved before promote");
    // Readiness polled each green instance at its health endpoint, health was probed over 120s.
    assertEquals(List.of("10.0.1.1:8080", "10.0.1.2:8080"), h.health.checks().get(0).addresses());
    assertEquals("/health", h.health.checks().get(0).endpoint());
    assertEquals(
        h.started().plusSeconds(120).getEpochSecond(),
        h.health.checks().get(1).deadline().getEpochSecond(),
        1);

    bg.promote(BOB);
    RolloutStatus cleanup =
        h.await(bg, s -> s.step() == Stage.CLEANUP.number(), Duration.ofMinutes(6));
    assertEquals(Phase.PROGRESSING, cleanup.phase());
    assertEquals(100, cleanup.weight());
    assertEquals(Map.of("blue", 0, "green", 100), h.router.current());
    assertEquals(List.of(100), h.router.weightsOf("green"), "one atomic change");
    assertTrue(cleanup.message().contains("blue kept ready"), cleanup.message());

    // Cleanup ends after cleanup_delay, not before.
    h.sleep(Duration.ofMinutes(9));
    assertEquals(Phase.PROGRESSING, bg.status().phase());
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.PROMOTED, end.phase());
    assertTrue(end.message().contains("blue is idle"), end.message());
    assertEquals(
        List.of("1 passed", "2 passed", "3 promoted", "4 passed", "5 passed", "6 passed"),
        stages(end));
    StepRecord cleanupStage = end.steps().get(5);
    assertTrue(cleanupStage.held().compareTo(Duration.ofMinutes(10)) >= 0, cleanupStage.toString());
    assertEquals(
        List.of(
            NotificationEvent.STARTED,
            NotificationEvent.PAUSED,
            NotificationEvent.PROMOTED,
            NotificationEvent.COMPLETED),
        h.notifier.events());
  }

  @Test
  void autoPromoteSwitchesWithoutWaitingAndTheNextDeployTargetsBlue() {
    BlueGreenWorkflow first = h.start(input(SPEC_EXAMPLE, autoPromote()));
    assertEquals(Phase.PROMOTED, h.result(first).status().phase());
    assertEquals(Map.of("blue", 0, "green", 100), h.router.current());

    // Which color is live persists in the router: the next deploy moves green -> blue.
    BlueGreenWorkflow second = h.start(input(SPEC_EXAMPLE, autoPromote()));
    RolloutStatus end = h.result(second).status();
    assertEquals("green", end.stableVersion());
    assertEquals("blue", end.candidateVersion());
    assertEquals(Phase.PROMOTED, end.phase());
    assertEquals(Map.of("blue", 100, "green", 0), h.router.current());
  }

  @Test
  void switchTimeoutWithoutPromotionAbortsWithTrafficUntouched() {
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, options()));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ABORTED, end.phase());
    assertTrue(end.message().contains("no promote within switch_timeout 5m"), end.message());
    assertTrue(end.message().endsWith("blue serves 100%, traffic never moved"), end.message());
    assertEquals(0, h.router.changes().size());
    assertEquals("3 failed", stages(end).get(2));
  }

  // ---- checks before any traffic moves --------------------------------------------------------

  @Test
  void greenInstanceNotReadyAbortsAndSaysWhichAndHow() {
    h.health.neverReady("green", "HTTP 503");
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote()));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ABORTED, end.phase());
    assertTrue(
        end.message()
            .startsWith(
                "readiness: green instance 10.0.1.1:8080 did not answer /health within 1m (HTTP"
                    + " 503)"),
        end.message());
    assertEquals(List.of("1 failed"), stages(end));
    assertEquals(0, h.router.changes().size(), "live traffic untouched");
    assertEquals(
        List.of(NotificationEvent.STARTED, NotificationEvent.ABORTED), h.notifier.events());
  }

  @Test
  void healthBelowTheThresholdAbortsBeforeTheSwitch() {
    h.health.failing("green", 10);
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, BlueGreenDocs.healthThreshold(95)));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ABORTED, end.phase());
    assertTrue(end.message().contains("90% of 200 probes answered 2xx over 2m"), end.message());
    assertTrue(end.message().contains("below the 95% threshold"), end.message());
    assertTrue(end.message().contains("HTTP 500"), end.message());
    assertEquals(0, h.router.changes().size());
  }

  @Test
  void healthAboveTheThresholdPasses() {
    h.health.failing("green", 4);
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, BlueGreenDocs.healthThreshold(95)));
    assertEquals(Phase.PROMOTED, h.result(bg).status().phase());
  }

  // ---- after the switch ----------------------------------------------------------------------

  @Test
  void failuresAfterTheSwitchSwitchBackAtOnce() {
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote(), true));
    h.await(bg, s -> s.step() == Stage.MONITORING.number(), Duration.ofMinutes(5));
    h.metrics.failing("green", 80);
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertTrue(
        end.message().startsWith("after the switch: error_rate 8% > 5% over "), end.message());
    assertEquals(Map.of("blue", 100, "green", 0), h.router.current());
    assertEquals(List.of(100, 0), h.router.weightsOf("green"));
    assertEquals("5 failed", stages(end).get(4));
  }

  @Test
  void withoutAutomaticRollbackABreachPausesForADecision() {
    BlueGreenWorkflow bg =
        h.start(input(with("automatic: true", "automatic: false"), autoPromote(), true));
    h.await(bg, s -> s.step() == Stage.MONITORING.number(), Duration.ofMinutes(5));
    h.metrics.failing("green", 80);
    RolloutStatus paused = h.await(bg, s -> s.phase() == Phase.PAUSED, Duration.ofMinutes(5));
    assertTrue(paused.message().contains("rollback.automatic is false"), paused.message());
    assertEquals(Map.of("blue", 0, "green", 100), h.router.current(), "still on green");

    bg.rollback(new ControlRequest("carol", "errors"));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertTrue(end.message().startsWith("rolled back by carol: \"errors\""), end.message());
    assertEquals(Map.of("blue", 100, "green", 0), h.router.current());
  }

  /**
   * Someone moves half the traffic back to blue by hand while green is watched: the next check
   * finds the router's weights are not the rollout's, records it, and puts green's 100% back.
   */
  @Test
  void weightsSetByHandDuringMonitoringAreFoundAndPutBack() {
    BlueGreenWorkflow bg = weightsSetByHandWhileMonitoring(h, DriftAction.RESTORE);

    RolloutStatus found = h.await(bg, s -> !DriftFindings.of(s).isEmpty(), Duration.ofMinutes(2));

    assertEquals(
        "the router holds weights {blue=50, green=50}, not the rollout's {blue=0, green=100}",
        DriftFindings.of(found).get(0));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.PROMOTED, end.phase(), end.message());
    assertEquals(Map.of("blue", 0, "green", 100), h.router.current());
    assertTrue(
        h.router.lastChange().reason().startsWith("restore the rollout's weights: "),
        h.router.lastChange().reason());
  }

  /**
   * With {@code rollback.on_drift: pause} the rollout leaves the weights as found and waits for a
   * person: promote puts its weights back and monitoring goes on.
   */
  @Test
  void weightsSetByHandPauseForADecisionWhenTheCatalogSaysSo() {
    BlueGreenWorkflow bg = weightsSetByHandWhileMonitoring(h, DriftAction.PAUSE);

    RolloutStatus paused = h.await(bg, s -> s.phase() == Phase.PAUSED, Duration.ofMinutes(2));
    h.sleep(Duration.ofMinutes(10));

    assertTrue(paused.message().contains("rollback.on_drift is pause"), paused.message());
    assertEquals(Map.of("blue", 50, "green", 50), h.router.current(), "left as found");
    bg.promote(BOB);
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.PROMOTED, end.phase(), end.message());
    assertEquals(Map.of("blue", 0, "green", 100), h.router.current());
    assertEquals(1, DriftFindings.of(end).size());
  }

  /**
   * The spec example switched at once and watched on metrics, its catalog saying {@code
   * rollback.on_drift: onDrift}; while green is watched someone moves half the traffic back to blue
   * by hand.
   */
  static BlueGreenWorkflow weightsSetByHandWhileMonitoring(
      BlueGreenHarness h, DriftAction onDrift) {
    BlueGreenWorkflow bg =
        h.start(BlueGreenDocs.onDrift(input(SPEC_EXAMPLE, autoPromote(), true), onDrift));
    h.await(bg, s -> s.step() == Stage.MONITORING.number(), Duration.ofMinutes(5));
    h.router.reset(Map.of("blue", 50, "green", 50));
    return bg;
  }

  @Test
  void aWatchThatCannotReadMetricsDoesNotPass() {
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote(), true));
    h.await(bg, s -> s.step() == Stage.MONITORING.number(), Duration.ofMinutes(5));
    h.metrics.unreachable("green");
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertTrue(end.message().contains("3 checks in a row could not read metrics"), end.message());
    assertEquals(Map.of("blue", 100, "green", 0), h.router.current());
  }

  @Test
  void versionWeightsLeftByACanaryAreRefusedBeforeAnythingMoves() {
    h.router.reset(Map.of("v1", 0, "v2", 100));
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote()));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> h.result(bg));
    ApplicationFailure cause = (ApplicationFailure) e.getCause();
    assertEquals("Refused", cause.getType());
    assertTrue(cause.isNonRetryable(), cause.toString());
    assertEquals(
        "production.api: the router holds version weights {v1=0, v2=100}, not blue and green;"
            + " move all traffic to one color first: trafficctl traffic split api --env production"
            + " --blue=100 (or --green=100; blue and green must be versions in the catalog)",
        cause.getOriginalMessage());
    assertEquals(0, h.router.changes().size(), "nothing moved");
    assertEquals(0, h.health.checks().size(), "nothing checked");
  }

  @Test
  void anotherVersionWithTrafficBesideTheColorsIsRefusedToo() {
    // Switching colors would take v1's half away without anyone asking.
    h.router.reset(Map.of("v1", 50, "blue", 50, "green", 0));
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote()));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> h.result(bg));
    assertTrue(
        rootMessage(e).contains("version weights {blue=50, green=0, v1=50}"), rootMessage(e));
    assertEquals(0, h.router.changes().size());
  }

  @Test
  void aVersionWithoutTrafficBesideTheColorsIsNoObstacle() {
    h.router.reset(Map.of("v1", 0, "blue", 100, "green", 0));
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote()));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.PROMOTED, end.phase());
    assertEquals("blue", end.stableVersion());
    assertEquals(Map.of("blue", 0, "green", 100), h.router.current());
  }

  @Test
  void aLoadBalancerOtherThanTheCatalogsRouterIsRefused() {
    BlueGreenWorkflow bg =
        h.start(input(with("load_balancer: \"file\"", "load_balancer: \"nginx\""), autoPromote()));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> h.result(bg));
    assertTrue(
        rootMessage(e)
            .contains(
                "blue_green.traffic.load_balancer: is nginx but the catalog routes api in"
                    + " production through file"),
        rootMessage(e));
    assertEquals(0, h.router.changes().size());
  }

  @Test
  void monitoringThatSeesNoRequestsDoesNotPass() {
    h.metrics.tooFewRequests("green", 0);
    BlueGreenWorkflow bg =
        h.start(
            input(
                with(
                    "events: [started, paused, promoted, rolled_back, aborted, completed]",
                    "events: [started, promoted, rolled_back, inconclusive, completed]"),
                autoPromote(),
                true));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertTrue(
        end.message()
            .startsWith(
                "after the switch: 3 inconclusive checks in a row: saw 0 requests, needs 20"),
        end.message());
    assertTrue(end.message().endsWith("blue serves 100%"), end.message());
    assertEquals("5 inconclusive", stages(end).get(4));
    assertEquals(Verdict.INCONCLUSIVE, end.lastAnalysis().verdict());
    assertEquals(0, end.lastAnalysis().requests());
    assertEquals(20, end.lastAnalysis().minimumRequests());
    assertEquals(Map.of("blue", 100, "green", 0), h.router.current());
    assertEquals(
        List.of(
            NotificationEvent.STARTED,
            NotificationEvent.INCONCLUSIVE,
            NotificationEvent.ROLLED_BACK),
        h.notifier.events(),
        "never promoted, never completed");
  }

  @Test
  void tooFewRequestsAreNeitherABreachNorAPass() {
    h.metrics.script("green", q -> new MetricsSample(10, 5, 100.0, q.window()));
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote(), true));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertTrue(
        end.message().contains("3 inconclusive checks in a row: saw 10 requests, needs 20"),
        end.message());
    assertFalse(end.message().contains("error_rate 50%"), "half of 10 requests is no breach");
    assertEquals(3, h.metrics.queries().size(), "acted on the third check in a row");
  }

  @Test
  void withoutAutomaticRollbackAWatchThatCannotJudgePausesForADecision() {
    h.metrics.tooFewRequests("green", 0);
    BlueGreenWorkflow bg =
        h.start(input(with("automatic: true", "automatic: false"), autoPromote(), true));
    RolloutStatus paused = h.await(bg, s -> s.phase() == Phase.PAUSED, Duration.ofMinutes(10));
    assertEquals(Stage.MONITORING.number(), paused.step());
    assertTrue(
        paused.message().startsWith("after the switch: 3 inconclusive checks in a row: saw 0"),
        paused.message());
    assertTrue(paused.message().contains("rollback.automatic is false"), paused.message());
    assertEquals(Map.of("blue", 0, "green", 100), h.router.current(), "held on green");

    bg.promote(BOB);
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.PROMOTED, end.phase());
    assertEquals("5 promoted", stages(end).get(4));
    assertTrue(
        end.steps().get(4).note().contains("kept by bob despite: 3 inconclusive checks in a row"),
        end.steps().get(4).toString());
  }

  @Test
  void monitoringPassesOnlyOnAPassingCheckAtItsEnd() {
    // 300s of monitoring is 60 checks, 5s apart. The first two and the last see too few
    // requests: the watch goes on past its end until the 61st passes.
    AtomicInteger checks = new AtomicInteger();
    h.metrics.script(
        "green",
        q -> {
          int n = checks.incrementAndGet();
          return new MetricsSample(n <= 2 || n == 60 ? 3 : 1000, 0, 100.0, q.window());
        });
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote(), true));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.PROMOTED, end.phase());
    assertEquals(61, checks.get());
    assertEquals(
        "monitoring: no breach in 5m; last check: passed on 1000 requests",
        end.steps().get(4).note());
  }

  @Test
  void withoutAMetricsSourceAWatchWithoutProbesDoesNotPass() {
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote()));
    h.await(bg, s -> s.step() == Stage.MONITORING.number(), Duration.ofMinutes(5));
    h.health.noProbes("green");
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertTrue(
        end.message().contains("3 inconclusive checks in a row: no health probes of green taken"),
        end.message());
  }

  @Test
  void aHealthCheckWithoutProbesNeverLetsTheSwitchHappen() {
    h.health.noProbes("green");
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote()));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ABORTED, end.phase());
    assertTrue(
        end.message().startsWith("health check: inconclusive: no probes taken over 2m"),
        end.message());
    assertEquals(0, h.router.changes().size());
  }

  @Test
  void withoutAMetricsSourceHealthProbesJudgeTheNewColor() {
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote()));
    h.await(bg, s -> s.step() == Stage.MONITORING.number(), Duration.ofMinutes(5));
    h.health.failing("green", 50);
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertTrue(end.message().contains("50% of 200 health probes of green failed"), end.message());
  }

  // ---- gradual --------------------------------------------------------------------------------

  @Test
  void gradualSwitchMovesInJudgedSteps() {
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, BlueGreenDocs.gradual(true), true));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.PROMOTED, end.phase());
    assertEquals(List.of(10, 50, 100), h.router.weightsOf("green"));
    assertTrue(end.steps().get(3).note().contains("10% passed, 50% passed, 100%"), end.toString());
    assertEquals(
        2L,
        h.metrics.queries().stream()
            .filter(q -> q.version().equals("green") && q.window().equals(Duration.ofSeconds(45)))
            .count(),
        "one judgement per held step");
  }

  @Test
  void gradualStepWithTooFewRequestsDoesNotPass() {
    h.metrics.tooFewRequests("green", 0);
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, BlueGreenDocs.gradual(true), true));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertTrue(
        end.message()
            .startsWith("gradual switch at 10%: 3 inconclusive checks in a row: saw 0 requests"),
        end.message());
    assertEquals("4 inconclusive", stages(end).get(3));
    assertEquals(List.of(10, 0), h.router.weightsOf("green"), "never on to 50%");
    assertEquals(3, h.metrics.queriesOver(Duration.ofSeconds(45)), "judged again, 45s each");
  }

  @Test
  void gradualStepJudgedAgainAfterAnInconclusiveCheckGoesOnWhenOnePasses() {
    AtomicInteger checks = new AtomicInteger();
    h.metrics.script(
        "green",
        q -> new MetricsSample(checks.incrementAndGet() == 1 ? 0 : 1000, 0, 100.0, q.window()));
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, BlueGreenDocs.gradual(true), true));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.PROMOTED, end.phase());
    assertEquals(List.of(10, 50, 100), h.router.weightsOf("green"));
    assertEquals(3, h.metrics.queriesOver(Duration.ofSeconds(45)), "10% judged twice, 50% once");
  }

  @Test
  void gradualStepThatFailsSwitchesBack() {
    h.metrics.failing("green", 100);
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, BlueGreenDocs.gradual(true), true));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertTrue(end.message().startsWith("gradual switch at 10%: error_rate 10%"), end.message());
    assertEquals(List.of(10, 0), h.router.weightsOf("green"));
  }

  // ---- switch-to-blue, rollback, switch, abort ------------------------------------------------

  @Test
  void switchToBlueBeforeTheSwitchEndsWithTrafficNeverMoved() {
    BlueGreenWorkflow bg = startAndAwaitPromotion();
    bg.switchToBlue(new ControlRequest("dave", "not today"));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertTrue(end.message().contains("traffic never moved"), end.message());
    assertEquals(0, h.router.changes().size());
  }

  @Test
  void switchToBlueDuringReadinessCancelsTheCheck() {
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, options()));
    h.await(bg, s -> s.step() >= Stage.READINESS.number(), Duration.ofSeconds(30));
    bg.switchToBlue(new ControlRequest("dave", null));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertEquals(Map.of("blue", 100, "green", 0), h.router.current());
  }

  @Test
  void switchToBlueDuringTheHealthCheckEndsWithTrafficNeverMoved() {
    h.health.slowProbes(Duration.ofSeconds(2));
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote()));
    h.await(bg, s -> s.step() == Stage.HEALTH_CHECK.number(), Duration.ofSeconds(30));
    bg.switchToBlue(new ControlRequest("dave", "health check too slow"));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertTrue(end.message().contains("traffic never moved"), end.message());
    assertEquals(0, h.router.changes().size());
  }

  @Test
  void switchToBlueDuringAGradualSwitchGoesBackAtOnce() {
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, BlueGreenDocs.gradual(true), true));
    h.await(bg, s -> s.step() == Stage.SWITCH.number() && s.weight() == 10, Duration.ofMinutes(5));
    bg.switchToBlue(new ControlRequest("dave", null));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertEquals(List.of(10, 0), h.router.weightsOf("green"), "no further step, straight back");
  }

  @Test
  void switchToBlueDuringMonitoringAndCleanupSwitchesBackAtOnce() {
    for (int stage : List.of(Stage.MONITORING.number(), Stage.CLEANUP.number())) {
      h.router.reset(Map.of("blue", 100, "green", 0));
      BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote()));
      h.await(bg, s -> s.step() == stage, Duration.ofMinutes(10));
      assertEquals(Map.of("blue", 0, "green", 100), h.router.current());
      bg.switchToBlue(new ControlRequest("dave", "stage " + stage));
      RolloutStatus end = h.result(bg).status();
      assertEquals(Phase.ROLLED_BACK, end.phase(), "stage " + stage);
      assertTrue(end.message().startsWith("switched to blue by dave"), end.message());
      assertEquals(Map.of("blue", 100, "green", 0), h.router.current(), "stage " + stage);
    }
  }

  @Test
  void switchToBlueWhenBlueIsTheNewColorSwitchesAtOnceAndIsStillWatched() {
    h.router.reset(Map.of("blue", 0, "green", 100));
    BlueGreenWorkflow bg = startAndAwaitPromotion();
    assertEquals("blue", bg.status().candidateVersion());
    bg.switchToBlue(new ControlRequest("dave", null));
    RolloutStatus monitoring =
        h.await(bg, s -> s.step() == Stage.MONITORING.number(), Duration.ofMinutes(1));
    assertEquals(100, monitoring.weight());
    assertEquals(Map.of("blue", 100, "green", 0), h.router.current());
    assertEquals(Phase.PROMOTED, h.result(bg).status().phase());
  }

  @Test
  void rollbackDuringCleanupReturnsToBlue() {
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote()));
    h.await(bg, s -> s.step() == Stage.CLEANUP.number(), Duration.ofMinutes(10));
    h.sleep(Duration.ofMinutes(5));
    bg.rollback(new ControlRequest("erin", "customer reports"));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertEquals(Map.of("blue", 100, "green", 0), h.router.current());
    assertEquals("rollback", end.actions().get(0).action());
    assertEquals("erin", end.actions().get(0).by());
  }

  @Test
  void manualSwitchToGreenWhileWaitingCanBeGradual() {
    BlueGreenWorkflow bg = startAndAwaitPromotion();
    bg.switchColors(new SwitchRequest("blue", "green", true, "frank", null));
    assertEquals(Phase.PROMOTED, h.result(bg).status().phase());
    assertEquals(List.of(10, 50, 100), h.router.weightsOf("green"));
  }

  @Test
  void manualSwitchBackDuringMonitoring() {
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote()));
    h.await(bg, s -> s.step() == Stage.MONITORING.number(), Duration.ofMinutes(5));
    bg.switchColors(new SwitchRequest("green", "blue", false, "frank", null));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertTrue(end.message().startsWith("switched to blue by frank"), end.message());
    assertEquals(List.of(100, 0), h.router.weightsOf("green"));
  }

  @Test
  void manualSwitchModeMovesToTheNamedColorAfterReadiness() {
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, BlueGreenDocs.switchTo("green")));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.PROMOTED, end.phase());
    assertEquals(
        List.of("1 passed", "4 passed", "5 passed", "6 passed"), stages(end), "no health gate");
  }

  @Test
  void manualSwitchModeToTheLiveColorIsRefused() {
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, BlueGreenDocs.switchTo("blue")));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> h.result(bg));
    ApplicationFailure cause = (ApplicationFailure) e.getCause();
    assertEquals("InvalidInput", cause.getType());
    assertTrue(cause.getOriginalMessage().contains("blue already serves 100%"), cause.toString());
  }

  @Test
  void abortNeedsAReasonAndEndsOnTheLiveColor() {
    BlueGreenWorkflow bg = startAndAwaitPromotion();
    WorkflowUpdateException noReason =
        assertThrows(WorkflowUpdateException.class, () -> bg.abort(new ControlRequest("x", " ")));
    assertTrue(rootMessage(noReason).contains("abort needs a reason"), rootMessage(noReason));
    bg.abort(new ControlRequest("gina", "wrong build"));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ABORTED, end.phase());
    assertTrue(end.message().startsWith("aborted by gina: \"wrong build\""), end.message());
  }

  @Test
  void controlsThatDoNotFitThePhaseAreRefusedWithTheReason() {
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote()));
    h.await(bg, s -> s.step() == Stage.MONITORING.number(), Duration.ofMinutes(5));
    assertTrue(
        rootMessage(assertThrows(WorkflowUpdateException.class, () -> bg.promote(BOB)))
            .startsWith("not waiting for promotion (monitoring)"));
    assertTrue(
        rootMessage(
                assertThrows(
                    WorkflowUpdateException.class,
                    () -> bg.switchColors(new SwitchRequest("blue", "green", false, "x", null))))
            .contains("blue serves nothing now"));
    assertTrue(
        rootMessage(
                assertThrows(
                    WorkflowUpdateException.class,
                    () -> bg.switchColors(new SwitchRequest("green", "green", false, "x", null))))
            .contains("both green"));
    assertEquals(Phase.PROMOTED, h.result(bg).status().phase());
  }

  // ---- router failures ------------------------------------------------------------------------

  @Test
  void aRouterThatRefusesTheSwitchLeavesTrafficOnBlue() {
    h.router.refuseNextChanges(2);
    BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote()));
    RolloutStatus end = h.result(bg).status();
    assertEquals(Phase.ABORTED, end.phase());
    assertTrue(end.message().startsWith("switch failed"), end.message());
    assertEquals(Map.of("blue", 100, "green", 0), h.router.current());
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof ApplicationFailure a ? a.getOriginalMessage() : t.getMessage();
  }
}
