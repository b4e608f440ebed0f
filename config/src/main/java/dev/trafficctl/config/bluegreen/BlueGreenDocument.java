package dev.trafficctl.config.bluegreen;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The spec's {@code traffic/blue-green.yaml}: {@code blue_green: <service>: ...}. */
public record BlueGreenDocument(Map<String, BlueGreenSpec> blueGreen) implements Validatable {

  public BlueGreenDocument {
    blueGreen =
        blueGreen == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(blueGreen));
  }

  @Override
  public void validate(Validator at) {
    if (at.required("blue_green", blueGreen) && at.notEmpty("blue_green", blueGreen)) {
      at.eachNamed("blue_green", "service", blueGreen);
    }
  }
}
