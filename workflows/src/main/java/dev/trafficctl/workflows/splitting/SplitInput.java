package dev.trafficctl.workflows.splitting;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.workflows.RolloutInput;
import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The input of {@code TrafficSplitWorkflow}.
 *
 * @param weights version (as in the catalog) to percent; they add up to 100. Empty with rules: keep
 *     the weights in force and change the rules only
 * @param reason why, for the router's audit trail; optional
 * @param rules header and region matches, sticky sessions, feature flag: they replace the rules in
 *     force ({@link RoutingRules#NONE} removes them); null, the default, leaves those in force
 * @param capacity capacity mode: keep the version weights and rules in force (weights empty) and
 *     adjust each server's weight inside its pool from its utilization; null for a plain split
 */
public record SplitInput(
    String service,
    String env,
    EnvironmentEntry target,
    Map<String, Integer> weights,
    String requestedBy,
    String reason,
    RoutingRules rules,
    CapacityPlan capacity)
    implements Validatable, RolloutInput {

  public SplitInput {
    weights =
        weights == null
            ? (capacity == null ? null : Map.of())
            : Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }

  /** Weights and rules, no capacity mode. */
  public SplitInput(
      String service,
      String env,
      EnvironmentEntry target,
      Map<String, Integer> weights,
      String requestedBy,
      String reason,
      RoutingRules rules) {
    this(service, env, target, weights, requestedBy, reason, rules, null);
  }

  /** Capacity mode: the weights and rules in force stay, the servers' weights are adjusted. */
  public static SplitInput capacity(
      String service,
      String env,
      EnvironmentEntry target,
      CapacityPlan capacity,
      String requestedBy,
      String reason) {
    return new SplitInput(service, env, target, Map.of(), requestedBy, reason, null, capacity);
  }

  /** Weights alone: the rules in force stay. */
  public SplitInput(
      String service,
      String env,
      EnvironmentEntry target,
      Map<String, Integer> weights,
      String requestedBy,
      String reason) {
    this(service, env, target, weights, requestedBy, reason, null);
  }

  @Override
  public String workflowType() {
    return TrafficSplitWorkflow.TYPE;
  }

  @Override
  public String strategy() {
    return "split";
  }

  /** The version given the most traffic (the first of a tie); {@code -} for none. */
  @Override
  public String version() {
    return heaviest(weights == null ? Map.of() : weights).orElse("-");
  }

  @Override
  public String summary() {
    return "split "
        + service
        + " ("
        + env
        + "): "
        + (capacity != null
            ? "server weights toward " + capacity.targetUtilization() + "% utilization"
            : weights.isEmpty()
                ? "routing rules; the weights in force stay"
                : SplitWeights.describe(weights));
  }

  @Override
  public RolloutStatus waitingStatus(Instant now) {
    return RolloutInput.waiting(this, now)
        .candidateVersion(version())
        .totalSteps(1)
        .nextWeight(weights == null ? 0 : weights.getOrDefault(version(), 0))
        .build();
  }

  /** The version with the highest weight, the first of a tie; empty for no weights. */
  public static Optional<String> heaviest(Map<String, Integer> weights) {
    String top = null;
    for (Map.Entry<String, Integer> w : weights.entrySet()) {
      if (top == null || w.getValue() > weights.get(top)) {
        top = w.getKey();
      }
    }
    return Optional.ofNullable(top);
  }

  @Override
  public void validate(Validator at) {
    validateWhere(at);
    if (rules != null && target != null && target.versions() != null) {
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
    if (rules != null && rules.featureFlag() != null) {
      at.at("rules")
          .at("feature_flag")
          .percentage("enabled_percent", rules.featureFlag().enabledPercent());
    }
    if (capacity != null) {
      at.nested("capacity", capacity);
      at.check(
          weights == null || weights.isEmpty(),
          "weights",
          "not with capacity: capacity mode keeps the weights in force");
      at.check(
          rules == null || rules.isNone(),
          "rules",
          "not with capacity: capacity mode keeps the rules in force");
      if (target != null) {
        at.check(
            target.metrics() != null,
            "capacity",
            "server utilization is measured, so the catalog entry needs a metrics source");
      }
      return;
    }
    boolean keepWeights = weights != null && weights.isEmpty() && rules != null;
    if (!keepWeights && at.required("weights", weights) && at.notEmpty("weights", weights)) {
      boolean complete = true;
      for (Map.Entry<String, Integer> w : weights.entrySet()) {
        complete &= at.at("weights").percentage(w.getKey(), w.getValue());
        if (target != null && target.versions() != null) {
          at.at("weights")
              .check(
                  target.versions().containsKey(w.getKey()),
                  w.getKey(),
                  target.notAVersionOf(service, env));
        }
      }
      if (complete) {
        at.sumsTo100("weights", weights);
      }
    }
  }
}
