package dev.trafficctl.workflows.ports;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.Map;

/**
 * Reads request metrics per version, utilization per server and A/B test conversions per variant:
 * Prometheus, nginx access logs.
 */
@ActivityInterface
public interface MetricsProvider {

  @ActivityMethod(name = "SampleMetrics")
  MetricsSample sample(MetricsQuery query);

  /**
   * Utilization in percent (0..100) of each of the query's servers, by {@code host:port}. A server
   * without a measurement (no series) is absent from the answer. Only Prometheus measures it; other
   * providers fail non-retryably.
   */
  @ActivityMethod(name = "SampleUtilization")
  Map<String, Double> utilization(UtilizationQuery query);

  /**
   * Users exposed to each of an A/B test's variants and users who converted on one success metric,
   * since the test began (cumulative counters, not a window). Only Prometheus counts them, from
   * counters the application increments once per user; other providers fail non-retryably.
   */
  @ActivityMethod(name = "SampleConversions")
  ConversionCounts conversions(ConversionQuery query);
}
