package dev.trafficctl.config.bluegreen;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import dev.trafficctl.config.catalog.ServerAddress;
import java.util.List;

/**
 * {@code environments.blue} or {@code environments.green}: one color of a blue-green pair.
 *
 * @param weight the color's share of traffic now, 0..100; required
 * @param instances how many instances the color runs, at least 1; required
 * @param addresses {@code host:port} of each instance, as many as {@code instances}; when absent,
 *     the catalog's servers of the color's version
 */
public record ColorEnvironment(Integer weight, Integer instances, List<String> addresses)
    implements Validatable {

  public ColorEnvironment {
    addresses = addresses == null ? null : List.copyOf(addresses);
  }

  @Override
  public void validate(Validator at) {
    if (at.required("weight", weight)) {
      at.percentage("weight", weight);
    }
    if (at.required("instances", instances)) {
      at.atLeast("instances", instances, 1);
    }
    if (addresses != null) {
      for (int i = 0; i < addresses.size(); i++) {
        ServerAddress.check(at.at("addresses").index(i), addresses.get(i));
      }
      if (instances != null) {
        at.check(
            addresses.size() == instances,
            "addresses",
            "lists "
                + addresses.size()
                + (addresses.size() == 1 ? " address" : " addresses")
                + " for "
                + instances
                + (instances == 1 ? " instance" : " instances")
                + " (one address per instance)");
      }
    }
  }
}
