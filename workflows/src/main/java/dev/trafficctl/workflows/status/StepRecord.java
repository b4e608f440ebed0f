package dev.trafficctl.workflows.status;

import java.time.Duration;
import java.time.Instant;

/**
 * What happened in one step.
 *
 * @param number 1-based
 * @param weight the candidate's percent in this step
 * @param outcome {@code running}, {@code paused}, {@code passed}, {@code promoted}, {@code failed},
 *     {@code aborted}
 * @param held how long the step clock ran (time paused does not count)
 * @param note who acted and why, or which metric failed
 */
public record StepRecord(
    int number, int weight, Instant startedAt, String outcome, Duration held, String note) {

  /** A step that starts now: running, held for nothing yet. */
  public static StepRecord started(int number, int weight, Instant at, String note) {
    return new StepRecord(number, weight, at, "running", Duration.ZERO, note);
  }

  /** This step with its outcome so far, how long it held and a note. */
  public StepRecord with(String outcome, Duration held, String note) {
    return new StepRecord(number, weight, startedAt, outcome, held, note);
  }

  /** Whether the step is still going on (running, or held by a pause). */
  public boolean open() {
    return outcome.equals("running") || outcome.equals("paused");
  }
}
