package dev.trafficctl.workflows.canary;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.trafficctl.workflows.control.RolloutState;
import java.time.Instant;

/**
 * A canary's state. A paused canary keeps analysing every interval, so a pause over a weekend would
 * grow one history past Temporal's limits: the canary continues as new in the middle of a step and
 * carries this on, exactly where it was — the step's clock (hold time already served), the analysis
 * counters, the records.
 */
public final class CanaryState extends RolloutState {

  /** The version the canary falls back to, as read from the router at its start. */
  String stable;

  /** The step being held, 1-based (at the promotion gate: the last step before 100%). */
  int step;

  /** The candidate's percent in force. */
  int weight;

  @JsonUnwrapped(prefix = "clock_")
  StepClock clock = new StepClock();

  /** At the promotion gate ({@code auto_promote: false}). */
  boolean awaitingPromotion;

  /** Why it paused, shown while paused. */
  String pauseMessage = "";

  // Analysis counters (Argo Rollouts' failureLimit, inconclusiveLimit, consecutiveErrorLimit).
  int failedAnalyses;
  int inconclusiveInRow;
  int errorsInRow;

  /** When the next analysis is due. */
  Instant nextAnalysisAt;

  /** The step's hold is over and its latest analysis passed. */
  boolean passedAfterHold;
}
