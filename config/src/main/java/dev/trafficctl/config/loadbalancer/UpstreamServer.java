package dev.trafficctl.config.loadbalancer;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import dev.trafficctl.config.catalog.ServerAddress;
import java.time.Duration;

/**
 * One of {@code load_balancer.upstream.servers}.
 *
 * @param server {@code host:port}; required
 * @param weight share of requests relative to the other servers, at least 0; 0 keeps the server in
 *     the configuration but out of rotation (nginx {@code down}); default 1
 * @param maxFails failed attempts within {@code fail_timeout} that take the server out for {@code
 *     fail_timeout}; 0 never takes it out; default 1
 * @param failTimeout the window failures are counted in, and how long a failed server stays out;
 *     default 10s
 */
public record UpstreamServer(String server, Integer weight, Integer maxFails, Duration failTimeout)
    implements Validatable {

  public UpstreamServer {
    weight = weight == null ? 1 : weight;
    maxFails = maxFails == null ? 1 : maxFails;
    failTimeout = failTimeout == null ? Duration.ofSeconds(10) : failTimeout;
  }

  @Override
  public void validate(Validator at) {
    if (at.required("server", server)) {
      ServerAddress.check(at.at("server"), server);
    }
    at.atLeast("weight", weight, 0);
    at.atLeast("max_fails", maxFails, 0);
    at.positive("fail_timeout", failTimeout);
  }
}
