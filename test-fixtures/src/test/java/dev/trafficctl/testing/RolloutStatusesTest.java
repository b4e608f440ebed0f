package dev.trafficctl.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutStatusesTest {

  private static final Instant AT = Instant.parse("2026-03-01T10:15:30Z");

  @Test
  void aRolledBackCanaryHasNoWeightLeftAndNothingElseSet() {
    RolloutStatus s = RolloutStatuses.canaryRolledBack(AT, 2, 5).build();
    assertEquals("production.api", s.workflowId());
    assertEquals("canary", s.strategy());
    assertEquals("v2", s.candidateVersion());
    assertEquals(Phase.ROLLED_BACK, s.phase());
    assertEquals(2, s.step());
    assertEquals(5, s.totalSteps());
    assertEquals(0, s.weight());
    assertEquals(AT, s.phaseSince());
    assertEquals(AT, s.updatedAt());
    assertNull(s.message());
    assertNull(s.lastAnalysis());
    assertEquals(List.of(), s.actions());
  }

  @Test
  void aStartedCanaryHoldsItsFirstStep() {
    RolloutStatus s = RolloutStatuses.canaryStarted(AT, 5, 10, 25, Duration.ofMinutes(5)).build();
    assertEquals(Phase.PROGRESSING, s.phase());
    assertEquals(1, s.step());
    assertEquals(25, s.nextWeight());
    assertEquals(AT.plusSeconds(300), s.stepEndsAt());
  }

  @Test
  void aBlueGreenSwitchGoesFromBlueToGreen() {
    RolloutStatus s = RolloutStatuses.blueGreen().build();
    assertEquals("blue-green", s.strategy());
    assertEquals("blue", s.stableVersion());
    assertEquals("green", s.candidateVersion());
  }
}
