package dev.trafficctl.workflows.bluegreen;

import static dev.trafficctl.workflows.analysis.HealthJudge.percent;

import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.bluegreen.BlueGreenSpec;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.analysis.HealthJudge;
import dev.trafficctl.workflows.control.RolloutControl;
import dev.trafficctl.workflows.ports.HealthReport;
import dev.trafficctl.workflows.ports.InstanceHealth;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.StepRecord;
import dev.trafficctl.workflows.status.Verdict;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The {@link Stage}s of a blue-green rollout, each a step of the shared status model, run in order
 * by {@link BlueGreenWorkflowImpl}. A stage that a person's request cuts short ends {@link
 * Outcome#INTERRUPTED}, and the workflow acts on the request.
 */
final class BlueGreenStages {

  /** How a stage ended. */
  enum Outcome {
    NEXT,
    INTERRUPTED,
    ENDED
  }

  private final BlueGreenSpec spec;
  private final BlueGreenOptions options;
  private final BlueGreenState state;
  private final RolloutControl control;
  private final ColorWatch watch;
  private final ColorSwitch colors;
  private final BooleanSupplier interrupted;

  BlueGreenStages(
      BlueGreenInput input,
      BlueGreenState state,
      RolloutControl control,
      ColorWatch watch,
      ColorSwitch colors,
      BooleanSupplier interrupted) {
    this.spec = input.blueGreen();
    this.options = input.options();
    this.state = state;
    this.control = control;
    this.watch = watch;
    this.colors = colors;
    this.interrupted = interrupted;
  }

  /** Runs {@code stage}; a manual switch skips the checks before the switch. */
  Outcome run(Stage stage) {
    boolean manual = options.switchTo() != null;
    return switch (stage) {
      case READINESS -> readiness();
      case HEALTH_CHECK -> manual ? Outcome.NEXT : healthCheck();
      case PROMOTION -> manual ? Outcome.NEXT : promotion();
      case SWITCH -> switchTraffic();
      case MONITORING -> monitor();
      case CLEANUP -> cleanup();
    };
  }

  /** Every instance of the idle color answers its health endpoint within readiness_timeout. */
  Outcome readiness() {
    String next = state.next;
    int instances = watch.addresses(next).size();
    Duration timeout = spec.traffic().readinessTimeout();
    enterStage(
        Stage.READINESS,
        "waiting for "
            + instances
            + " "
            + next
            + " instances to answer "
            + watch.endpoint()
            + " (readiness_timeout "
            + SpecDurations.format(timeout)
            + ")",
        timeout);
    Optional<HealthReport> report = watch.awaitReady(next);
    if (report.isEmpty()) {
      return Outcome.INTERRUPTED;
    }
    Optional<InstanceHealth> notReady = report.get().firstNotReady();
    if (notReady.isPresent()) {
      return abortStage(
          "readiness: "
              + next
              + " instance "
              + notReady.get().address()
              + " did not answer "
              + watch.endpoint()
              + " within "
              + SpecDurations.format(timeout)
              + " ("
              + notReady.get().lastProblem()
              + ")");
    }
    finishStage("passed", instances + " of " + instances + " " + next + " instances ready");
    return Outcome.NEXT;
  }

  /** The idle color's health over health_check_timeout, against the health threshold. */
  Outcome healthCheck() {
    Duration over = spec.strategy().healthCheckTimeout();
    double threshold = options.healthThreshold();
    enterStage(
        Stage.HEALTH_CHECK,
        "probing "
            + state.next
            + " for "
            + SpecDurations.format(over)
            + ": at least "
            + percent(threshold)
            + " of probes must answer 2xx",
        over);
    Optional<HealthReport> report = watch.probe(state.next, over);
    if (report.isEmpty()) {
      return Outcome.INTERRUPTED;
    }
    HealthReport r = report.get();
    control.lastAnalysis(HealthJudge.healthy(r, threshold, over, Instant.ofEpochMilli(now())));
    if (control.lastAnalysis().verdict() == Verdict.INCONCLUSIVE) {
      // No probe, no evidence: the check never passes on nothing.
      return abortStage("health check: inconclusive: " + HealthJudge.describe(r, over));
    }
    if (control.lastAnalysis().verdict() != Verdict.PASS) {
      return abortStage(
          "health check: "
              + HealthJudge.describe(r, over)
              + ", below the "
              + percent(threshold)
              + " threshold"
              + HealthJudge.worstInstance(r));
    }
    finishStage("passed", HealthJudge.describe(r, over));
    return Outcome.NEXT;
  }

  /** Waits for promote unless promotion is automatic; past switch_timeout the rollout aborts. */
  Outcome promotion() {
    boolean automatic =
        options.autoPromote() != null ? options.autoPromote() : spec.strategy().autoPromote();
    String next = state.next;
    if (automatic) {
      enterStage(Stage.PROMOTION, "promoting " + next + " automatically", null);
      finishStage("promoted", "automatically (auto_promote)");
      return Outcome.NEXT;
    }
    Duration timeout = spec.strategy().switchTimeout();
    enterStage(Stage.PROMOTION, null, timeout);
    state.awaitingPromotion = true;
    control.moveTo(
        Phase.PAUSED,
        "waiting for promote: "
            + next
            + " is ready and healthy; aborts after switch_timeout "
            + SpecDurations.format(timeout)
            + " without one");
    control.notify(NotificationEvent.PAUSED);
    int seen = state.promotions;
    Workflow.await(timeout, () -> state.promotions != seen || interrupted.getAsBoolean());
    state.awaitingPromotion = false;
    if (interrupted.getAsBoolean()) {
      return Outcome.INTERRUPTED;
    }
    if (state.promotions == seen) {
      return abortStage(
          "no promote within switch_timeout "
              + SpecDurations.format(timeout)
              + ": "
              + next
              + " was never switched to");
    }
    finishStage("promoted", "by " + control.lastActor());
    control.moveTo(Phase.PROGRESSING, "promoted by " + control.lastActor());
    return Outcome.NEXT;
  }

  /** All traffic to the next color: at once, or in weight steps each judged on its errors. */
  Outcome switchTraffic() {
    String next = state.next;
    if (!state.gradual) {
      enterStage(Stage.SWITCH, "switching all traffic to " + next + " at once", null);
      colors.setWeight(100, "switch: all traffic to " + next);
      finishStage("passed", "at once");
      return Outcome.NEXT;
    }
    List<Integer> plan = options.gradualSteps();
    enterStage(Stage.SWITCH, "switching to " + next + " in steps " + plan, null);
    List<String> done = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      int w = plan.get(i);
      state.nextWeight = i + 1 < plan.size() ? plan.get(i + 1) : null;
      colors.setWeight(w, "gradual switch to " + next + ": " + w + "%");
      if (w == 100) {
        break;
      }
      Duration hold = options.stepDuration();
      state.stageEndsAt = now() + hold.toMillis();
      control.moveTo(
          Phase.PROGRESSING,
          "gradual switch: " + next + " at " + w + "%, judged over " + SpecDurations.format(hold));
      StepEnd step = holdUntilPassed(next, w, hold);
      if (step.interrupted()) {
        return Outcome.INTERRUPTED;
      }
      if (step.failed() != null) {
        String why = "gradual switch at " + w + "%: " + step.failed().reason();
        finishStage(step.failed().stageOutcome(), why);
        colors.back(Phase.ROLLED_BACK, why);
        return Outcome.ENDED;
      }
      done.add(w + "% passed");
    }
    state.nextWeight = null;
    done.add("100%");
    finishStage("passed", String.join(", ", done));
    return Outcome.NEXT;
  }

  /**
   * Watches the new color for monitor_duration. A breach, or checks that cannot judge one after
   * another, switch back when rollback is automatic and pause for a decision when not; it passes
   * only on a passing check.
   */
  Outcome monitor() {
    Duration duration =
        options.monitorDuration() != null
            ? options.monitorDuration()
            : spec.rollback().monitorDuration();
    boolean automatic = spec.rollback().automatic();
    String next = state.next;
    enterStage(
        Stage.MONITORING,
        "watching "
            + next
            + " for "
            + SpecDurations.format(duration)
            + ": more than "
            + percent(spec.rollback().failureThreshold())
            + " failed requests "
            + (automatic ? "switch back to " + state.previous : "pause for a decision"),
        duration);
    long end = now() + duration.toMillis();
    long interval = ColorWatch.interval(duration, 10).toMillis();
    state.inconclusiveInRow = 0;
    state.errorsInRow = 0;
    AnalysisReport last = null;
    // Monitoring passes only on a passing check taken when monitor_duration is over: a last check
    // that could not judge keeps the watch going, an interval after another, until a check passes
    // or too many in a row could not judge (WatchLimits).
    while (now() < end || last.verdict() != Verdict.PASS) {
      if (now() >= end) {
        control.say(
            "monitoring: watching "
                + next
                + " past "
                + SpecDurations.format(duration)
                + " until a check passes; the last was "
                + last.verdict().wire()
                + ": "
                + last.detail());
      }
      long left = end - now();
      Duration hold = Duration.ofMillis(left > 0 ? Math.min(interval, left) : interval);
      Duration window =
          Duration.ofMillis(
              Math.max(interval, Math.min(60_000, now() + hold.toMillis() - state.stageStartedAt)));
      Optional<AnalysisReport> judged = watch.judge(next, hold, window);
      if (judged.isEmpty()) {
        return Outcome.INTERRUPTED;
      }
      last = judged.get();
      WatchLimits.Outcome counted = WatchLimits.count(state, last);
      if (counted.event() != null) {
        control.notify(counted.event());
      }
      if (!counted.act()) {
        continue;
      }
      String why = "after the switch: " + counted.reason();
      if (automatic) {
        finishStage(counted.stageOutcome(), why);
        colors.back(Phase.ROLLED_BACK, why);
        return Outcome.ENDED;
      }
      state.awaitingDecision = true;
      control.moveTo(
          Phase.PAUSED,
          why + "; rollback.automatic is false: rollback, or promote to keep " + next);
      markStage("paused", why);
      control.notify(NotificationEvent.PAUSED);
      int seen = state.promotions;
      Workflow.await(() -> state.promotions != seen || interrupted.getAsBoolean());
      state.awaitingDecision = false;
      if (interrupted.getAsBoolean()) {
        return Outcome.INTERRUPTED;
      }
      finishStage("promoted", "kept by " + control.lastActor() + " despite: " + counted.reason());
      return Outcome.NEXT;
    }
    finishStage(
        "passed",
        "no breach in " + SpecDurations.format(duration) + "; last check: " + passed(last));
    return Outcome.NEXT;
  }

  /**
   * Holds a gradual switch's step at {@code percent} for {@code hold} and judges it over that time.
   * A step passes only on a passing check: one that could not judge holds it for another {@code
   * hold}, until a check passes or too many in a row could not judge.
   */
  private StepEnd holdUntilPassed(String color, int percent, Duration hold) {
    state.inconclusiveInRow = 0;
    state.errorsInRow = 0;
    while (true) {
      Optional<AnalysisReport> judged = watch.judge(color, hold, hold);
      if (judged.isEmpty()) {
        return new StepEnd(true, null);
      }
      AnalysisReport report = judged.get();
      WatchLimits.Outcome counted = WatchLimits.count(state, report);
      if (counted.event() != null) {
        control.notify(counted.event());
      }
      if (counted.act()) {
        return new StepEnd(false, counted);
      }
      if (report.verdict() == Verdict.PASS) {
        return new StepEnd(false, null);
      }
      state.stageEndsAt = now() + hold.toMillis();
      control.say(
          "gradual switch: "
              + color
              + " at "
              + percent
              + "%, judged again over "
              + SpecDurations.format(hold)
              + ": the last check was "
              + report.verdict().wire()
              + ": "
              + report.detail());
    }
  }

  /**
   * How a held step of a gradual switch ended: a person's request came in, or it passed ({@code
   * failed} null), or {@code failed} says why not.
   */
  private record StepEnd(boolean interrupted, WatchLimits.Outcome failed) {}

  /** What a passing check saw: the requests it was based on, or the probes' detail. */
  private static String passed(AnalysisReport report) {
    return report.detail() != null
        ? report.detail()
        : "passed on " + report.requests() + " requests";
  }

  /**
   * Keeps the previous color ready for an instant switch back for cleanup_delay, then marks it
   * idle: from then on going back is a new deploy, checked like any other.
   */
  Outcome cleanup() {
    Duration delay = spec.strategy().cleanupDelay();
    String next = state.next;
    String previous = state.previous;
    enterStage(Stage.CLEANUP, null, delay);
    control.moveTo(
        Phase.PROGRESSING,
        next
            + " serves 100%; "
            + previous
            + " kept ready for an instant rollback until cleanup_delay "
            + SpecDurations.format(delay)
            + " has passed");
    control.notify(NotificationEvent.PROMOTED);
    Workflow.await(delay, interrupted::getAsBoolean);
    if (interrupted.getAsBoolean()) {
      return Outcome.INTERRUPTED;
    }
    finishStage("passed", previous + " idle");
    control.moveTo(
        Phase.PROMOTED,
        next + " serves 100% and is live; " + previous + " is idle, the next deploy targets it");
    control.notify(NotificationEvent.COMPLETED);
    return Outcome.NEXT;
  }

  /** The stage failed before traffic moved: the rollout ends Aborted on the previous color. */
  Outcome abortStage(String why) {
    finishStage("failed", why);
    colors.back(Phase.ABORTED, why);
    return Outcome.ENDED;
  }

  private void enterStage(Stage stage, String why, Duration endsIn) {
    state.stage = stage;
    state.stageStartedAt = now();
    state.stageEndsAt = endsIn == null ? null : now() + endsIn.toMillis();
    control.startStep(stage.number(), state.weight, stage.title());
    if (why != null) {
      control.moveTo(Phase.PROGRESSING, stage.title() + ": " + why);
    }
    if (stage != Stage.READINESS) {
      control.notify(NotificationEvent.STEP_ADVANCED);
    }
  }

  void finishStage(String outcome, String note) {
    markStage(outcome, note);
    state.stageEndsAt = null;
  }

  /** The current stage's record, if still open: its outcome so far, the weight now and a note. */
  void markStage(String outcome, String note) {
    Duration held = Duration.ofMillis(now() - state.stageStartedAt);
    String text = stageName() + (note == null ? "" : ": " + note);
    control.updateStep(
        step ->
            step.open()
                ? new StepRecord(step.number(), state.weight, step.startedAt(), outcome, held, text)
                : step);
  }

  String stageName() {
    return state.stage == null ? "" : state.stage.title();
  }

  private static long now() {
    return Workflow.currentTimeMillis();
  }
}
