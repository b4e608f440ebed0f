package dev.trafficctl.workflows.control;

/**
 * A promotion: to the next step, or with {@code full} straight to 100%.
 *
 * @param by a person or pipeline
 * @param reason free text, optional
 */
public record PromoteRequest(boolean full, String by, String reason) {}
