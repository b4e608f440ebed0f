package dev.trafficctl.config.catalog;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;

/**
 * {@code router:} of a catalog environment: which provider moves the traffic.
 *
 * @param type the provider
 * @param mode nginx only: {@code dynamic} (default) or {@code reload}
 * @param loadBalancer nginx only: path of the spec's load-balancer document, relative to the
 *     catalog
 * @param stateDir file router: directory the desired weights are written to
 */
public record RouterConfig(RouterType type, NginxMode mode, String loadBalancer, String stateDir)
    implements Validatable {

  public RouterConfig {
    if (type == RouterType.NGINX && mode == null) {
      mode = NginxMode.DYNAMIC;
    }
  }

  @Override
  public void validate(Validator at) {
    at.required("type", type);
    at.notBlank("load_balancer", loadBalancer);
    at.notBlank("state_dir", stateDir);
    if (type == RouterType.FILE) {
      at.check(mode == null, "mode", "applies to the nginx router only");
      at.check(loadBalancer == null, "load_balancer", "applies to the nginx router only");
    }
    if (type == RouterType.NGINX) {
      at.check(stateDir == null, "state_dir", "applies to the file router only");
    }
  }
}
