package dev.trafficctl.activities.metrics;

import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.activities.ResourceName;
import dev.trafficctl.config.catalog.MetricsProviderType;
import dev.trafficctl.workflows.ports.MetricsProvider;
import dev.trafficctl.workflows.ports.MetricsQuery;
import dev.trafficctl.workflows.ports.MetricsSample;
import java.util.EnumMap;
import java.util.Map;

/**
 * The {@link MetricsProvider} activity: checks a query and hands it to the reader named by the
 * catalog's {@code metrics.provider}. A provider missing from this build fails non-retryably
 * instead of answering with numbers it did not measure.
 */
public final class MetricsProviderActivity implements MetricsProvider {

  private final Map<MetricsProviderType, MetricsReader> readers;

  /**
   * @param readers the readers this build has, by catalog provider (the worker builds the map)
   */
  public MetricsProviderActivity(Map<MetricsProviderType, ? extends MetricsReader> readers) {
    this.readers = new EnumMap<>(MetricsProviderType.class);
    this.readers.putAll(readers);
  }

  @Override
  public MetricsSample sample(MetricsQuery query) {
    if (query == null) {
      throw InvalidConfiguration.failure("no metrics query given");
    }
    String where = query.service() + " (" + query.env() + ")";
    if (query.source() == null || query.source().provider() == null) {
      throw InvalidConfiguration.failure(where + ": metrics.provider is not configured");
    }
    MetricsProviderType type = query.source().provider();
    MetricsReader reader = readers.get(type);
    if (reader == null) {
      throw InvalidConfiguration.failure(
          where + ": the " + type.wire() + " metrics provider is not available in this build");
    }
    ResourceName.require("version", query.version());
    if (query.window() == null || query.window().toMillis() < 1) {
      throw InvalidConfiguration.failure(
          where + ": metrics window " + query.window() + " is not a positive duration");
    }
    if (!(query.percentile() > 0 && query.percentile() <= 100)) {
      throw InvalidConfiguration.failure(
          where + ": latency percentile " + query.percentile() + " is not in (0, 100]");
    }
    return reader.sample(query);
  }
}
