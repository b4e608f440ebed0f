package dev.trafficctl.cli.rollout;

import dev.trafficctl.workflows.status.RolloutStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The version weights a service's last run left on the router, as that run recorded them, and the
 * strategy that set them. The CLI does not read the router (only the worker reaches it); this is
 * what trafficctl itself last put there, which is enough to refuse a start that cannot work before
 * anything is started. The workflow still reads the router and decides.
 *
 * @param weights version to percent
 * @param strategy the strategy of the run that set them ({@code canary}, {@code split}, ...)
 */
public record WeightsOnRecord(Map<String, Integer> weights, String strategy) {

  public WeightsOnRecord {
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }

  /**
   * The weights a rollout that ended left: its stable version at 100 minus its weight, its
   * candidate at its weight. Empty when the status does not say where traffic is: none, a rollout
   * not ended (still running, or failed or terminated midway), or no stable version.
   */
  public static Optional<WeightsOnRecord> of(RolloutStatus status) {
    if (status == null
        || status.phase() == null
        || !status.phase().terminal()
        || status.stableVersion() == null) {
      return Optional.empty();
    }
    Map<String, Integer> weights = new LinkedHashMap<>();
    String candidate = status.candidateVersion();
    if (candidate == null || candidate.equals(status.stableVersion())) {
      weights.put(status.stableVersion(), 100);
    } else {
      weights.put(status.stableVersion(), 100 - status.weight());
      weights.put(candidate, status.weight());
    }
    return Optional.of(new WeightsOnRecord(weights, status.strategy()));
  }
}
