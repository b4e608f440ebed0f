package dev.trafficctl.config.loadbalancer;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.List;

/**
 * {@code load_balancer.upstream}: the servers traffic is balanced over.
 *
 * @param servers each server once; at least one of them with a weight above 0; required
 */
public record Upstream(List<UpstreamServer> servers) implements Validatable {

  public Upstream {
    servers = servers == null ? null : List.copyOf(servers);
  }

  @Override
  public void validate(Validator at) {
    if (at.required("servers", servers) && at.notEmpty("servers", servers)) {
      at.each("servers", servers);
      at.unique("servers", servers, UpstreamServer::server, "server");
      // Only between valid weights: a negative one has its own problem.
      boolean valid = servers.stream().allMatch(s -> s != null && s.weight() >= 0);
      at.check(
          !valid || servers.stream().anyMatch(s -> s.weight() > 0),
          "servers",
          "every server has weight 0, so none would receive traffic");
    }
  }
}
