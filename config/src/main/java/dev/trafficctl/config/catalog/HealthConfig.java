package dev.trafficctl.config.catalog;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code health:} of a catalog environment: how an instance is asked whether it is healthy.
 *
 * @param endpoint path requested on each instance, e.g. {@code /health}
 * @param timeout time allowed for one answer; default 2s
 */
public record HealthConfig(String endpoint, Duration timeout) implements Validatable {

  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");

  public HealthConfig {
    endpoint = endpoint == null ? "/health" : endpoint;
    timeout = timeout == null ? Duration.ofSeconds(2) : timeout;
  }

  @Override
  public void validate(Validator at) {
    at.matches("endpoint", endpoint, PATH, "a URL path such as /health");
    at.positive("timeout", timeout);
  }
}
