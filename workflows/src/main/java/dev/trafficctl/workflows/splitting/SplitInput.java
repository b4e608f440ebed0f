package dev.trafficctl.workflows.splitting;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The input of {@code TrafficSplitWorkflow}.
 *
 * @param weights version (as in the catalog) to percent; they add up to 100
 * @param reason why, for the router's audit trail; optional
 */
public record SplitInput(
    String service,
    String env,
    EnvironmentEntry target,
    Map<String, Integer> weights,
    String requestedBy,
    String reason)
    implements Validatable {

  public SplitInput {
    weights = weights == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }

  @Override
  public void validate(Validator at) {
    if (at.required("service", service)) {
      at.nameField("service", service, "service");
    }
    if (at.required("env", env)) {
      at.nameField("env", env, "environment");
    }
    if (at.required("target", target)) {
      at.nested("target", target);
    }
    if (at.required("weights", weights) && at.notEmpty("weights", weights)) {
      boolean complete = true;
      for (Map.Entry<String, Integer> w : weights.entrySet()) {
        complete &= at.at("weights").percentage(w.getKey(), w.getValue());
        if (target != null && target.versions() != null) {
          at.at("weights")
              .check(
                  target.versions().containsKey(w.getKey()),
                  w.getKey(),
                  "is not a version of "
                      + service
                      + " in "
                      + env
                      + " (catalog has: "
                      + String.join(", ", target.versions().keySet())
                      + ")");
        }
      }
      if (complete) {
        at.sumsTo100("weights", weights);
      }
    }
  }
}
