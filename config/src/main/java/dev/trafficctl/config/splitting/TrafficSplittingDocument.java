package dev.trafficctl.config.splitting;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The spec's {@code traffic/splitting.yaml}: {@code traffic_splitting: <service>: ...}. */
public record TrafficSplittingDocument(Map<String, TrafficSplitSpec> trafficSplitting)
    implements Validatable {

  public TrafficSplittingDocument {
    trafficSplitting =
        trafficSplitting == null
            ? null
            : Collections.unmodifiableMap(new LinkedHashMap<>(trafficSplitting));
  }

  @Override
  public void validate(Validator at) {
    if (at.required("traffic_splitting", trafficSplitting)
        && at.notEmpty("traffic_splitting", trafficSplitting)) {
      at.eachNamed("traffic_splitting", "service", trafficSplitting);
    }
  }
}
