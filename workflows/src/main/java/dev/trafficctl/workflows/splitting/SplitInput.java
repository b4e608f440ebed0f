package dev.trafficctl.workflows.splitting;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.workflows.ports.RoutingRules;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The input of {@code TrafficSplitWorkflow}.
 *
 * @param weights version (as in the catalog) to percent; they add up to 100. Empty with rules: keep
 *     the weights in force and change the rules only
 * @param reason why, for the router's audit trail; optional
 * @param rules header and region matches, sticky sessions, feature flag; none by default
 */
public record SplitInput(
    String service,
    String env,
    EnvironmentEntry target,
    Map<String, Integer> weights,
    String requestedBy,
    String reason,
    RoutingRules rules)
    implements Validatable {

  public SplitInput {
    weights = weights == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    rules = rules == null ? RoutingRules.NONE : rules;
  }

  /** Weights alone. */
  public SplitInput(
      String service,
      String env,
      EnvironmentEntry target,
      Map<String, Integer> weights,
      String requestedBy,
      String reason) {
    this(service, env, target, weights, requestedBy, reason, RoutingRules.NONE);
  }

  @Override
  public void validate(Validator at) {
    at.requiredName("service", service, "service");
    at.requiredName("env", env, "environment");
    if (at.required("target", target)) {
      at.nested("target", target);
    }
    if (target != null && target.versions() != null) {
      for (int i = 0; i < rules.matches().size(); i++) {
        RoutingRules.MatchRule rule = rules.matches().get(i);
        at.at("rules").at("matches").index(i).header("header", rule.header());
        for (String pool : rule.pools()) {
          at.at("rules")
              .at("matches")
              .index(i)
              .check(
                  target.versions().containsKey(pool),
                  "pools",
                  "\"" + pool + "\" is not a version of " + service + " in " + env);
        }
      }
    }
    if (rules.featureFlag() != null) {
      at.at("rules")
          .at("feature_flag")
          .percentage("enabled_percent", rules.featureFlag().enabledPercent());
    }
    boolean keepWeights = weights != null && weights.isEmpty() && !rules.isNone();
    if (!keepWeights && at.required("weights", weights) && at.notEmpty("weights", weights)) {
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
