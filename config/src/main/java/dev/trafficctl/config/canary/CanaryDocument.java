package dev.trafficctl.config.canary;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The spec's {@code traffic/canary.yaml}: {@code canary: <service>: ...}. */
public record CanaryDocument(Map<String, CanarySpec> canary) implements Validatable {

  public CanaryDocument {
    canary = canary == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(canary));
  }

  @Override
  public void validate(Validator at) {
    if (at.required("canary", canary) && at.notEmpty("canary", canary)) {
      at.eachNamed("canary", "service", canary);
    }
  }
}
