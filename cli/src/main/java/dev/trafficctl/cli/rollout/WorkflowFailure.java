package dev.trafficctl.cli.rollout;

/**
 * Why a workflow ended without completing: it failed (e.g. its input was refused) or was
 * terminated. A rollback is not a failure: it completes with phase RolledBack.
 *
 * @param message one line, e.g. {@code failed: <input>: canary.steps[0]...}
 * @param invalidInput the workflow refused its input (exit 2 rather than 1)
 */
public record WorkflowFailure(String message, boolean invalidInput) {}
