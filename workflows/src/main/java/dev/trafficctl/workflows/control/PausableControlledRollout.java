package dev.trafficctl.workflows.control;

import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import org.slf4j.Logger;

/**
 * The base of a workflow implementation a person can also pause and resume. Pausing stops the
 * rollout's clock (the main loop sees {@link RolloutControl#paused()}) and shows it Paused;
 * resuming lets it go on. A strategy that holds more (a step's clock) adds to both.
 */
public abstract class PausableControlledRollout extends ControlledRollout
    implements PausableRollout {
  protected PausableControlledRollout(String what, Logger log) {
    super(what, log);
  }

  @Override
  public void validatePause(ControlRequest request) {
    control.validatePause();
  }

  @Override
  public RolloutStatus pause(ControlRequest request) {
    control.record("pause", request);
    paused(request);
    return status();
  }

  /**
   * Pauses for trafficctl's own {@code reason} (what a check found), as a person's pause does. The
   * finding is the action on record, so a pause is not recorded beside it.
   */
  protected void pauseFor(String reason) {
    paused(new ControlRequest(RolloutControl.TRAFFICCTL, reason));
  }

  private void paused(ControlRequest request) {
    control.paused(true);
    control.moveTo(Phase.PAUSED, "paused " + RolloutControl.byWhom(request));
    control.changed();
  }

  @Override
  public void validateResume(ControlRequest request) {
    control.validateResume();
  }

  @Override
  public RolloutStatus resume(ControlRequest request) {
    control.record("resume", request);
    control.paused(false);
    control.moveTo(Phase.PROGRESSING, "resumed " + RolloutControl.byWhom(request));
    control.notifyResumed();
    control.changed();
    return status();
  }
}
