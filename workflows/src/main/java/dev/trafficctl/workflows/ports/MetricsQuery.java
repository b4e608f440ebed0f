package dev.trafficctl.workflows.ports;

import dev.trafficctl.config.catalog.MetricsSource;
import java.time.Duration;

/**
 * Request metrics of one version over {@code window} ending now.
 *
 * @param percentile the latency percentile wanted, e.g. 95
 */
public record MetricsQuery(
    String service,
    String env,
    String version,
    MetricsSource source,
    Duration window,
    double percentile) {}
