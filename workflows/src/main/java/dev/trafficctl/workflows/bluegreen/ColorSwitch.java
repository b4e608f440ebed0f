package dev.trafficctl.workflows.bluegreen;

import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.control.RolloutControl;
import dev.trafficctl.workflows.control.SafeRollback;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.TrafficRouter;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.Verdict;
import io.temporal.workflow.Workflow;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Moves a blue-green rollout's traffic between its two colors on the router, and ends the rollout
 * on the previous color when it fails or a person stops it. Every change of weights goes through
 * here, so the status's weight is always the one in force.
 */
final class ColorSwitch {

  private static final Logger log = Workflow.getLogger(ColorSwitch.class);

  private final TrafficRouter router = ActivityStubs.router();
  private final RouteTarget target;
  private final BlueGreenOptions options;
  private final BlueGreenState state;
  private final RolloutControl control;
  private final ColorWatch watch;

  ColorSwitch(
      BlueGreenInput input, BlueGreenState state, RolloutControl control, ColorWatch watch) {
    this.target = input.routeTarget();
    this.options = input.options();
    this.state = state;
    this.control = control;
    this.watch = watch;
  }

  /** What the router has in force now. */
  RouteState inForce() {
    return control.inForce(router.read(target));
  }

  /** Back to the previous color in the gradual steps, each judged; always ends the rollout. */
  void backGradually(String who) {
    String previous = state.previous;
    for (int share : options.gradualSteps()) {
      if (share == 100 || 100 - share >= state.weight) {
        continue;
      }
      setWeight(100 - share, "gradual switch back to " + previous + ": " + share + "%");
      control.moveTo(Phase.ROLLING_BACK, "gradual switch back: " + previous + " at " + share + "%");
      // Updates are refused while rolling back, so nothing interrupts this judgement.
      Optional<AnalysisReport> judged =
          watch.judge(previous, options.stepDuration(), options.stepDuration());
      if (judged.isPresent() && judged.get().verdict() == Verdict.FAIL) {
        log.warn("{} is failing too while switching back: {}", previous, judged.get().detail());
      }
    }
    back(Phase.ROLLED_BACK, "switched to " + previous + " gradually " + who);
  }

  /** Ends the rollout with all traffic on the previous color, moving it there when needed. */
  void back(Phase terminal, String reason) {
    boolean moved = state.weight > 0;
    SafeRollback.Outcome back = SafeRollback.Outcome.DONE;
    if (moved) {
      control.moveTo(Phase.ROLLING_BACK, reason);
      back =
          SafeRollback.apply(
              control,
              router,
              control
                  .change(target, "back to " + state.previous + ": " + reason)
                  .withWeights(state.weights(0)),
              state.next);
      if (back.inForce()) {
        state.weight = 0;
        if (back.refused() == null) {
          // Published as every confirmed change of the weights is (histories have it).
          control.publish();
        }
      }
    }
    state.nextWeight = null;
    state.stageEndsAt = null;
    control.moveTo(
        terminal,
        reason + "; " + back.describe(state.previous) + (moved ? "" : ", traffic never moved"));
    control.notifyStopped(terminal);
  }

  void setWeight(int percent, String reason) {
    router.change(control.change(target, reason).withWeights(state.weights(percent)));
    state.weight = percent;
    control.publish();
  }
}
