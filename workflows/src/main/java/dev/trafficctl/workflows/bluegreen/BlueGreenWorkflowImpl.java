package dev.trafficctl.workflows.bluegreen;

import dev.trafficctl.config.bluegreen.BlueGreenSpec;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.control.ControlledRollout;
import dev.trafficctl.workflows.control.RolloutControl;
import dev.trafficctl.workflows.control.SwitchRequest;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * The blue-green state machine: six {@link Stage}s, each a step of the shared status model. Any
 * stage can be cut short by an update (switch-to-blue, rollback, switch, abort); the update
 * handlers only record the request and the main loop acts on it, so every router change happens in
 * one place, in order.
 *
 * <p>Which color is live is read back from the router, not remembered: after a rollout the router
 * holds the new color at 100%, so the next deploy targets the other one.
 */
public class BlueGreenWorkflowImpl extends ControlledRollout implements BlueGreenWorkflow {

  private static final Logger log = Workflow.getLogger(BlueGreenWorkflowImpl.class);

  private final BlueGreenState state = new BlueGreenState();
  private BlueGreenStages stages;
  private ColorSwitch colors;

  private BlueGreenInput input;
  private BlueGreenSpec spec;
  private BlueGreenOptions options;

  /** A request that cuts the current stage short; an abort is the control's. */
  private enum Interrupt {
    SWITCH_TO_BLUE,
    ROLLBACK,
    SWITCH
  }

  // Requests the main loop acts on.
  private Interrupt interrupt;
  private ControlRequest interruptBy;
  private SwitchRequest switchRequest;

  public BlueGreenWorkflowImpl() {
    super("the blue-green rollout", log);
  }

  @Override
  protected boolean ending() {
    return interrupt != null;
  }

  @Override
  public BlueGreenResult run(BlueGreenInput input) {
    this.input = input;
    WorkflowFailures.validate(input);
    spec = input.blueGreen();
    options = input.options();
    state.gradual = options.gradual();
    ColorDrift drift =
        new ColorDrift(
            input, state, control, this::interrupted, why -> colors.setWeight(state.weight, why));
    ColorWatch watch = new ColorWatch(input, control, this::interrupted, drift);
    colors = new ColorSwitch(input, state, control, watch);
    stages = new BlueGreenStages(input, state, control, watch, colors, this::interrupted);
    control.notifyOn(spec.notification(), input.target().notifications());
    placeColors(colors.inForce());
    control.begin(
        input, null, state, () -> options.version() != null ? options.version() : state.next);
    control.publish();
    control.notify(NotificationEvent.STARTED);
    try {
      runStages();
    } catch (CanceledFailure failure) {
      // Cancelled from outside: traffic goes back to the previous color even so, then the
      // cancellation completes the workflow.
      Workflow.newDetachedCancellationScope(
              () -> {
                colors.back(Phase.ABORTED, "cancelled");
                control.deliverNotifications();
              })
          .run();
      throw failure;
    } catch (ActivityFailure failure) {
      // A router change or a check failed for good: the safe state is the previous color. If
      // that change fails too, the workflow fails with its state readable.
      String why = WorkflowFailures.rootMessage(failure);
      stages.finishStage("failed", why);
      colors.back(
          state.weight > 0 ? Phase.ROLLED_BACK : Phase.ABORTED,
          stages.stageName() + " failed: " + why);
    }
    control.deliverNotifications();
    return new BlueGreenResult(status());
  }

  /**
   * The live color from the router; before any rollout, from the document's weights. Refuses to
   * start when versions other than the colors have traffic ({@link ColorOwnership}).
   */
  private void placeColors(RouteState routes) {
    Map<String, Integer> weights = routes.weights();
    String where = input.service() + " in " + input.env();
    // Another strategy's versions have traffic: switching colors would silently take it from them.
    Optional<String> refusal = ColorOwnership.refusal(input.service(), input.env(), weights, null);
    if (refusal.isPresent()) {
      throw WorkflowFailures.refused(refusal.get());
    }
    int blue =
        weights.isEmpty() ? spec.environments().blue().weight() : routes.weightOf(Colors.BLUE);
    int green =
        weights.isEmpty() ? spec.environments().green().weight() : routes.weightOf(Colors.GREEN);
    state.previous = blue >= green ? Colors.BLUE : Colors.GREEN;
    state.next = options.switchTo() != null ? options.switchTo() : Colors.other(state.previous);
    if (state.next.equals(state.previous)) {
      throw WorkflowFailures.invalidInput(
          state.next + " already serves " + Math.max(blue, green) + "% of " + where);
    }
    state.weight = state.next.equals(Colors.BLUE) ? blue : green;
  }

  private void runStages() {
    Stage s = Stage.READINESS;
    while (s != null && !control.phase().terminal()) {
      switch (stages.run(s)) {
        case NEXT -> s = s == Stage.CLEANUP ? null : Stage.numbered(s.number() + 1);
        case INTERRUPTED -> s = applyInterrupt();
        case ENDED -> s = null;
      }
    }
  }

  /**
   * Acts on the pending interrupt. Returns the stage to go on with, or null when the rollout ended.
   */
  private Stage applyInterrupt() {
    if (control.abortRequested()) {
      stages.finishStage("aborted", RolloutControl.byWhom(control.abortRequest()));
      colors.back(Phase.ABORTED, control.abortedBy());
      return null;
    }
    Interrupt what = interrupt;
    SwitchRequest request = switchRequest;
    String who = RolloutControl.byWhom(interruptBy);
    interrupt = null;
    switchRequest = null;
    String next = state.next;
    boolean toNext =
        what == Interrupt.SWITCH
            ? request.to().equals(next)
            : what == Interrupt.SWITCH_TO_BLUE && Colors.BLUE.equals(next);
    if (toNext) {
      // Straight to the switch: the remaining checks are skipped, the switch is watched as any.
      String action = what == Interrupt.SWITCH ? "switch to " + next : "switch-to-blue";
      stages.finishStage("skipped", action + " " + who);
      state.gradual = what == Interrupt.SWITCH && request.gradual();
      return Stage.SWITCH;
    }
    switch (what) {
      case SWITCH_TO_BLUE -> {
        stages.finishStage("stopped", "switch-to-blue " + who);
        colors.back(Phase.ROLLED_BACK, "switched to blue " + who);
      }
      case ROLLBACK -> {
        stages.finishStage("stopped", "rollback " + who);
        colors.back(Phase.ROLLED_BACK, "rolled back " + who);
      }
      case SWITCH -> {
        stages.finishStage("stopped", "switch to " + state.previous + " " + who);
        if (request.gradual() && state.weight > 0) {
          colors.backGradually(who);
        } else {
          colors.back(Phase.ROLLED_BACK, "switched to " + state.previous + " " + who);
        }
      }
    }
    return null;
  }

  // ---- state ----------------------------------------------------------------------------------

  private boolean interrupted() {
    return interrupt != null || control.abortRequested();
  }

  // ---- updates --------------------------------------------------------------------------------

  @Override
  public void validatePromote(ControlRequest request) {
    control.rejectUnlessRunning();
    if (!state.awaitingPromotion && !state.awaitingDecision) {
      throw RolloutControl.rejected(
          "not waiting for promotion ("
              + (state.stage == null ? "starting" : stages.stageName())
              + "): "
              + control.message());
    }
  }

  @Override
  public RolloutStatus promote(ControlRequest request) {
    control.record("promote", request);
    state.promotions++;
    return status();
  }

  @Override
  public void validateSwitchToBlue(ControlRequest request) {
    control.rejectUnlessRunning();
    // Blue live and serving everything: switch-to-blue still ends the rollout there.
    if (Colors.BLUE.equals(state.next) && switching()) {
      throw RolloutControl.rejected("already switching to blue: " + control.message());
    }
  }

  @Override
  public RolloutStatus switchToBlue(ControlRequest request) {
    return interrupt(Interrupt.SWITCH_TO_BLUE, "switch-to-blue", request);
  }

  @Override
  public void validateRollback(ControlRequest request) {
    control.rejectUnlessRunning();
  }

  @Override
  public RolloutStatus rollback(ControlRequest request) {
    return interrupt(Interrupt.ROLLBACK, "rollback", request);
  }

  @Override
  public void validateSwitchColors(SwitchRequest request) {
    control.rejectUnlessRunning();
    if (!Colors.isColor(request.from()) || !Colors.isColor(request.to())) {
      throw RolloutControl.rejected("--from and --to must be blue or green");
    }
    if (request.from().equals(request.to())) {
      throw RolloutControl.rejected("--from and --to are both " + request.to());
    }
    int fromWeight = request.from().equals(state.next) ? state.weight : 100 - state.weight;
    if (fromWeight == 0) {
      throw RolloutControl.rejected(
          request.from() + " serves nothing now; " + request.to() + " serves 100%");
    }
    if (request.to().equals(state.next) && switching()) {
      throw RolloutControl.rejected(
          "already switching to " + state.next + ": " + control.message());
    }
  }

  @Override
  public RolloutStatus switchColors(SwitchRequest request) {
    switchRequest = request;
    return interrupt(
        Interrupt.SWITCH,
        "switch "
            + request.from()
            + " -> "
            + request.to()
            + (request.gradual() ? " --gradual" : ""),
        new ControlRequest(request.by(), request.reason()));
  }

  /** Aborts as every rollout does, and says so in the memo at once, as the other requests do. */
  @Override
  public RolloutStatus abort(ControlRequest request) {
    super.abort(request);
    control.publishMemo();
    return status();
  }

  private RolloutStatus interrupt(Interrupt what, String action, ControlRequest request) {
    control.record(action, request);
    interrupt = what;
    interruptBy = request;
    control.say(
        action + " requested by " + RolloutControl.who(request.by()) + "; " + control.message());
    control.publishMemo();
    return status();
  }

  /** Traffic is moving to the next color already (the switch, or later). */
  private boolean switching() {
    return state.stage != null && state.stage.compareTo(Stage.SWITCH) >= 0;
  }

  // ---- status ---------------------------------------------------------------------------------

  @Override
  public RolloutStatus status() {
    boolean timed = state.stageEndsAt != null && !control.phase().terminal();
    long left = timed ? Math.max(0, state.stageEndsAt - now()) : 0;
    return control
        .status()
        .stableVersion(state.previous)
        .candidateVersion(state.next)
        .step(state.stage == null ? 0 : state.stage.number())
        .totalSteps(Stage.values().length)
        .weight(state.weight)
        .nextWeight(state.nextWeight)
        .stepRemaining(timed ? Duration.ofMillis(left) : null)
        .stepEndsAt(timed ? Instant.ofEpochMilli(state.stageEndsAt) : null)
        .build();
  }

  private static long now() {
    return Workflow.currentTimeMillis();
  }
}
