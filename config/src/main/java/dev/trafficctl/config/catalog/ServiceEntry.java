package dev.trafficctl.config.catalog;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code services.<service>:} a service and its environments. */
public record ServiceEntry(Map<String, EnvironmentEntry> environments) implements Validatable {

  public ServiceEntry {
    environments =
        environments == null
            ? null
            : Collections.unmodifiableMap(new LinkedHashMap<>(environments));
  }

  @Override
  public void validate(Validator at) {
    if (at.required("environments", environments) && at.notEmpty("environments", environments)) {
      at.eachNamed("environments", "environment", environments);
    }
  }
}
