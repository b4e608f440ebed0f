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
 * @param held how long the step clock ran (time paused does not count); null while the step runs,
 *     when the status's {@code step_remaining} says how far it is
 * @param note who acted and why, or which metric failed
 */
public record StepRecord(
    int number, int weight, Instant startedAt, String outcome, Duration held, String note) {

  /** A step that starts now: running, its hold not measured until it ends. */
  public static StepRecord started(int number, int weight, Instant at, String note) {
    return new StepRecord(number, weight, at, "running", null, note);
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
