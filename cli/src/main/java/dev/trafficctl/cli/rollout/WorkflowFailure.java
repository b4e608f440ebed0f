package dev.trafficctl.cli.rollout;

/**
 * Why a workflow ended without completing: it failed (e.g. its input was refused) or was
 * terminated. A rollback is not a failure: it completes with phase RolledBack.
 *
 * @param message one line, e.g. {@code failed: <input>: canary.steps[0]...}
 * @param exitCode 2 when the workflow refused its input, 4 when the state of things refused it,
 *     else 1
 */
public record WorkflowFailure(String message, int exitCode) {}
