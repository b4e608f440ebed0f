package dev.trafficctl.config.splitting;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.time.Duration;

/**
 * {@code traffic_splitting.<service>.load_balancer}: balancing among the instances of one target.
 *
 * @param algorithm how an instance is chosen; default {@code weighted_round_robin}
 * @param healthChecks take instances that fail their health checks out of rotation; default true
 * @param timeout time an instance has to answer a request before it counts as failed; default 60s
 *     (nginx's own proxy timeout)
 */
public record SplitLoadBalancing(SplitAlgorithm algorithm, Boolean healthChecks, Duration timeout)
    implements Validatable {

  public SplitLoadBalancing {
    algorithm = algorithm == null ? SplitAlgorithm.WEIGHTED_ROUND_ROBIN : algorithm;
    healthChecks = healthChecks == null ? Boolean.TRUE : healthChecks;
    timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
  }

  @Override
  public void validate(Validator at) {
    at.positive("timeout", timeout);
  }
}
