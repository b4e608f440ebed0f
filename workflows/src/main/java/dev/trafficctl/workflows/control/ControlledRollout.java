package dev.trafficctl.workflows.control;

import dev.trafficctl.workflows.status.RolloutStatus;
import org.slf4j.Logger;

/**
 * The base of a workflow implementation that a person can abort: it holds the {@link
 * RolloutControl} and answers abort as every rollout does (the main loop then puts traffic back). A
 * strategy adds its own steps, requests and status.
 */
public abstract class ControlledRollout implements AbortableRollout {

  protected final RolloutControl control;

  /**
   * @param what the rollout as messages name it: {@code the canary}
   * @param log the implementation's logger, which logs each change of phase
   */
  protected ControlledRollout(String what, Logger log) {
    this.control = new RolloutControl(what, log, this::status, this::ending);
  }

  /**
   * Whether the strategy is acting on a request that ends it (a rollback an analysis decided, a
   * conclusion): control requests are refused meanwhile, as after an abort. None by default.
   */
  protected boolean ending() {
    return false;
  }

  @Override
  public void validateAbort(ControlRequest request) {
    control.validateAbort(request);
  }

  @Override
  public RolloutStatus abort(ControlRequest request) {
    control.abort(request);
    return status();
  }
}
