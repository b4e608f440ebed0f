package dev.trafficctl.workflows.canary;

import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.canary.AnalysisSettings;
import dev.trafficctl.config.canary.CanarySpec;
import dev.trafficctl.config.canary.InconclusiveAction;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.HistoryBudget;
import dev.trafficctl.workflows.RolloutEvents;
import dev.trafficctl.workflows.RolloutIds;
import dev.trafficctl.workflows.RolloutPhase;
import dev.trafficctl.workflows.RolloutVisibility;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.control.PromoteRequest;
import dev.trafficctl.workflows.ports.MetricsProvider;
import dev.trafficctl.workflows.ports.MetricsQuery;
import dev.trafficctl.workflows.ports.MetricsSample;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.TrafficRouter;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.status.StepRecord;
import dev.trafficctl.workflows.status.Verdict;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The canary state machine. Deterministic: time comes from {@link Workflow#currentTimeMillis()},
 * waiting from {@link Workflow#await}, everything else from activities. Decisions that need no
 * Temporal (what to check, whether it held) live in {@link AnalysisJudge} and {@link CanaryPlan}.
 *
 * <p>A step keeps analysing every interval, paused or not, so a canary paused over a weekend would
 * grow one history without end (about 12 events a minute at a 1m interval: past Temporal's limit of
 * 51,200 in three days). Past {@value HistoryBudget#EVENTS} events a step continues as new,
 * carrying {@link CanaryState} on exactly where it was.
 */
public class CanaryWorkflowImpl implements CanaryWorkflow {

  /** Failure type of a workflow whose input cannot be used; never retried. */
  public static final String INVALID_INPUT = WorkflowFailures.INVALID_INPUT;

  private static final Logger log = Workflow.getLogger(CanaryWorkflowImpl.class);
  private static final String GATE_MESSAGE = "waiting for promote (auto_promote: false)";

  private final TrafficRouter router = ActivityStubs.router();
  private final MetricsProvider metrics = ActivityStubs.metrics();
  private RolloutEvents events;

  private CanaryInput input;
  private CanarySpec spec;
  private CanaryPlan plan;
  private RouteTarget target;
  private String stable;

  private final RolloutPhase progress = new RolloutPhase(log);
  private String pauseMessage = "";
  private int step;
  private int weight;
  private final StepClock clock = new StepClock();
  private AnalysisReport lastAnalysis;
  private long nextAnalysisAt;
  private boolean passedAfterHold;
  private final List<StepRecord> steps = new ArrayList<>();
  private final List<ActionRecord> actions = new ArrayList<>();

  // Control state, set by update handlers and consumed by the main loop.
  private boolean paused;
  private boolean awaitingPromotion;
  private boolean promoteNext;
  private boolean promoteFull;
  private ControlRequest abortRequest;
  private String rollbackReason;
  private int controlVersion;

  // Analysis counters (Argo Rollouts' failureLimit, inconclusiveLimit, consecutiveErrorLimit).
  private int failedAnalyses;
  private int inconclusiveInRow;
  private int errorsInRow;

  @Override
  public CanaryResult run(CanaryInput input) {
    this.input = input;
    WorkflowFailures.validate(input);
    spec = input.canary();
    events = new RolloutEvents(spec.notification(), input.target().notifications());
    plan = new CanaryPlan(spec);
    target = new RouteTarget(input.service(), input.env(), input.target());
    CanaryState carried = input.carried();
    if (carried == null) {
      stable = findStableVersion(router.readWeights(target));
      upsertSearchAttributes();
      notifyEvent(NotificationEvent.STARTED);
    } else {
      carryOn(carried);
    }
    try {
      walkSteps(carried);
    } catch (CanceledFailure | ActivityFailure failure) {
      if (!CancellationScope.current().isCancelRequested()) {
        // A router change failed for good in the middle of a step: the safe state is the stable
        // version. If that change fails too, the workflow fails with its state readable.
        rollBack(Phase.ROLLED_BACK, "step " + step + " failed: " + rootMessage(failure));
        deliverNotifications();
        return new CanaryResult(status());
      }
      // Cancelled from outside: put traffic back on the stable version even though the workflow
      // is cancelled, then let the cancellation complete it.
      Workflow.newDetachedCancellationScope(
              () -> {
                rollBack(Phase.ABORTED, "cancelled: traffic returned to " + stable);
                deliverNotifications();
              })
          .run();
      throw failure;
    }
    deliverNotifications();
    return new CanaryResult(status());
  }

  /** Walks the steps from the first, or from where {@code carried} (a previous run) left off. */
  private void walkSteps(CanaryState carried) {
    int first = carried == null ? 1 : carried.awaitingPromotion() ? step + 1 : step;
    for (int n = first; n <= plan.totalSteps(); n++) {
      boolean carriedOn = carried != null && n == first;
      if (plan.isPromotionStep(n)) {
        if (!spec.autoPromote() && !promoteFull && !gateForPromotion(n, carriedOn)) {
          return;
        }
        promote(n);
        return;
      }
      if (!carriedOn) {
        enterStep(n);
      }
      StepEnd end =
          holdStep(plan.holdOf(n), AnalysisCriteria.forStep(spec, plan.step(n)), carriedOn);
      switch (end) {
        case PASSED -> finishStep("passed", null);
        case PROMOTED -> finishStep("promoted", "promoted by " + promoterNote());
        case PROMOTED_FULL -> {
          finishStep("promoted", "promoted to 100% by " + promoterNote());
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
    if (progress.phase() == Phase.PROGRESSING) {
      // The last step held at 100%: the candidate already serves everything.
      complete();
    }
  }

  /**
   * Pauses before the promotion step until someone promotes (a continued run is already there).
   * Returns false when stopped.
   */
  private boolean gateForPromotion(int n, boolean carriedOn) {
    if (!carriedOn) {
      awaitingPromotion = true;
      paused = true;
      clock.stop(now());
      setPhase(Phase.PAUSED, GATE_MESSAGE);
      notifyEvent(NotificationEvent.PAUSED);
    }
    StepEnd end = holdStep(Duration.ZERO, criteriaAround(n), carriedOn);
    awaitingPromotion = false;
    if (end == StepEnd.STOPPED) {
      stop();
      return false;
    }
    return true;
  }

  private AnalysisCriteria criteriaAround(int n) {
    return AnalysisCriteria.forStep(spec, plan.step(Math.max(1, n - 1)));
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
   * ({@code carriedOn}) keeps the analysis schedule the previous run left.
   */
  private StepEnd holdStep(Duration hold, AnalysisCriteria criteria, boolean carriedOn) {
    AnalysisSettings settings = spec.analysis();
    long interval = settings.interval().toMillis();
    long holdMillis = hold.toMillis();
    Long deadline =
        spec.progressDeadline() == null ? null : holdMillis + spec.progressDeadline().toMillis();
    if (!carriedOn) {
      nextAnalysisAt = now() + interval;
      passedAfterHold = false;
    }
    while (true) {
      if (abortRequest != null || rollbackReason != null) {
        return StepEnd.STOPPED;
      }
      if (promoteFull) {
        return StepEnd.PROMOTED_FULL;
      }
      if (promoteNext) {
        promoteNext = false;
        return StepEnd.PROMOTED;
      }
      if (HistoryBudget.spent()) {
        continueAsNewUnlessControlled();
        continue;
      }
      long elapsed = clock.elapsedMillis(now());
      if (!paused && elapsed >= holdMillis) {
        if (criteria.isEmpty() || passedAfterHold) {
          return StepEnd.PASSED;
        }
        if (lastAnalysis == null || lastAnalysis.at().toEpochMilli() < now()) {
          passedAfterHold = analyse(criteria) == Verdict.PASS;
          nextAnalysisAt = now() + interval;
          continue;
        }
      }
      if (deadline != null && !paused && elapsed >= deadline) {
        abortRequest =
            new ControlRequest(
                "progress-deadline",
                "no progress in step "
                    + step
                    + " for "
                    + SpecDurations.format(spec.progressDeadline())
                    + " past its hold");
        return StepEnd.STOPPED;
      }
      long wake = nextAnalysisAt;
      if (!paused) {
        long toHoldEnd = holdMillis - elapsed;
        if (toHoldEnd > 0) {
          wake = Math.min(wake, now() + toHoldEnd);
        }
        if (deadline != null) {
          wake = Math.min(wake, now() + Math.max(1, deadline - elapsed));
        }
      }
      int seen = controlVersion;
      Workflow.await(Duration.ofMillis(Math.max(1, wake - now())), () -> controlVersion != seen);
      if (now() >= nextAnalysisAt && !criteria.isEmpty()) {
        Verdict verdict = analyse(criteria);
        passedAfterHold = verdict == Verdict.PASS && clock.elapsedMillis(now()) >= holdMillis;
        nextAnalysisAt = now() + interval;
      } else if (now() >= nextAnalysisAt) {
        nextAnalysisAt = now() + interval;
      }
    }
  }

  /**
   * Carries the canary into a new run once the notifications on their way are delivered (their
   * activities would not run after this run closes). Returns, without continuing, when a promote or
   * abort came in meanwhile, for the step to act on it first.
   */
  private void continueAsNewUnlessControlled() {
    deliverNotifications();
    HistoryBudget.handOver(
        () -> abortRequest != null || rollbackReason != null || promoteNext || promoteFull,
        () -> input.carryingOn(state()));
  }

  private CanaryState state() {
    Long since = clock.runningSince();
    return new CanaryState(
        stable,
        step,
        weight,
        clock.accumulatedMillis(),
        since == null ? null : Instant.ofEpochMilli(since),
        paused,
        awaitingPromotion,
        pauseMessage,
        progress.phase(),
        progress.message(),
        progress.since(),
        lastAnalysis,
        steps,
        actions,
        failedAnalyses,
        inconclusiveInRow,
        errorsInRow,
        Instant.ofEpochMilli(nextAnalysisAt),
        passedAfterHold,
        events.sequence(),
        events.failures());
  }

  /** A continued run picks up the state its previous run carried, and publishes it again. */
  private void carryOn(CanaryState s) {
    stable = s.stable();
    step = s.step();
    weight = s.weight();
    clock.carryOn(
        s.clockAccumulatedMillis(),
        s.clockRunningSince() == null ? null : s.clockRunningSince().toEpochMilli());
    paused = s.paused();
    awaitingPromotion = s.awaitingPromotion();
    pauseMessage = s.pauseMessage();
    progress.carryOn(s.phase(), s.message(), s.phaseSince().toEpochMilli());
    lastAnalysis = s.lastAnalysis();
    steps.addAll(s.steps());
    actions.addAll(s.actions());
    failedAnalyses = s.failedAnalyses();
    inconclusiveInRow = s.inconclusiveInRow();
    errorsInRow = s.errorsInRow();
    nextAnalysisAt = s.nextAnalysisAt().toEpochMilli();
    passedAfterHold = s.passedAfterHold();
    events.carryOn(s.notificationsSent(), s.notificationFailures());
    upsertSearchAttributes();
    upsertMemo();
  }

  /** Takes one analysis and applies the limits. Returns its verdict. */
  private Verdict analyse(AnalysisCriteria criteria) {
    AnalysisReport report = measure(criteria);
    lastAnalysis = report;
    AnalysisSettings settings = spec.analysis();
    switch (report.verdict()) {
      case PASS -> {
        inconclusiveInRow = 0;
        errorsInRow = 0;
      }
      case FAIL -> {
        errorsInRow = 0;
        inconclusiveInRow = 0;
        failedAnalyses++;
        notifyEvent(NotificationEvent.ANALYSIS_FAILED);
        if (failedAnalyses >= settings.failureLimit()) {
          act(spec.autoRollback(), "analysis failed: " + report.detail());
        }
      }
      case INCONCLUSIVE -> {
        errorsInRow = 0;
        inconclusiveInRow++;
        if (inconclusiveInRow >= settings.inconclusiveLimit()) {
          inconclusiveInRow = 0;
          notifyEvent(NotificationEvent.INCONCLUSIVE);
          act(
              settings.onInconclusive() == InconclusiveAction.ROLLBACK,
              settings.inconclusiveLimit() + " inconclusive analyses in a row: " + report.detail());
        }
      }
      case ERROR -> {
        errorsInRow++;
        if (errorsInRow >= settings.consecutiveErrorLimit()) {
          errorsInRow = 0;
          act(
              spec.autoRollback(),
              settings.consecutiveErrorLimit()
                  + " analyses in a row could not read metrics: "
                  + report.detail());
        }
      }
    }
    upsertMemo();
    return report.verdict();
  }

  /** Rolls back, or pauses for a person with the reason when rolling back is not automatic. */
  private void act(boolean rollBack, String reason) {
    if (rollBack) {
      rollbackReason = reason;
    } else if (!paused) {
      pauseBy("trafficctl", reason);
    } else if (!pauseMessage.contains(reason)) {
      // Analysis goes on while paused and may act every interval: show the latest reason next to
      // the pause's own, rather than appending one per interval (the memo would grow without end).
      progress.say(pauseMessage + "; " + reason);
    }
  }

  private AnalysisReport measure(AnalysisCriteria criteria) {
    Map<Duration, MetricsSample> samples = new LinkedHashMap<>();
    try {
      for (Duration window : criteria.windows()) {
        samples.put(
            window,
            metrics.sample(
                new MetricsQuery(
                    input.service(),
                    input.env(),
                    input.version(),
                    input.target().metrics(),
                    window,
                    criteria.latencyPercentile())));
      }
    } catch (ActivityFailure failure) {
      return new AnalysisReport(
          Instant.ofEpochMilli(now()),
          Verdict.ERROR,
          List.of(),
          0,
          criteria.minimumRequests(),
          "metrics unavailable: " + rootMessage(failure));
    }
    return AnalysisJudge.judge(criteria, samples, Instant.ofEpochMilli(now()));
  }

  private void enterStep(int n) {
    step = n;
    setWeight(plan.weightOf(n), "step " + n + " of " + plan.totalSteps());
    clock.restart(now());
    steps.add(
        new StepRecord(n, weight, Instant.ofEpochMilli(now()), "running", Duration.ZERO, null));
    if (!paused) {
      setPhase(Phase.PROGRESSING, "step " + n + ": holding " + weight + "% on " + input.version());
    }
    if (n > 1) {
      notifyEvent(NotificationEvent.STEP_ADVANCED);
    }
  }

  private void finishStep(String outcome, String note) {
    if (steps.isEmpty()) {
      return;
    }
    StepRecord current = steps.get(steps.size() - 1);
    steps.set(
        steps.size() - 1,
        new StepRecord(
            current.number(),
            current.weight(),
            current.startedAt(),
            outcome,
            Duration.ofMillis(clock.elapsedMillis(now())),
            note != null ? note : current.note()));
  }

  private void promote(int n) {
    step = Math.min(n, plan.totalSteps());
    paused = false;
    setWeight(100, "promoted " + input.version());
    steps.add(
        new StepRecord(step, 100, Instant.ofEpochMilli(now()), "promoted", Duration.ZERO, null));
    complete();
  }

  private void complete() {
    setPhase(Phase.PROMOTED, input.version() + " serves 100% and is the stable version");
    notifyEvent(NotificationEvent.PROMOTED);
    notifyEvent(NotificationEvent.COMPLETED);
  }

  /** Ends the rollout on the stable version: aborted by a person, or rolled back by analysis. */
  private void stop() {
    if (abortRequest != null) {
      String by = abortRequest.by();
      finishStep("aborted", "by " + by + ": \"" + abortRequest.reason() + "\"");
      rollBack(Phase.ABORTED, "aborted by " + by + ": \"" + abortRequest.reason() + "\"");
    } else {
      finishStep("failed", rollbackReason);
      rollBack(Phase.ROLLED_BACK, rollbackReason);
    }
  }

  private void rollBack(Phase terminal, String reason) {
    setPhase(Phase.ROLLING_BACK, reason);
    paused = false;
    String refused = null;
    try {
      setWeight(0, "rollback: " + reason);
    } catch (ActivityFailure failure) {
      // The router refused the rollback too: its configuration cannot be applied, and the nginx
      // router has put its last known good one back. When that one already gives the candidate
      // nothing (the first change failed), the rollout is safe on the stable version all the
      // same; otherwise it is not, and the workflow fails with its state readable.
      if (router.readWeights(target).weightOf(input.version()) != 0) {
        throw failure;
      }
      weight = 0;
      upsertSearchAttributes();
      refused = rootMessage(failure);
    }
    setPhase(
        terminal,
        reason
            + "; "
            + stable
            + " serves 100%"
            + (refused == null ? "" : " (the router kept its last known good: " + refused + ")"));
    notifyEvent(
        terminal == Phase.ABORTED ? NotificationEvent.ABORTED : NotificationEvent.ROLLED_BACK);
  }

  private void setWeight(int candidatePercent, String reason) {
    router.setWeights(
        new RouteChange(
            target, CanaryPlan.weights(stable, input.version(), candidatePercent), reason));
    weight = candidatePercent;
    upsertSearchAttributes();
  }

  private void setPhase(Phase next, String why) {
    progress.moveTo(next, why);
    if (next == Phase.PAUSED) {
      pauseMessage = why;
    }
    upsertSearchAttributes();
  }

  private void pauseBy(String by, String reason) {
    paused = true;
    clock.stop(now());
    setPhase(Phase.PAUSED, "paused by " + by + (reason == null ? "" : ": \"" + reason + "\""));
    markCurrentStep("paused", "by " + by + (reason == null ? "" : ": \"" + reason + "\""));
    notifyEvent(NotificationEvent.PAUSED);
  }

  private void markCurrentStep(String outcome, String note) {
    if (!steps.isEmpty() && step > 0) {
      finishStep(outcome, note);
    }
  }

  // ---- updates -------------------------------------------------------------------------------

  @Override
  public void validatePromote(PromoteRequest request) {
    rejectWhenEnded();
    if (!request.full() && progress.phase() != Phase.PAUSED) {
      throw rejected(
          "not paused ("
              + progress.phase().display()
              + "): promote moves a paused canary to its next step; use --full to go to 100% now");
    }
  }

  @Override
  public RolloutStatus promote(PromoteRequest request) {
    record(request.full() ? "promote --full" : "promote", request.by(), request.reason());
    if (request.full()) {
      promoteFull = true;
    } else {
      promoteNext = true;
    }
    resumeClock();
    return status();
  }

  @Override
  public void validatePause(ControlRequest request) {
    rejectWhenEnded();
    if (paused) {
      throw rejected("already paused: " + progress.message());
    }
  }

  @Override
  public RolloutStatus pause(ControlRequest request) {
    record("pause", request.by(), request.reason());
    pauseBy(who(request.by()), request.reason());
    controlVersion++;
    upsertMemo();
    return status();
  }

  @Override
  public void validateResume(ControlRequest request) {
    rejectWhenEnded();
    if (!paused) {
      throw rejected("not paused (" + progress.phase().display() + ")");
    }
    if (awaitingPromotion) {
      throw rejected(GATE_MESSAGE + ": use promote");
    }
  }

  @Override
  public RolloutStatus resume(ControlRequest request) {
    record("resume", request.by(), request.reason());
    resumeClock();
    return status();
  }

  @Override
  public void validateAbort(ControlRequest request) {
    rejectWhenEnded();
    request.requireReason("abort");
  }

  @Override
  public RolloutStatus abort(ControlRequest request) {
    record("abort", request.by(), request.reason());
    abortRequest = new ControlRequest(who(request.by()), request.reason());
    progress.say("aborting: " + request.reason());
    controlVersion++;
    return status();
  }

  private void resumeClock() {
    paused = false;
    clock.start(now());
    if (progress.phase() == Phase.PAUSED) {
      setPhase(
          Phase.PROGRESSING, "step " + step + ": holding " + weight + "% on " + input.version());
      if (!awaitingPromotion) {
        // At the promotion gate the current step has passed already; it stays passed.
        markCurrentStep("running", null);
      }
    }
    controlVersion++;
    upsertMemo();
  }

  private void rejectWhenEnded() {
    if (input == null || plan == null) {
      throw rejected("the canary is still starting; try again in a moment");
    }
    if (progress.phase().terminal()) {
      throw rejected(
          "the canary has ended (" + progress.phase().display() + "): " + progress.message());
    }
    if (progress.phase() == Phase.ROLLING_BACK || abortRequest != null || rollbackReason != null) {
      throw rejected("the canary is rolling back: " + progress.message());
    }
  }

  private static IllegalStateException rejected(String why) {
    return new IllegalStateException(why);
  }

  private void record(String action, String by, String reason) {
    actions.add(new ActionRecord(Instant.ofEpochMilli(now()), action, who(by), reason));
  }

  private static String who(String by) {
    return by == null || by.isBlank() ? "unknown" : by;
  }

  private String promoterNote() {
    return actions.isEmpty() ? "trafficctl" : actions.get(actions.size() - 1).by();
  }

  // ---- status ---------------------------------------------------------------------------------

  @Override
  public RolloutStatus status() {
    long now = now();
    Duration remaining = null;
    Instant endsAt = null;
    if (plan != null && step > 0 && !progress.phase().terminal()) {
      long left = Math.max(0, plan.holdOf(step).toMillis() - clock.elapsedMillis(now));
      remaining = Duration.ofMillis(left);
      endsAt = clock.running() ? Instant.ofEpochMilli(now + left) : null;
    }
    return new RolloutStatus(
        input == null ? null : RolloutIds.workflowId(input.env(), input.service()),
        input == null ? null : input.service(),
        input == null ? null : input.env(),
        "canary",
        stable,
        input == null ? null : input.version(),
        progress.phase(),
        progress.message(),
        step,
        plan == null ? 0 : plan.totalSteps(),
        weight,
        plan == null || step == 0 || progress.phase().terminal() ? null : plan.nextWeight(step),
        progress.since(),
        remaining,
        endsAt,
        lastAnalysis,
        steps,
        actions,
        Instant.ofEpochMilli(now),
        events == null ? List.of() : events.failures());
  }

  private void upsertSearchAttributes() {
    if (input != null) {
      RolloutVisibility.publish(status(), input.version());
    }
  }

  /** Mirrors the status into the memo, so it can be read with no worker running. */
  private void upsertMemo() {
    RolloutVisibility.publishMemo(status());
  }

  // ---- helpers --------------------------------------------------------------------------------

  private void notifyEvent(NotificationEvent event) {
    events.send(event, status());
  }

  private void deliverNotifications() {
    events.deliver();
  }

  private String findStableVersion(RouteState state) {
    String candidate = input.version();
    if (state.weightOf(candidate) == 100) {
      throw WorkflowFailures.invalidInput(
          candidate + " already serves 100% of " + input.service() + " in " + input.env());
    }
    return state
        .dominantExcept(candidate)
        .orElseGet(
            () ->
                input.target().versions().keySet().stream()
                    .filter(v -> !v.equals(candidate))
                    .findFirst()
                    .orElseThrow(
                        () ->
                            WorkflowFailures.invalidInput(
                                "no stable version: the catalog lists only "
                                    + candidate
                                    + " for "
                                    + input.service()
                                    + " in "
                                    + input.env())));
  }

  private static String rootMessage(Throwable failure) {
    return WorkflowFailures.rootMessage(failure);
  }

  private static long now() {
    return Workflow.currentTimeMillis();
  }
}
