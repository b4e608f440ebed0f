package dev.trafficctl.workflows.bluegreen;

import dev.trafficctl.workflows.WorkflowIds;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Whether the colors own a service's traffic, so that a blue-green rollout can start on it. The
 * router's version weights are one layer: a canary, a split, a migration or an A/B test leaves its
 * versions' weights there ({@code v1=0, v2=100}), and a blue-green change would replace them with
 * the colors', silently moving whatever those versions serve. So a blue-green rollout starts only
 * when no version other than {@code blue} and {@code green} has traffic; both the CLI (from what
 * the service's last run recorded) and the workflow (from the router) refuse with the same line.
 */
public final class ColorOwnership {

  private ColorOwnership() {}

  /**
   * Why a blue-green rollout of {@code service} in {@code env} cannot start on {@code weights};
   * empty when no version but the colors has traffic (or nothing is in force).
   *
   * @param weights the version weights in force (or on record)
   * @param setBy the strategy that set them ({@code canary}), when known; else null
   */
  public static Optional<String> refusal(
      String service, String env, Map<String, Integer> weights, String setBy) {
    boolean foreign =
        weights.entrySet().stream().anyMatch(w -> !Colors.isColor(w.getKey()) && w.getValue() > 0);
    if (!foreign) {
      return Optional.empty();
    }
    return Optional.of(
        WorkflowIds.rollout(env, service)
            + ": the router holds version weights "
            + new TreeMap<>(weights)
            + (setBy == null ? "" : " from the last " + setBy)
            + ", not blue and green; move all traffic to one color first: trafficctl traffic"
            + " split "
            + service
            + " --env "
            + env
            + " --blue=100 (or --green=100; blue and green must be versions in the catalog)");
  }
}
