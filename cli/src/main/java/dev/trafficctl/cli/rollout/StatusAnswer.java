package dev.trafficctl.cli.rollout;

import dev.trafficctl.workflows.status.RolloutStatus;

/**
 * A rollout's status as the CLI could get it.
 *
 * @param live true when a worker answered the status query; false when it came from the memo
 * @param running whether the workflow is still running
 * @param note why the status is not live, for the person reading it; null when live
 * @param failure why the workflow itself failed or was terminated (not a rollback: the rollout
 *     could not run, e.g. invalid input); null otherwise
 */
public record StatusAnswer(
    RolloutStatus status, boolean live, boolean running, String note, WorkflowFailure failure) {}
