package dev.trafficctl.workflows.canary;

import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;

/** How a canary ended: its final status (phase Promoted, RolledBack or Aborted). */
public record CanaryResult(RolloutStatus status) {

  public boolean promoted() {
    return status.phase() == Phase.PROMOTED;
  }
}
