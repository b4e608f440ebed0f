package dev.trafficctl.workflows.control;

/**
 * Who asks for a pause, resume or abort, and why. Recorded in the rollout's actions and history.
 *
 * @param by a person or pipeline, e.g. the user name or {@code ci/pipeline-1234}
 * @param reason free text; required for abort
 */
public record ControlRequest(String by, String reason) {

  /** For update validators: an abort without a reason is refused, saying so. */
  public void requireReason(String action) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalStateException(action + " needs a reason (--reason)");
    }
  }
}
