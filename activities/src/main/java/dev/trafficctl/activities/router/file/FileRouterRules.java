package dev.trafficctl.activities.router.file;

import dev.trafficctl.workflows.ports.RoutingRules;
import java.util.List;

/**
 * The routing rules as the file router's state file and audit log write them: the port's {@link
 * RoutingRules} field for field, kept here so the files' format is this package's to keep stable.
 *
 * @param matches exact routing by a request header, in the order they apply
 * @param stickyCookie the affinity cookie's name, absent for none
 * @param featureFlag the flag passed to the upstream, absent for none
 */
public record FileRouterRules(
    List<RoutingRules.MatchRule> matches,
    String stickyCookie,
    RoutingRules.FeatureFlag featureFlag) {

  public FileRouterRules {
    matches = matches == null ? List.of() : List.copyOf(matches);
  }

  /** Null for no rules, so a state file of weights alone keeps its old shape. */
  static FileRouterRules of(RoutingRules rules) {
    if (rules == null
        || (rules.matches().isEmpty()
            && rules.stickyCookie() == null
            && rules.featureFlag() == null)) {
      return null;
    }
    return new FileRouterRules(rules.matches(), rules.stickyCookie(), rules.featureFlag());
  }

  static RoutingRules toRules(FileRouterRules rules) {
    return rules == null
        ? RoutingRules.NONE
        : new RoutingRules(rules.matches(), rules.stickyCookie(), rules.featureFlag());
  }
}
