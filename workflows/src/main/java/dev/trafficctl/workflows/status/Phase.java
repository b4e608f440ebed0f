package dev.trafficctl.workflows.status;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a rollout stands. The last four are terminal. */
public enum Phase {
  PROGRESSING("Progressing"),
  PAUSED("Paused"),
  /** Moving traffic back to the stable version. */
  ROLLING_BACK("RollingBack"),
  /** The candidate serves 100% and is the stable version now. */
  PROMOTED("Promoted"),
  /** An analysis (or a failed step) sent all traffic back to the stable version. */
  ROLLED_BACK("RolledBack"),
  /** A person (or the progress deadline) stopped it; traffic is on the stable version. */
  ABORTED("Aborted"),
  /**
   * The workflow itself failed (its input was refused, or it was terminated or timed out from
   * outside). No workflow sets it: readers take it from how the workflow closed, since the last
   * status it saved still says where it was before.
   */
  FAILED("Failed");

  private final String display;

  Phase(String display) {
    this.display = display;
  }

  @JsonValue
  public String display() {
    return display;
  }

  public boolean terminal() {
    return this == PROMOTED || this == ROLLED_BACK || this == ABORTED || this == FAILED;
  }
}
