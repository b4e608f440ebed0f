package dev.trafficctl.config.loadbalancer;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;

/**
 * {@code load_balancer:} a load balancer's upstream, health checks, balancing and session
 * persistence. Everything here is rendered into load-balancer configuration, so every text field is
 * held to a pattern that cannot end a directive.
 *
 * @param name the load balancer's name, {@code [a-z0-9][a-z0-9.-]*}; required
 * @param type the kind of load balancer; required
 * @param upstream the servers traffic is balanced over; required
 * @param healthCheck active health checks; none when absent (failed requests still take a server
 *     out for its {@code fail_timeout})
 * @param algorithms how a server is chosen; default {@code round_robin}
 * @param session session persistence; off by default
 */
public record LoadBalancerSpec(
    String name,
    LoadBalancerType type,
    Upstream upstream,
    HealthCheck healthCheck,
    Algorithms algorithms,
    SessionPersistence session)
    implements Validatable {

  public LoadBalancerSpec {
    algorithms = algorithms == null ? new Algorithms(null) : algorithms;
    session = session == null ? new SessionPersistence(null, null, null) : session;
  }

  @Override
  public void validate(Validator at) {
    if (at.required("name", name)) {
      at.nameField("name", name, "load balancer");
    }
    at.required("type", type);
    if (at.required("upstream", upstream)) {
      at.nested("upstream", upstream);
    }
    at.nested("health_check", healthCheck);
    at.nested("algorithms", algorithms);
    at.nested("session", session);
  }
}
