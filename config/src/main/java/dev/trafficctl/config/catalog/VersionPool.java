package dev.trafficctl.config.catalog;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.List;

/**
 * {@code versions.<name>:} of a catalog environment: the servers one version runs on.
 *
 * @param servers {@code host:port} of each instance
 */
public record VersionPool(List<String> servers) implements Validatable {

  public VersionPool {
    servers = servers == null ? null : List.copyOf(servers);
  }

  @Override
  public void validate(Validator at) {
    if (at.required("servers", servers) && at.notEmpty("servers", servers)) {
      for (int i = 0; i < servers.size(); i++) {
        ServerAddress.check(at.at("servers").index(i), servers.get(i));
      }
    }
  }
}
