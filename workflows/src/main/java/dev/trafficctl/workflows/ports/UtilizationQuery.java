package dev.trafficctl.workflows.ports;

import dev.trafficctl.config.catalog.MetricsSource;
import java.time.Duration;
import java.util.List;

/**
 * How busy some servers of a service were over {@code window} ending now: the input of {@link
 * MetricsProvider#utilization}.
 *
 * @param servers the servers asked about, {@code host:port} as the catalog lists them
 */
public record UtilizationQuery(
    String service, String env, MetricsSource source, List<String> servers, Duration window) {

  public UtilizationQuery {
    servers = servers == null ? List.of() : List.copyOf(servers);
  }
}
