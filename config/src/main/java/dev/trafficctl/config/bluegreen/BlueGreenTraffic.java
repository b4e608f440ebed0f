package dev.trafficctl.config.bluegreen;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import dev.trafficctl.config.catalog.RouterType;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code blue_green.<service>.traffic}: how the colors are reached and when an instance counts as
 * ready.
 *
 * @param loadBalancer the router that moves the traffic ({@code nginx} or {@code file}); when
 *     absent, the catalog's router of the environment; when present, it must be that router
 * @param healthEndpoint URL path asked on each instance of the idle color, e.g. {@code /health};
 *     when absent, the catalog's health endpoint of the environment
 * @param readinessTimeout time one instance has to answer its health endpoint with success before
 *     it counts as not ready; default 60s
 */
public record BlueGreenTraffic(
    RouterType loadBalancer, String healthEndpoint, Duration readinessTimeout)
    implements Validatable {

  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");

  public BlueGreenTraffic {
    readinessTimeout = readinessTimeout == null ? Duration.ofMinutes(1) : readinessTimeout;
  }

  @Override
  public void validate(Validator at) {
    at.matches("health_endpoint", healthEndpoint, PATH, "a URL path such as /health");
    at.positive("readiness_timeout", readinessTimeout);
  }
}
