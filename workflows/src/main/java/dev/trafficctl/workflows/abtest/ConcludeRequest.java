package dev.trafficctl.workflows.abtest;

/**
 * Ends an A/B test with a winner.
 *
 * @param winner the winning variant's name ({@code B}); null to let the results decide ({@code
 *     --auto}), refused unless the primary success metric is decisive
 * @param by a person or pipeline
 * @param reason free text, optional; recorded with the decision
 */
public record ConcludeRequest(String winner, String by, String reason) {}
