package dev.trafficctl.workflows.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import dev.trafficctl.workflows.status.Phase;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The one refusal of control requests every rollout gives, by where it stands. The refusals that a
 * running workflow gives are tested with the strategies; here are the ones a test server seldom
 * shows (a request in the moment before the start, or after the end is decided).
 */
class RolloutControlTest {

  private final AtomicBoolean ending = new AtomicBoolean();
  private final RolloutControl control =
      new RolloutControl(
          "the canary", LoggerFactory.getLogger(RolloutControlTest.class), () -> null, ending::get);
  private final RolloutState state = new RolloutState();

  private String refusal() {
    return assertThrows(IllegalStateException.class, control::rejectUnlessRunning).getMessage();
  }

  private void begun(Phase phase, String message) {
    state.phaseSince = Instant.EPOCH;
    state.phase = phase;
    state.message = message;
    control.begin(CanaryDocs.fast().input(), null, state, () -> "v2");
  }

  @Test
  void beforeItStartsARequestIsToldToComeBack() {
    assertEquals("the canary is still starting; try again in a moment", refusal());
  }

  @Test
  void aRunningRolloutTakesRequests() {
    begun(Phase.PROGRESSING, "step 1: holding 10% on v2");
    control.rejectUnlessRunning();
    control.validateAbort(new ControlRequest("alice", "bad build"));
  }

  @Test
  void anEndedOneSaysHowItEnded() {
    begun(Phase.PROMOTED, "v2 serves 100% and is the stable version");
    assertEquals(
        "the canary has ended (Promoted): v2 serves 100% and is the stable version", refusal());
  }

  @Test
  void oneRollingBackOrActingOnARequestSaysSo() {
    begun(Phase.ROLLING_BACK, "analysis failed");
    assertEquals("the canary is rolling back: analysis failed", refusal());

    begun(Phase.PROGRESSING, "holding");
    ending.set(true);
    assertEquals("the canary is ending: holding", refusal());

    ending.set(false);
    control.abortFor("progress-deadline", "no progress");
    assertEquals("the canary is ending: holding", refusal());
  }

  @Test
  void anAbortNeedsAReason() {
    begun(Phase.PROGRESSING, "holding");
    assertEquals(
        "abort needs a reason (--reason)",
        assertThrows(
                IllegalStateException.class,
                () -> control.validateAbort(new ControlRequest("alice", " ")))
            .getMessage());
  }
}
