package dev.trafficctl.workflows.canary;

import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.ports.RouteState;

/**
 * The version a canary falls back to: the one serving most of the traffic now, other than the
 * candidate; before the router was ever set, the catalog's first other version.
 */
final class StableVersion {

  private StableVersion() {}

  /** Fails the input when the candidate already serves everything or is the only version. */
  static String of(CanaryInput input, RouteState routes) {
    String candidate = input.version();
    String where = input.service() + " in " + input.env();
    if (routes.weightOf(candidate) == 100) {
      throw WorkflowFailures.invalidInput(candidate + " already serves 100% of " + where);
    }
    return routes
        .dominantExcept(candidate)
        .or(
            () ->
                input.target().versions().keySet().stream()
                    .filter(v -> !v.equals(candidate))
                    .findFirst())
        .orElseThrow(
            () ->
                WorkflowFailures.invalidInput(
                    "no stable version: the catalog lists only " + candidate + " for " + where));
  }
}
