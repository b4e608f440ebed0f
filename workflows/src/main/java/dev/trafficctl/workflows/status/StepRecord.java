package dev.trafficctl.workflows.status;

import java.time.Duration;
import java.time.Instant;

/**
 * What happened in one step.
 *
 * @param number 1-based
 * @param weight the candidate's percent in this step
 * @param outcome {@code running}, {@code paused}, {@code passed}, {@code promoted}, {@code failed},
 *     {@code aborted}
 * @param held how long the step clock ran (time paused does not count)
 * @param note who acted and why, or which metric failed
 */
public record StepRecord(
    int number, int weight, Instant startedAt, String outcome, Duration held, String note) {}
