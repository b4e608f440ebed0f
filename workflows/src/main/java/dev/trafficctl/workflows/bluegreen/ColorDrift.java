package dev.trafficctl.workflows.bluegreen;

import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.control.DriftCheck;
import dev.trafficctl.workflows.control.RolloutControl;
import dev.trafficctl.workflows.status.Phase;
import io.temporal.workflow.Workflow;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Before each check of a color with traffic, the weights in force must be the rollout's own ({@link
 * DriftCheck}). When they are not, the rollout puts its weights back; with {@code
 * rollback.on_drift: pause} it first waits for a person, as after a breach when rolling back is
 * manual: promote puts its weights back and goes on, rollback, a switch or abort end it. While
 * rolling back it puts them back at once, since nothing may hold a rollback. Workflow code.
 */
final class ColorDrift {

  private final DriftCheck check;
  private final BlueGreenState state;
  private final RolloutControl control;
  private final BooleanSupplier interrupted;
  private final Consumer<String> restore;

  /**
   * @param interrupted whether a person's request came in, which ends a wait for a decision
   * @param restore sets the rollout's weights again, with the change's reason
   */
  ColorDrift(
      BlueGreenInput input,
      BlueGreenState state,
      RolloutControl control,
      BooleanSupplier interrupted,
      Consumer<String> restore) {
    this.check = new DriftCheck(control, input.routeTarget());
    this.state = state;
    this.control = control;
    this.interrupted = interrupted;
    this.restore = restore;
  }

  /**
   * Makes sure the rollout's weights are in force. False when a person's request came in while
   * waiting for a decision: the rollout acts on it, and the weights stay as found.
   */
  boolean settle() {
    DriftCheck.Finding found = check.check(state.weights(state.weight));
    if (found.response() == DriftCheck.Response.NONE) {
      return true;
    }
    if (found.response() == DriftCheck.Response.PAUSE) {
      if (control.phase() != Phase.ROLLING_BACK && !awaitDecision(found.drift())) {
        return false;
      }
      check.decided();
    }
    restore.accept(DriftCheck.restoring(found.drift()));
    return true;
  }

  /** Paused until a person promotes (true) or makes another request (false). */
  private boolean awaitDecision(String drift) {
    Phase phase = control.phase();
    String message = control.message();
    state.awaitingDecision = true;
    control.moveTo(
        Phase.PAUSED,
        drift
            + "; rollback.on_drift is pause: promote to put the rollout's weights back and go on,"
            + " or rollback");
    control.notify(NotificationEvent.PAUSED);
    int seen = state.promotions;
    Workflow.await(() -> state.promotions != seen || interrupted.getAsBoolean());
    state.awaitingDecision = false;
    if (interrupted.getAsBoolean()) {
      return false;
    }
    control.moveTo(phase, message);
    return true;
  }
}
