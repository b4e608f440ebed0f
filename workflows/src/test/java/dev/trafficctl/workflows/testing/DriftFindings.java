package dev.trafficctl.workflows.testing;

import dev.trafficctl.workflows.control.DriftCheck;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.util.List;

/** What a rollout's drift checks found, as its status records them ({@link DriftCheck#ACTION}). */
public final class DriftFindings {

  private DriftFindings() {}

  /** The reasons of the recorded {@code weights-drift} actions, first to last. */
  public static List<String> of(RolloutStatus status) {
    return status.actions().stream()
        .filter(a -> a.action().equals(DriftCheck.ACTION))
        .map(ActionRecord::reason)
        .toList();
  }
}
