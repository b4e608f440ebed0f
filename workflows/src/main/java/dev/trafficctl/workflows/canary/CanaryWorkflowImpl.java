package dev.trafficctl.workflows.canary;

import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.canary.CanarySpec;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.HistoryBudget;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.analysis.AnalysisCriteria;
import dev.trafficctl.workflows.analysis.AnalysisJudge;
import dev.trafficctl.workflows.analysis.MetricsAnalysis;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.control.DriftCheck;
import dev.trafficctl.workflows.control.PausableControlledRollout;
import dev.trafficctl.workflows.control.PromoteRequest;
import dev.trafficctl.workflows.control.RolloutControl;
import dev.trafficctl.workflows.control.SafeRollback;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.TrafficRouter;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.status.Verdict;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * The canary state machine. Deterministic: time comes from {@link Workflow#currentTimeMillis()},
 * waiting from {@link RolloutControl#awaitChange}, everything else from activities. Decisions that
 * need no Temporal (what to check, whether it held) live in {@link AnalysisJudge} and {@link
 * CanaryPlan}.
 *
 * <p>A step keeps analysing every interval, paused or not, so a canary paused over a weekend would
 * grow one history without end (about 8 events a minute at a 1m interval, its reads being local
 * activities: past Temporal's limit of 51,200 in under five days). Past {@value
 * HistoryBudget#EVENTS} events a step continues as new, carrying {@link CanaryState} on exactly
 * where it was.
 */
public class CanaryWorkflowImpl extends PausableControlledRollout implements CanaryWorkflow {

  private static final Logger log = Workflow.getLogger(CanaryWorkflowImpl.class);
  private static final String GATE_MESSAGE = "waiting for promote (auto_promote: false)";

  private final TrafficRouter router = ActivityStubs.router();

  private CanaryInput input;
  private CanarySpec spec;
  private CanaryPlan plan;
  private RouteTarget target;

  private DriftCheck drift;
  private MetricsAnalysis analysis;
  private CanaryState state = new CanaryState();

  // Requests the main loop acts on; a continued run starts without them.
  private boolean promoteNext;
  private boolean promoteFull;
  private String rollbackReason;

  public CanaryWorkflowImpl() {
    super("the canary", log);
  }

  @Override
  protected boolean ending() {
    return rollbackReason != null;
  }

  @Override
  public CanaryResult run(CanaryInput input) {
    this.input = input;
    WorkflowFailures.validate(input);
    spec = input.canary();
    plan = new CanaryPlan(spec);
    target = input.routeTarget();
    analysis = new MetricsAnalysis(target);
    drift = new DriftCheck(control, target);
    boolean carriedOn = input.carried() != null;
    state = control.begin(input, input.carried(), state, input::version);
    control.notifyOn(spec.notification(), input.target().notifications());
    if (carriedOn) {
      control.publish();
      control.publishMemo();
    } else {
      state.stable = StableVersion.of(input, control.inForce(router.read(target)));
      control.publish();
      control.notify(NotificationEvent.STARTED);
    }
    try {
      walkSteps(carriedOn);
    } catch (CanceledFailure | ActivityFailure failure) {
      if (!CancellationScope.current().isCancelRequested()) {
        // A router change failed for good in the middle of a step: the safe state is the stable
        // version. If that change fails too, the workflow fails with its state readable.
        rollBack(
            Phase.ROLLED_BACK,
            "step " + state.step + " failed: " + WorkflowFailures.rootMessage(failure));
        control.deliverNotifications();
        return new CanaryResult(status());
      }
      // Cancelled from outside: put traffic back on the stable version even though the workflow
      // is cancelled, then let the cancellation complete it.
      Workflow.newDetachedCancellationScope(
              () -> {
                rollBack(Phase.ABORTED, "cancelled: traffic returned to " + state.stable);
                control.deliverNotifications();
              })
          .run();
      throw failure;
    }
    control.deliverNotifications();
    return new CanaryResult(status());
  }

  /** Walks the steps from the first, or from where a previous run ({@code carriedOn}) left off. */
  private void walkSteps(boolean carriedOn) {
    int first = !carriedOn ? 1 : state.awaitingPromotion ? state.step + 1 : state.step;
    for (int n = first; n <= plan.totalSteps(); n++) {
      boolean resumed = carriedOn && n == first;
      if (plan.isPromotionStep(n)) {
        if (!spec.autoPromote() && !promoteFull && !gateForPromotion(n, resumed)) {
          return;
        }
        promote(n);
        return;
      }
      if (!resumed) {
        enterStep(n);
      }
      switch (holdStep(plan.holdOf(n), AnalysisCriteria.forStep(spec, plan.step(n)), resumed)) {
        case PASSED -> finishStep("passed", null);
        case PROMOTED -> finishStep("promoted", "promoted by " + control.lastActor());
        case PROMOTED_FULL -> {
          finishStep("promoted", "promoted to 100% by " + control.lastActor());
          // Straight to the final step: the status reads "step 5/5, 100%", not "step 2/5, 100%".
          promote(plan.totalSteps());
          return;
        }
        case STOPPED -> {
          stop();
          return;
        }
      }
    }
    if (control.phase() == Phase.PROGRESSING) {
      // The last step held at 100%: the candidate already serves everything.
      complete();
    }
  }

  /**
   * Pauses before the promotion step until someone promotes (a continued run is already there).
   * Returns false when stopped.
   */
  private boolean gateForPromotion(int n, boolean resumed) {
    if (!resumed) {
      state.awaitingPromotion = true;
      control.paused(true);
      state.clock.stop(now());
      setPhase(Phase.PAUSED, GATE_MESSAGE);
      control.notify(NotificationEvent.PAUSED);
    }
    AnalysisCriteria around = AnalysisCriteria.forStep(spec, plan.step(Math.max(1, n - 1)));
    StepEnd end = holdStep(Duration.ZERO, around, resumed);
    state.awaitingPromotion = false;
    if (end == StepEnd.STOPPED) {
      stop();
      return false;
    }
    return true;
  }

  private enum StepEnd {
    PASSED,
    /** A person promoted the (paused) step to the next one before its hold ended. */
    PROMOTED,
    PROMOTED_FULL,
    STOPPED
  }

  /**
   * Holds the current step for {@code hold} of step-clock time, analysing every interval, and
   * returns how the step ended. A step passes only on a passing analysis taken when its hold is
   * over: an inconclusive one keeps it holding until the inconclusive limit acts. A continued run
   * ({@code resumed}) keeps the analysis schedule the previous run left.
   */
  private StepEnd holdStep(Duration hold, AnalysisCriteria criteria, boolean resumed) {
    long interval = spec.analysis().interval().toMillis();
    long holdMillis = hold.toMillis();
    Long deadline =
        spec.progressDeadline() == null ? null : holdMillis + spec.progressDeadline().toMillis();
    if (!resumed) {
      scheduleAnalysis(interval);
      state.passedAfterHold = false;
    }
    while (true) {
      if (control.abortRequested() || rollbackReason != null) {
        return StepEnd.STOPPED;
      }
      if (promoteFull) {
        return StepEnd.PROMOTED_FULL;
      }
      if (promoteNext) {
        promoteNext = false;
        return StepEnd.PROMOTED;
      }
      if (control.continueAsNewWhenDue(
          false,
          () -> rollbackReason != null || promoteNext || promoteFull,
          () -> input.carryingOn(state))) {
        continue;
      }
      long elapsed = state.clock.elapsedMillis(now());
      boolean paused = control.paused();
      if (!paused && elapsed >= holdMillis) {
        if (criteria.isEmpty() || state.passedAfterHold) {
          return StepEnd.PASSED;
        }
        AnalysisReport last = control.lastAnalysis();
        if (last == null || last.at().toEpochMilli() < now()) {
          state.passedAfterHold = analyse(criteria) == Verdict.PASS;
          scheduleAnalysis(interval);
          continue;
        }
      }
      if (deadline != null && !paused && elapsed >= deadline) {
        control.abortFor(
            "progress-deadline",
            "no progress in step "
                + state.step
                + " for "
                + SpecDurations.format(spec.progressDeadline())
                + " past its hold");
        return StepEnd.STOPPED;
      }
      long wake = state.nextAnalysisAt.toEpochMilli();
      if (!paused) {
        long toHoldEnd = holdMillis - elapsed;
        if (toHoldEnd > 0) {
          wake = Math.min(wake, now() + toHoldEnd);
        }
        if (deadline != null) {
          wake = Math.min(wake, now() + Math.max(1, deadline - elapsed));
        }
      }
      control.awaitChange(Duration.ofMillis(Math.max(1, wake - now())), control.changes());
      if (now() >= state.nextAnalysisAt.toEpochMilli()) {
        if (!criteria.isEmpty()) {
          Verdict verdict = analyse(criteria);
          state.passedAfterHold =
              verdict == Verdict.PASS && state.clock.elapsedMillis(now()) >= holdMillis;
        }
        scheduleAnalysis(interval);
      }
    }
  }

  private void scheduleAnalysis(long interval) {
    state.nextAnalysisAt = Instant.ofEpochMilli(now() + interval);
  }

  /** Takes one analysis and applies the limits. Returns its verdict. */
  private Verdict analyse(AnalysisCriteria criteria) {
    checkDrift();
    AnalysisReport report = analysis.sample(criteria, input.version());
    control.lastAnalysis(report);
    AnalysisLimits.Outcome outcome =
        AnalysisLimits.count(state, spec.analysis(), spec.autoRollback(), report);
    if (outcome.event() != null) {
      control.notify(outcome.event());
    }
    if (outcome.act()) {
      act(outcome.rollBack(), outcome.reason());
    }
    control.publishMemo();
    return report.verdict();
  }

  /**
   * Before each analysis, the weights in force must be the rollout's own ({@link DriftCheck}). When
   * they are not, the rollout puts its weights back or pauses for a person, as the catalog says; a
   * person's resume then puts them back.
   */
  private void checkDrift() {
    DriftCheck.Finding found =
        drift.check(CanaryPlan.weights(state.stable, input.version(), state.weight));
    switch (found.response()) {
      case RESTORE -> setWeight(state.weight, DriftCheck.restoring(found.drift()));
      case PAUSE -> act(false, found.drift());
      case NONE -> {}
    }
  }

  /** Rolls back, or pauses for a person with the reason when rolling back is not automatic. */
  private void act(boolean rollBack, String reason) {
    if (rollBack) {
      rollbackReason = reason;
    } else if (!control.paused()) {
      pause(RolloutControl.TRAFFICCTL, reason);
    } else if (!state.pauseMessage.contains(reason)) {
      // Analysis goes on while paused and may act every interval: show the latest reason next to
      // the pause's own, rather than appending one per interval (the memo would grow without end).
      control.say(state.pauseMessage + "; " + reason);
    }
  }

  private void enterStep(int n) {
    state.step = n;
    setWeight(plan.weightOf(n), "step " + n + " of " + plan.totalSteps());
    state.clock.restart(now());
    control.startStep(n, state.weight, null);
    if (!control.paused()) {
      setPhase(Phase.PROGRESSING, holding());
    }
    if (n > 1) {
      control.notify(NotificationEvent.STEP_ADVANCED);
    }
  }

  private String holding() {
    return "step " + state.step + ": holding " + state.weight + "% on " + input.version();
  }

  /** Closes the current step's record with {@code outcome}, and {@code note} when given. */
  private void finishStep(String outcome, String note) {
    Duration held = Duration.ofMillis(state.clock.elapsedMillis(now()));
    control.updateStep(step -> step.with(outcome, held, note != null ? note : step.note()));
  }

  private void promote(int n) {
    state.step = Math.min(n, plan.totalSteps());
    control.paused(false);
    setWeight(100, "promoted " + input.version());
    control.startStep(state.step, 100, null);
    control.updateStep(step -> step.with("promoted", Duration.ZERO, null));
    complete();
  }

  private void complete() {
    setPhase(Phase.PROMOTED, input.version() + " serves 100% and is the stable version");
    control.notify(NotificationEvent.PROMOTED);
    control.notify(NotificationEvent.COMPLETED);
  }

  /** Ends the rollout on the stable version: aborted by a person, or rolled back by analysis. */
  private void stop() {
    if (control.abortRequested()) {
      finishStep("aborted", RolloutControl.byWhom(control.abortRequest()));
      rollBack(Phase.ABORTED, control.abortedBy());
    } else {
      finishStep("failed", rollbackReason);
      rollBack(Phase.ROLLED_BACK, rollbackReason);
    }
  }

  private void rollBack(Phase terminal, String reason) {
    setPhase(Phase.ROLLING_BACK, reason);
    control.paused(false);
    SafeRollback.Outcome back =
        SafeRollback.apply(
            control,
            router,
            control
                .change(target, "rollback: " + reason)
                .withWeights(CanaryPlan.weights(state.stable, input.version(), 0)),
            input.version());
    if (back.inForce()) {
      state.weight = 0;
      control.publish();
    }
    setPhase(terminal, reason + "; " + back.describe(state.stable));
    control.notifyStopped(terminal);
  }

  private void setWeight(int candidatePercent, String reason) {
    router.change(
        control
            .change(target, reason)
            .withWeights(CanaryPlan.weights(state.stable, input.version(), candidatePercent)));
    state.weight = candidatePercent;
    control.publish();
  }

  private void setPhase(Phase next, String why) {
    if (next == Phase.PAUSED) {
      state.pauseMessage = why;
    }
    control.moveTo(next, why);
  }

  /** Stops the step clock and pauses; {@code by} a person, or by trafficctl for an analysis. */
  private void pause(String by, String reason) {
    control.paused(true);
    state.clock.stop(now());
    String byWhom = RolloutControl.byWhom(new ControlRequest(by, reason));
    setPhase(Phase.PAUSED, "paused " + byWhom);
    finishStep("paused", byWhom);
    control.notify(NotificationEvent.PAUSED);
  }

  // ---- updates -------------------------------------------------------------------------------

  @Override
  public void validatePromote(PromoteRequest request) {
    control.rejectUnlessRunning();
    if (!request.full() && control.phase() != Phase.PAUSED) {
      throw RolloutControl.rejected(
          "not paused ("
              + control.phase().display()
              + "): promote moves a paused canary to its next step; use --full to go to 100% now");
    }
  }

  @Override
  public RolloutStatus promote(PromoteRequest request) {
    control.record(request.full() ? "promote --full" : "promote", request.by(), request.reason());
    if (request.full()) {
      promoteFull = true;
    } else {
      promoteNext = true;
    }
    resumeClock();
    return status();
  }

  @Override
  public RolloutStatus pause(ControlRequest request) {
    control.record("pause", request);
    pause(RolloutControl.who(request.by()), request.reason());
    control.changed();
    control.publishMemo();
    return status();
  }

  @Override
  public void validateResume(ControlRequest request) {
    super.validateResume(request);
    if (state.awaitingPromotion) {
      throw RolloutControl.rejected(GATE_MESSAGE + ": use promote");
    }
  }

  @Override
  public RolloutStatus resume(ControlRequest request) {
    control.record("resume", request);
    resumeClock();
    control.notifyResumed();
    return status();
  }

  private void resumeClock() {
    control.paused(false);
    state.clock.start(now());
    if (control.phase() == Phase.PAUSED) {
      setPhase(Phase.PROGRESSING, holding());
      if (!state.awaitingPromotion) {
        // At the promotion gate the current step has passed already; it stays passed.
        finishStep("running", null);
      }
    }
    control.changed();
    control.publishMemo();
  }

  // ---- status ---------------------------------------------------------------------------------

  @Override
  public RolloutStatus status() {
    RolloutStatus.Builder status = control.status();
    if (input == null || plan == null) {
      return status.build();
    }
    long now = now();
    boolean holding = state.step > 0 && !control.phase().terminal();
    long left =
        holding
            ? Math.max(0, plan.holdOf(state.step).toMillis() - state.clock.elapsedMillis(now))
            : 0;
    return status
        .stableVersion(state.stable)
        .candidateVersion(input.version())
        .step(state.step)
        .totalSteps(plan.totalSteps())
        .weight(state.weight)
        .nextWeight(holding ? plan.nextWeight(state.step) : null)
        .stepRemaining(holding ? Duration.ofMillis(left) : null)
        .stepEndsAt(holding && state.clock.running() ? Instant.ofEpochMilli(now + left) : null)
        .build();
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static long now() {
    return Workflow.currentTimeMillis();
  }
}
