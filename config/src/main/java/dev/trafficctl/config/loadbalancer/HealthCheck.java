package dev.trafficctl.config.loadbalancer;

import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code load_balancer.health_check}: active checks of every server.
 *
 * @param uri URL path requested on each server; default {@code /health}
 * @param interval time between two checks of a server; default 10s
 * @param timeout time a check has to answer, at most {@code interval}; default 5s
 * @param passes consecutive passed checks that bring a server back, at least 1; default 2
 * @param fails consecutive failed checks that take a server out, at least 1; default 3
 */
public record HealthCheck(
    String uri, Duration interval, Duration timeout, Integer passes, Integer fails)
    implements Validatable {

  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");

  public HealthCheck {
    uri = uri == null ? "/health" : uri;
    interval = interval == null ? Duration.ofSeconds(10) : interval;
    timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
    passes = passes == null ? 2 : passes;
    fails = fails == null ? 3 : fails;
  }

  @Override
  public void validate(Validator at) {
    at.matches("uri", uri, PATH, "a URL path such as /health");
    boolean intervalOk = at.positive("interval", interval);
    if (at.positive("timeout", timeout) && intervalOk) {
      at.check(
          timeout.compareTo(interval) <= 0,
          "timeout",
          "\""
              + SpecDurations.format(timeout)
              + "\" is longer than the interval \""
              + SpecDurations.format(interval)
              + "\" (a check must end before the next one starts)");
    }
    at.atLeast("passes", passes, 1);
    at.atLeast("fails", fails, 1);
  }
}
