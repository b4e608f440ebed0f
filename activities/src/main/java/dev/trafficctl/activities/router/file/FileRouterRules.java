package dev.trafficctl.activities.router.file;

import dev.trafficctl.workflows.ports.RoutingRules;
import java.util.List;
import java.util.Map;

/**
 * The routing rules as the file router's state file and audit log write them: the port's {@link
 * RoutingRules} field for field, kept here so the files' format is this package's to keep stable.
 *
 * @param matches exact routing by a request header, in the order they apply
 * @param stickyCookie the affinity cookie's name, absent for none
 * @param featureFlag the flag passed to the upstream, absent for none
 * @param segments which requests the weights apply to, absent for all
 * @param versionHeaders request headers sent upstream per version, absent for none
 */
public record FileRouterRules(
    List<RoutingRules.MatchRule> matches,
    String stickyCookie,
    RoutingRules.FeatureFlag featureFlag,
    RoutingRules.Segments segments,
    Map<String, Map<String, String>> versionHeaders) {

  public FileRouterRules {
    matches = matches == null ? List.of() : List.copyOf(matches);
  }

  /** Null for no rules, so a state file of weights alone keeps its old shape. */
  static FileRouterRules of(RoutingRules rules) {
    if (rules == null || rules.isNone()) {
      return null;
    }
    return new FileRouterRules(
        rules.matches(),
        rules.stickyCookie(),
        rules.featureFlag(),
        rules.segments(),
        rules.versionHeaders().isEmpty() ? null : rules.versionHeaders());
  }

  static RoutingRules toRules(FileRouterRules rules) {
    return rules == null
        ? RoutingRules.NONE
        : new RoutingRules(
            rules.matches(),
            rules.stickyCookie(),
            rules.featureFlag(),
            rules.segments(),
            rules.versionHeaders());
  }
}
