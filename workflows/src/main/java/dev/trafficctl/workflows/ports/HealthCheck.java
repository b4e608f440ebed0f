package dev.trafficctl.workflows.ports;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Which instances to ask, where and until when.
 *
 * @param pool the pool's name for messages, e.g. {@code green}
 * @param addresses {@code host:port} of each instance
 * @param endpoint URL path, e.g. {@code /health}
 * @param deadline when to stop, in workflow time; absolute so that a retried attempt does not start
 *     the clock again
 * @param interval time between two rounds over the instances
 * @param requestTimeout time one answer may take
 */
public record HealthCheck(
    String service,
    String env,
    String pool,
    List<String> addresses,
    String endpoint,
    Instant deadline,
    Duration interval,
    Duration requestTimeout) {

  public HealthCheck {
    addresses = List.copyOf(addresses);
  }
}
