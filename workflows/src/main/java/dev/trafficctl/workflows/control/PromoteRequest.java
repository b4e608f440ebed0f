package dev.trafficctl.workflows.control;

/**
 * A promotion: to the next step, or with {@code full} straight to 100%.
 *
 * @param full straight to 100%; false when left out
 * @param by a person or pipeline
 * @param reason free text, optional
 */
public record PromoteRequest(Boolean full, String by, String reason) {

  public PromoteRequest {
    // Boxed so that a pipeline's {"by": ..., "reason": ...} is a plain promotion.
    full = Boolean.TRUE.equals(full);
  }
}
