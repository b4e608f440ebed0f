package dev.trafficctl.workflows.control;

import dev.trafficctl.config.catalog.NotificationTargets;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.config.notification.NotificationSpec;
import dev.trafficctl.workflows.HistoryBudget;
import dev.trafficctl.workflows.RolloutInput;
import dev.trafficctl.workflows.RolloutVisibility;
import dev.trafficctl.workflows.ports.LayerStamp;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.status.StepRecord;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;

/**
 * The plumbing every rollout shares, in one place: where it stands and since when (the phase
 * clock), who did what and why, the pending abort, whether a person paused it, the refusal of
 * control requests once it has ended or is ending, keeping the search attributes and memo current,
 * notifications, and continuing as new when its history has grown. A strategy's workflow holds one,
 * decides its own steps, and builds its status on {@link #status()}.
 *
 * <p>Update handlers only record a request and signal a change ({@link #changed()}); the workflow's
 * main loop, waiting in {@link #awaitChange}, acts on it, so every router change happens in one
 * place, in order. Workflow code only: it reads the workflow's clock.
 */
public final class RolloutControl {

  /** Who acted when nobody is named: a request without {@code by}. */
  public static final String UNKNOWN = "unknown";

  /** Who acts when the rollout decides by itself (an analysis, a deadline). */
  public static final String TRAFFICCTL = "trafficctl";

  private final String what;
  private final Logger log;
  private final Supplier<RolloutStatus> status;
  private final BooleanSupplier ending;

  private RolloutInput input;
  private Supplier<String> version = () -> null;
  private RolloutState state = new RolloutState();
  private RolloutEvents events = new RolloutEvents(null, null);
  private ControlRequest abortRequest;
  private int changes;

  /**
   * @param what the rollout as messages name it: {@code the canary}
   * @param log the workflow implementation's logger, which logs each change of phase
   * @param status the workflow's status, for the memo and notifications
   * @param ending whether the strategy is acting on a request that ends it (a rollback decided by
   *     an analysis, a conclusion): control requests are refused meanwhile, as after an abort
   */
  public RolloutControl(
      String what, Logger log, Supplier<RolloutStatus> status, BooleanSupplier ending) {
    this.what = what;
    this.log = log;
    this.status = status;
    this.ending = ending;
  }

  /**
   * Starts controlling {@code input}'s rollout with the state a previous run carried, or without
   * one with {@code fresh}; returns the state in use. {@code version} says what is rolled out, for
   * the search attributes.
   */
  public <S extends RolloutState> S begin(
      RolloutInput input, S carried, S fresh, Supplier<String> version) {
    S used = carried != null ? carried : fresh;
    this.input = input;
    this.state = used;
    this.version = version;
    if (used.phaseSince == null) {
      used.phaseSince = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    }
    return used;
  }

  /** Notifies the events {@code spec} asks for, to {@code targets}. */
  public void notifyOn(NotificationSpec spec, NotificationTargets targets) {
    this.events = new RolloutEvents(spec, targets);
  }

  // ---- where it stands ------------------------------------------------------------------------

  public Phase phase() {
    return state.phase;
  }

  public String message() {
    return state.message;
  }

  /** When the current phase began. */
  public Instant since() {
    return state.phaseSince;
  }

  /**
   * Moves to {@code next} because of {@code why}, logs it, and publishes the status. The phase
   * clock restarts only when the phase changes.
   */
  public void moveTo(Phase next, String why) {
    if (next != state.phase || state.phaseSince == null) {
      state.phaseSince = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    }
    state.phase = next;
    state.message = why;
    log.info("{} {}: {}", Workflow.getInfo().getWorkflowId(), next, why);
    publish();
  }

  /** A new message within the same phase; neither logged nor published. */
  public void say(String why) {
    state.message = why;
  }

  /** Whether the workflow has started and not ended, nor is ending. */
  private boolean running() {
    return input != null
        && !state.phase.terminal()
        && state.phase != Phase.ROLLING_BACK
        && abortRequest == null
        && !ending.getAsBoolean();
  }

  // ---- what people did ------------------------------------------------------------------------

  /** Records {@code action} by whoever {@code request} names. */
  public void record(String action, ControlRequest request) {
    record(action, request.by(), request.reason());
  }

  public void record(String action, String by, String reason) {
    state.actions.add(
        new ActionRecord(
            Instant.ofEpochMilli(Workflow.currentTimeMillis()), action, who(by), reason));
  }

  /**
   * Records {@code action} unless the last action recorded is the same, for the same reason: a
   * finding repeated at every analysis (while paused over a weekend, say) is recorded once, and the
   * status and memo stay bounded.
   */
  public void recordOnce(String action, String by, String reason) {
    ActionRecord last =
        state.actions.isEmpty() ? null : state.actions.get(state.actions.size() - 1);
    if (last == null || !last.action().equals(action) || !Objects.equals(last.reason(), reason)) {
      record(action, by, reason);
    }
  }

  /** Who acted last, or {@value #TRAFFICCTL} when nobody did. */
  public String lastActor() {
    return state.actions.isEmpty() ? TRAFFICCTL : state.actions.get(state.actions.size() - 1).by();
  }

  /** {@code by}, or {@value #UNKNOWN} when the request named nobody. */
  public static String who(String by) {
    return by == null || by.isBlank() ? UNKNOWN : by;
  }

  /** {@code by alice: "check dashboards"}: who asked and why, for messages and step notes. */
  public static String byWhom(ControlRequest request) {
    return "by " + who(request.by()) + quoted(request.reason());
  }

  /** {@code : "reason"}, or nothing without one. */
  public static String quoted(String reason) {
    return reason == null || reason.isBlank() ? "" : ": \"" + reason + "\"";
  }

  // ---- control requests -----------------------------------------------------------------------

  /** Refuses a control request unless the rollout is running, saying why. */
  public void rejectUnlessRunning() {
    if (input == null) {
      throw rejected(what + " is still starting; try again in a moment");
    }
    if (state.phase.terminal()) {
      throw rejected(what + " has ended (" + state.phase.display() + "): " + state.message);
    }
    if (state.phase == Phase.ROLLING_BACK) {
      throw rejected(what + " is rolling back: " + state.message);
    }
    if (!running()) {
      throw rejected(what + " is ending: " + state.message);
    }
  }

  public void validateAbort(ControlRequest request) {
    rejectUnlessRunning();
    request.requireReason("abort");
  }

  /**
   * Takes an abort: the main loop puts the traffic back and ends the rollout Aborted. Until then
   * the status says it is aborting.
   */
  public void abort(ControlRequest request) {
    record("abort", request);
    abortRequest = new ControlRequest(who(request.by()), request.reason());
    say("aborting: " + request.reason());
    changed();
  }

  public boolean abortRequested() {
    return abortRequest != null;
  }

  /** The pending abort, with who asked ({@value #UNKNOWN} when nobody was named); null if none. */
  public ControlRequest abortRequest() {
    return abortRequest;
  }

  /** {@code aborted by alice: "bad build"}. */
  public String abortedBy() {
    return "aborted " + byWhom(abortRequest);
  }

  /** An abort the rollout decides itself (a deadline passed): the same as a person's. */
  public void abortFor(String by, String reason) {
    abortRequest = new ControlRequest(by, reason);
  }

  public boolean paused() {
    return state.paused;
  }

  /** Paused for drift with no person's decision since ({@link DriftCheck}). */
  boolean pausedForDrift() {
    return state.pausedForDrift;
  }

  void pausedForDrift(boolean pausedForDrift) {
    state.pausedForDrift = pausedForDrift;
  }

  public void validatePause() {
    rejectUnlessRunning();
    if (state.paused) {
      throw rejected("already paused: " + state.message);
    }
  }

  public void validateResume() {
    rejectUnlessRunning();
    if (!state.paused) {
      throw rejected("not paused (" + state.phase.display() + ")");
    }
  }

  /** Stops or starts the rollout's clock; the caller moves the phase. */
  public void paused(boolean paused) {
    state.paused = paused;
  }

  /** A refusal of a control request, with the reason the caller is shown. */
  public static IllegalStateException rejected(String why) {
    return new IllegalStateException(why);
  }

  // ---- waiting for people ---------------------------------------------------------------------

  /** Tells the main loop that a control request changed something. */
  public void changed() {
    changes++;
  }

  /** A mark to wait from: {@link #awaitChange} returns once anything changed after it. */
  public int changes() {
    return changes;
  }

  /**
   * Waits until a control request changes something after {@code seen}, or {@code timeout} passes.
   * Returns whether something changed.
   */
  public boolean awaitChange(Duration timeout, int seen) {
    return Workflow.await(timeout, () -> changes != seen);
  }

  // ---- records --------------------------------------------------------------------------------

  public List<StepRecord> steps() {
    return state.steps;
  }

  /** Records a step that starts now. */
  public void startStep(int number, int weight, String note) {
    state.steps.add(
        StepRecord.started(
            number, weight, Instant.ofEpochMilli(Workflow.currentTimeMillis()), note));
  }

  /** Replaces the current step's record by what {@code change} makes of it; none: nothing. */
  public void updateStep(UnaryOperator<StepRecord> change) {
    if (!state.steps.isEmpty()) {
      int last = state.steps.size() - 1;
      state.steps.set(last, change.apply(state.steps.get(last)));
    }
  }

  public List<ActionRecord> actions() {
    return state.actions;
  }

  public AnalysisReport lastAnalysis() {
    return state.lastAnalysis;
  }

  public void lastAnalysis(AnalysisReport report) {
    state.lastAnalysis = report;
  }

  // ---- router changes -------------------------------------------------------------------------

  /**
   * A router change by this rollout, carrying no layer yet: owned by its workflow id, numbered
   * after every change it made before (across continue-as-new, too) and never below the workflow
   * clock's milliseconds, so that the service's next rollout outnumbers it as well.
   */
  /**
   * Takes note of what the router has in force, as read back, and returns it: this rollout's next
   * changes outnumber every layer's change in force, whoever made it (the service's previous
   * rollout, on a server clock that may since have stepped back), so that the router never refuses
   * them as older than what they replace.
   */
  public RouteState inForce(RouteState read) {
    for (LayerStamp stamp : read.layers().values()) {
      state.lastRouterChange = Math.max(state.lastRouterChange, stamp.change());
    }
    return read;
  }

  public RouteChange change(RouteTarget target, String reason) {
    long number = Math.max(state.lastRouterChange + 1, Workflow.currentTimeMillis());
    state.lastRouterChange = number;
    return RouteChange.by(target, Workflow.getInfo().getWorkflowId(), number, reason);
  }

  // ---- what people see ------------------------------------------------------------------------

  /**
   * The status every strategy starts from: identity, phase, message and its clock, the latest
   * analysis, the steps, the actions and the failed notifications, taken now.
   */
  public RolloutStatus.Builder status() {
    return RolloutStatus.builder()
        .workflowId(input == null ? null : input.workflowId())
        .service(input == null ? null : input.service())
        .env(input == null ? null : input.env())
        .strategy(input == null ? null : input.strategy())
        .phase(state.phase)
        .message(state.message)
        .phaseSince(state.phaseSince)
        .lastAnalysis(state.lastAnalysis)
        .steps(state.steps)
        .actions(state.actions)
        .updatedAt(Instant.ofEpochMilli(Workflow.currentTimeMillis()))
        .notificationFailures(state.notificationFailures);
  }

  /** The search attributes and the memo, from the status now. */
  public void publish() {
    if (input != null) {
      RolloutVisibility.publish(status.get(), version.get(), input.kind());
    }
  }

  /** The memo alone: for changes that move no search attribute (an analysis, an action). */
  public void publishMemo() {
    RolloutVisibility.publishMemo(status.get());
  }

  /** Notifies {@code event}, with the status now, when the rollout's document asks for it. */
  public void notify(NotificationEvent event) {
    events.send(event, status.get(), state);
  }

  /** The {@link Workflow#getVersion} change id of the {@code resumed} notification. */
  public static final String RESUMED_NOTIFICATION = "notify-resumed";

  /**
   * Notifies that a person resumed the rollout. Added after release 0.1.0: a rollout paused under
   * it that resumes under this build notifies, and a released history in which a resume notified
   * nothing still replays.
   */
  public void notifyResumed() {
    if (Workflow.getVersion(RESUMED_NOTIFICATION, Workflow.DEFAULT_VERSION, 1) == 1) {
      notify(NotificationEvent.RESUMED);
    }
  }

  /** Notifies that the rollout stopped {@code terminal}: aborted, else rolled back. */
  public void notifyStopped(Phase terminal) {
    notify(terminal == Phase.ABORTED ? NotificationEvent.ABORTED : NotificationEvent.ROLLED_BACK);
  }

  /** Waits for the notifications still on their way; see {@link RolloutEvents#deliver()}. */
  public void deliverNotifications() {
    events.deliver();
  }

  // ---- long runs ------------------------------------------------------------------------------

  /**
   * Continues as new with the input {@code next} builds when this run's history has grown past its
   * budget (or Temporal suggests it), or when {@code dueAnyway}: once the notifications on their
   * way are delivered and the update handlers have finished, so nothing they accepted is lost.
   * Returns, without continuing, when an abort or {@code otherRequest} (a promotion, a conclusion)
   * came in meanwhile: the caller acts on it first. Returns false when nothing was due.
   */
  public boolean continueAsNewWhenDue(
      boolean dueAnyway, BooleanSupplier otherRequest, Supplier<Object> next) {
    if (!dueAnyway && !HistoryBudget.spent()) {
      return false;
    }
    deliverNotifications();
    Workflow.await(Workflow::isEveryHandlerFinished);
    if (abortRequest == null && !otherRequest.getAsBoolean()) {
      Workflow.continueAsNew(next.get());
    }
    return true;
  }
}
