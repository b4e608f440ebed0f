package dev.trafficctl.config.catalog;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The service catalog ({@code trafficctl.yaml}): what a service is and where its versions run. The
 * strategy documents say how to roll out; the catalog says where.
 */
public record Catalog(Map<String, ServiceEntry> services) implements Validatable {

  public Catalog {
    services = services == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(services));
  }

  /** The entry of {@code service} in {@code env}, if the catalog has one. */
  public Optional<EnvironmentEntry> find(String service, String env) {
    return Optional.ofNullable(services)
        .map(s -> s.get(service))
        .map(ServiceEntry::environments)
        .map(e -> e.get(env));
  }

  @Override
  public void validate(Validator at) {
    if (at.required("services", services) && at.notEmpty("services", services)) {
      at.eachNamed("services", "service", services);
    }
  }
}
