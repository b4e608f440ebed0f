package dev.trafficctl.workflows.analysis.abtest;

import java.time.Instant;

/**
 * Who ended an A/B test with a winner, and why.
 *
 * @param winner the winning variant
 * @param version the winner's version, which serves 100% afterwards
 * @param by the person or pipeline, or {@code trafficctl} when the test decided at its end
 * @param reason why, as given, or the decisive result
 * @param automatic true when the results decided ({@code --auto} or the end of the test)
 */
public record Conclusion(
    Instant at, String winner, String version, String by, String reason, boolean automatic) {}
