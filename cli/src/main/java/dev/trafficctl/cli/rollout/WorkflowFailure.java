package dev.trafficctl.cli.rollout;

/**
 * Why a workflow ended without completing: it failed (e.g. its input was refused) or was
 * terminated. A rollback is not a failure: it completes with phase RolledBack.
 *
 * @param how {@code failed}, {@code terminated}, {@code timed out} or {@code canceled}
 * @param why the failure's own message (a termination's reason), or null when it gave none
 * @param exitCode 2 when the workflow refused its input, 4 when the state of things refused it,
 *     else 1
 */
public record WorkflowFailure(String how, String why, int exitCode) {

  /** One line, e.g. {@code failed: v2 already serves 100% of api in demo}. */
  public String message() {
    return why == null ? how : how + ": " + why;
  }

  /** What a status with phase Failed says: why, when it failed by itself; else how and why. */
  public String statusMessage() {
    return how.equals("failed") && why != null ? why : message();
  }
}
