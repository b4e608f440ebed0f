package dev.trafficctl.workflows.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The one status model of every strategy: returned by the {@code status} query, mirrored into the
 * memo, printed by the CLI and carried by notifications.
 *
 * @param workflowId {@code <env>.<service>}
 * @param strategy {@code canary}, {@code blue-green}, ...
 * @param step 1-based current step, 0 before the first
 * @param weight the candidate's percent now
 * @param nextWeight the candidate's percent in the next step, null when there is none
 * @param message what the rollout is doing or waiting for, and why
 * @param phaseSince when the current phase began
 * @param stepRemaining how long the current step still holds (frozen while paused)
 * @param stepEndsAt when the current step's hold ends, null while paused or without a hold
 * @param updatedAt the workflow time this status was taken at
 * @param notificationFailures notifications that could not be delivered (the latest few); empty for
 *     strategies that send none
 */
public record RolloutStatus(
    String workflowId,
    String service,
    String env,
    String strategy,
    String stableVersion,
    String candidateVersion,
    Phase phase,
    String message,
    int step,
    int totalSteps,
    int weight,
    Integer nextWeight,
    Instant phaseSince,
    Duration stepRemaining,
    Instant stepEndsAt,
    AnalysisReport lastAnalysis,
    List<StepRecord> steps,
    List<ActionRecord> actions,
    Instant updatedAt,
    List<NotificationFailure> notificationFailures) {

  public RolloutStatus {
    steps = steps == null ? List.of() : List.copyOf(steps);
    actions = actions == null ? List.of() : List.copyOf(actions);
    notificationFailures =
        notificationFailures == null ? List.of() : List.copyOf(notificationFailures);
  }
}
