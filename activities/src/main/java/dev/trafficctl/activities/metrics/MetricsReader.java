package dev.trafficctl.activities.metrics;

import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.workflows.ports.MetricsQuery;
import dev.trafficctl.workflows.ports.MetricsSample;
import dev.trafficctl.workflows.ports.UtilizationQuery;
import java.util.Map;

/**
 * One source of request metrics (Prometheus, nginx access logs). {@link MetricsProviderActivity}
 * has already checked the query's window and percentile; a reader only fetches and counts.
 */
public interface MetricsReader {

  /** The version's requests, failures and latency percentile over the window ending now. */
  MetricsSample sample(MetricsQuery query);

  /**
   * Utilization in percent of each server over the window ending now; servers without a measurement
   * are left out. Readers that cannot measure it (an access log knows requests, not how busy a
   * server is) fail non-retryably, which is the default.
   */
  default Map<String, Double> utilization(UtilizationQuery query) {
    throw InvalidConfiguration.failure(
        query.service()
            + " ("
            + query.env()
            + "): server utilization needs the prometheus metrics provider, not "
            + query.source().provider().wire());
  }
}
