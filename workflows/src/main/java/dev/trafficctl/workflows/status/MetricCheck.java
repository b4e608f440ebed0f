package dev.trafficctl.workflows.status;

import java.time.Duration;

/**
 * One metric of one analysis: its value, its bound and whether it held.
 *
 * @param metric {@code success_rate}, {@code error_rate} or {@code p95} (latency percentile)
 * @param value measured value, in {@code unit}; null when there was nothing to measure
 * @param threshold the bound
 * @param atLeast true when the value must be at least the bound, false when at most
 * @param unit {@code %} or {@code ms}
 */
public record MetricCheck(
    String metric,
    Double value,
    double threshold,
    boolean atLeast,
    String unit,
    Duration window,
    boolean ok) {}
