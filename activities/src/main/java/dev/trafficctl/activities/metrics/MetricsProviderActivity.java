package dev.trafficctl.activities.metrics;

import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.activities.ResourceName;
import dev.trafficctl.config.catalog.MetricsProviderType;
import dev.trafficctl.config.catalog.MetricsSource;
import dev.trafficctl.config.catalog.ServerAddress;
import dev.trafficctl.workflows.ports.ConversionCounts;
import dev.trafficctl.workflows.ports.ConversionQuery;
import dev.trafficctl.workflows.ports.MetricsProvider;
import dev.trafficctl.workflows.ports.MetricsQuery;
import dev.trafficctl.workflows.ports.MetricsSample;
import dev.trafficctl.workflows.ports.UtilizationQuery;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@link MetricsProvider} activity: checks a query and hands it to the reader named by the
 * catalog's {@code metrics.provider}. A provider missing from this build fails non-retryably
 * instead of answering with numbers it did not measure.
 */
public final class MetricsProviderActivity implements MetricsProvider {

  private static final Pattern AB_TEST_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*");
  private static final Pattern METRIC_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Pattern VARIANT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

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
    MetricsReader reader = reader(where, query.source());
    ResourceName.require("version", query.version());
    checkWindow(where, query.window());
    if (!(query.percentile() > 0 && query.percentile() <= 100)) {
      throw InvalidConfiguration.failure(
          where + ": latency percentile " + query.percentile() + " is not in (0, 100]");
    }
    return reader.sample(query);
  }

  @Override
  public Map<String, Double> utilization(UtilizationQuery query) {
    if (query == null) {
      throw InvalidConfiguration.failure("no utilization query given");
    }
    String where = query.service() + " (" + query.env() + ")";
    MetricsReader reader = reader(where, query.source());
    checkWindow(where, query.window());
    if (query.servers().isEmpty()) {
      throw InvalidConfiguration.failure(where + ": no servers to measure the utilization of");
    }
    for (String server : query.servers()) {
      try {
        ServerAddress.parse(server);
      } catch (IllegalArgumentException e) {
        throw InvalidConfiguration.failure(
            where + ": server \"" + server + "\" is not " + ServerAddress.RULE, e);
      }
    }
    return reader.utilization(query);
  }

  @Override
  public ConversionCounts conversions(ConversionQuery query) {
    if (query == null) {
      throw InvalidConfiguration.failure("no conversion query given");
    }
    String where = query.service() + " (" + query.env() + ")";
    MetricsReader reader = reader(where, query.source());
    // Each goes into a PromQL label value: the document's own rules, checked again here.
    if (query.test() == null || !AB_TEST_NAME.matcher(query.test()).matches()) {
      throw InvalidConfiguration.failure(
          where + ": A/B test name \"" + query.test() + "\" is not " + AB_TEST_NAME.pattern());
    }
    if (query.metric() == null || !METRIC_NAME.matcher(query.metric()).matches()) {
      throw InvalidConfiguration.failure(
          where + ": success metric \"" + query.metric() + "\" is not " + METRIC_NAME.pattern());
    }
    if (query.variants().size() < 2) {
      throw InvalidConfiguration.failure(
          where + ": an A/B test compares at least 2 variants, got " + query.variants());
    }
    for (String variant : query.variants()) {
      if (variant == null || !VARIANT_NAME.matcher(variant).matches()) {
        throw InvalidConfiguration.failure(
            where + ": variant \"" + variant + "\" is not " + VARIANT_NAME.pattern());
      }
    }
    return reader.conversions(query);
  }

  private MetricsReader reader(String where, MetricsSource source) {
    if (source == null || source.provider() == null) {
      throw InvalidConfiguration.failure(where + ": metrics.provider is not configured");
    }
    MetricsProviderType type = source.provider();
    MetricsReader reader = readers.get(type);
    if (reader == null) {
      throw InvalidConfiguration.failure(
          where + ": the " + type.wire() + " metrics provider is not available in this build");
    }
    return reader;
  }

  private static void checkWindow(String where, Duration window) {
    if (window == null || window.toMillis() < 1) {
      throw InvalidConfiguration.failure(
          where + ": metrics window " + window + " is not a positive duration");
    }
  }
}
