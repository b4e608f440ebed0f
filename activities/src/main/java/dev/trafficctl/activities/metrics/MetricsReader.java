package dev.trafficctl.activities.metrics;

import dev.trafficctl.workflows.ports.MetricsQuery;
import dev.trafficctl.workflows.ports.MetricsSample;

/**
 * One source of request metrics (Prometheus, nginx access logs). {@link MetricsProviderActivity}
 * has already checked the query's window and percentile; a reader only fetches and counts.
 */
public interface MetricsReader {

  /** The version's requests, failures and latency percentile over the window ending now. */
  MetricsSample sample(MetricsQuery query);
}
