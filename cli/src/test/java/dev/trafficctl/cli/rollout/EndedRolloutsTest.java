package dev.trafficctl.cli.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trafficctl.testing.RolloutStatuses;
import dev.trafficctl.workflows.status.Phase;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The one line that names a rollout that has ended, for a command that found nothing running. */
class EndedRolloutsTest {

  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final Instant ENDED = Instant.parse("2026-12-07T10:02:30Z");

  @Test
  void aPromotedCanaryEndedToday() {
    assertEquals(
        "demo.api: the last rollout (canary v1 -> v2) ended Promoted at 10:02",
        EndedRollouts.describe(
            RolloutStatuses.canary()
                .workflowId("demo.api")
                .phase(Phase.PROMOTED)
                .phaseSince(ENDED)
                .build(),
            UTC,
            ENDED.plusSeconds(3600)));
  }

  @Test
  void anEarlierDayIsDated() {
    assertEquals(
        "demo.api: the last rollout (canary v1 -> v2) ended Aborted at 2026-12-07 10:02",
        EndedRollouts.describe(
            RolloutStatuses.canary()
                .workflowId("demo.api")
                .phase(Phase.ABORTED)
                .phaseSince(ENDED)
                .build(),
            UTC,
            ENDED.plusSeconds(86_400)));
  }

  @Test
  void aFailedWorkflowSaysWhy() {
    assertEquals(
        "demo.api: the last rollout (canary -> v2) ended Failed at 10:02: v2 already serves 100%"
            + " of api in demo",
        EndedRollouts.describe(
            RolloutStatuses.canary()
                .workflowId("demo.api")
                .stableVersion(null)
                .build()
                .closedBy("v2 already serves 100% of api in demo", ENDED),
            UTC,
            ENDED));
  }
}
