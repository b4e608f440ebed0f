package dev.trafficctl.workflows.ports;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Reads request metrics per version: Prometheus, nginx access logs, ... */
@ActivityInterface
public interface MetricsProvider {

  @ActivityMethod(name = "SampleMetrics")
  MetricsSample sample(MetricsQuery query);
}
