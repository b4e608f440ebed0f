package dev.trafficctl.workflows.canary;

import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.NotificationFailure;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.StepRecord;
import java.time.Instant;
import java.util.List;

/**
 * What a canary carries into its next run when it continues as new in the middle of a step: a
 * paused canary keeps analysing every interval, so a pause over a weekend would otherwise grow one
 * history past Temporal's limits. Everything the status shows and the step needs to go on exactly
 * where it was: the step's clock (hold time already served), the analysis counters, the records.
 *
 * @param stable the version the canary falls back to, as read from the router at its start
 * @param step the step being held (at the promotion gate: the last step before 100%)
 * @param weight the candidate's percent in force
 * @param clockAccumulatedMillis hold time served by the step while its clock was stopped and
 *     restarted
 * @param clockRunningSince when the step's clock last started; null while it is stopped (paused)
 * @param awaitingPromotion at the promotion gate ({@code auto_promote: false})
 * @param pauseMessage why it paused, shown while paused
 * @param phaseSince when the current phase began
 * @param nextAnalysisAt when the next analysis is due
 * @param passedAfterHold the step's hold is over and its latest analysis passed
 * @param notificationsSent events notified so far, so the next run numbers its events on
 */
public record CanaryState(
    String stable,
    int step,
    int weight,
    long clockAccumulatedMillis,
    Instant clockRunningSince,
    boolean paused,
    boolean awaitingPromotion,
    String pauseMessage,
    Phase phase,
    String message,
    Instant phaseSince,
    AnalysisReport lastAnalysis,
    List<StepRecord> steps,
    List<ActionRecord> actions,
    int failedAnalyses,
    int inconclusiveInRow,
    int errorsInRow,
    Instant nextAnalysisAt,
    boolean passedAfterHold,
    int notificationsSent,
    List<NotificationFailure> notificationFailures) {

  public CanaryState {
    steps = steps == null ? List.of() : List.copyOf(steps);
    actions = actions == null ? List.of() : List.copyOf(actions);
    notificationFailures =
        notificationFailures == null ? List.of() : List.copyOf(notificationFailures);
  }
}
