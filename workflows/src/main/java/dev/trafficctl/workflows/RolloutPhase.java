package dev.trafficctl.workflows;

import dev.trafficctl.workflows.status.Phase;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Where a rollout stands: its phase, what it does or waits for, and since when. The clock restarts
 * only when the phase changes, so a new message within a phase keeps its "in this phase" time.
 * Workflow code only: it reads the workflow's clock.
 */
public final class RolloutPhase {

  private final Logger log;
  private Phase phase = Phase.PROGRESSING;
  private String message = "starting";
  private long since;

  /**
   * Progressing, "starting", from now.
   *
   * @param log the workflow implementation's logger, which logs each change
   */
  public RolloutPhase(Logger log) {
    this.log = log;
    this.since = Workflow.currentTimeMillis();
  }

  /** Moves to {@code next} because of {@code why}, and logs it under the workflow's id. */
  public void moveTo(Phase next, String why) {
    if (next != phase) {
      since = Workflow.currentTimeMillis();
    }
    phase = next;
    message = why;
    log.info("{} {}: {}", Workflow.getInfo().getWorkflowId(), phase, why);
  }

  /** A new message within the same phase; not logged (the phase did not change). */
  public void say(String why) {
    message = why;
  }

  /** Restarts the phase's clock at {@code epochMillis}: a continued run carrying on its phase. */
  public void since(long epochMillis) {
    since = epochMillis;
  }

  /** A continued run's phase, message and clock, as the previous run left them; not logged. */
  public void carryOn(Phase phase, String message, long sinceEpochMillis) {
    this.phase = phase;
    this.message = message;
    this.since = sinceEpochMillis;
  }

  public Phase phase() {
    return phase;
  }

  public String message() {
    return message;
  }

  public Instant since() {
    return Instant.ofEpochMilli(since);
  }
}
