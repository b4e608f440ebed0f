package dev.trafficctl.activities.metrics;

import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.workflows.ports.ConversionCounts;
import dev.trafficctl.workflows.ports.ConversionQuery;
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

  /**
   * Users exposed to each A/B test variant and users who converted, since the test began. Only
   * readers of the application's own counters can answer (an access log sees requests, not users or
   * conversions); the others fail non-retryably, which is the default.
   */
  default ConversionCounts conversions(ConversionQuery query) {
    throw InvalidConfiguration.failure(
        query.service()
            + " ("
            + query.env()
            + "): A/B test conversions need the prometheus metrics provider, not "
            + query.source().provider().wire());
  }
}
