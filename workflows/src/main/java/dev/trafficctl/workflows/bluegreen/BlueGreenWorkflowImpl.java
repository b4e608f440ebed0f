package dev.trafficctl.workflows.bluegreen;

import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.bluegreen.BlueGreenSpec;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.RolloutEvents;
import dev.trafficctl.workflows.RolloutIds;
import dev.trafficctl.workflows.RolloutPhase;
import dev.trafficctl.workflows.RolloutVisibility;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.control.SwitchRequest;
import dev.trafficctl.workflows.ports.HealthCheck;
import dev.trafficctl.workflows.ports.HealthChecker;
import dev.trafficctl.workflows.ports.HealthReport;
import dev.trafficctl.workflows.ports.InstanceHealth;
import dev.trafficctl.workflows.ports.MetricsProvider;
import dev.trafficctl.workflows.ports.MetricsQuery;
import dev.trafficctl.workflows.ports.MetricsSample;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.TrafficRouter;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.MetricCheck;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.status.StepRecord;
import dev.trafficctl.workflows.status.Verdict;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * The blue-green state machine: six stages (readiness, health check, promotion, switch, monitoring,
 * cleanup), each a step of the shared status model. Any stage can be cut short by an update
 * (switch-to-blue, rollback, switch, abort); the update handlers only record the request and the
 * main loop acts on it, so every router change happens in one place, in order.
 *
 * <p>Which color is live is read back from the router, not remembered: after a rollout the router
 * holds the new color at 100%, so the next deploy targets the other one.
 */
public class BlueGreenWorkflowImpl implements BlueGreenWorkflow {

  // The stages, as the status reports them in step / total_steps.

  public static final int READINESS = 1;
  public static final int HEALTH_CHECK = 2;
  public static final int PROMOTION = 3;
  public static final int SWITCH = 4;
  public static final int MONITORING = 5;
  public static final int CLEANUP = 6;
  private static final List<String> STAGE_NAMES =
      List.of("", "readiness", "health check", "promotion", "switch", "monitoring", "cleanup");

  /** Fewer requests than this in a window cannot show an error percentage; never a breach. */
  static final long MINIMUM_REQUESTS = 20;

  /**
   * Monitoring that cannot read metrics this many times in a row judges the new color as failed: a
   * watch that sees nothing must not pass.
   */
  static final int ERROR_LIMIT = 3;

  private static final Duration READINESS_INTERVAL = Duration.ofSeconds(1);
  private static final Logger log = Workflow.getLogger(BlueGreenWorkflowImpl.class);

  private final TrafficRouter router = ActivityStubs.router();
  private final MetricsProvider metrics = ActivityStubs.metrics();
  private HealthChecker health;
  private RolloutEvents events;

  private BlueGreenInput input;
  private BlueGreenSpec spec;
  private BlueGreenOptions options;
  private RouteTarget target;

  /** The color live when the rollout began; traffic returns here on any failure. */
  private String previous;

  /** The color the rollout moves traffic to. */
  private String next;

  private final RolloutPhase progress = new RolloutPhase(log);
  private int stage;
  private long stageStartedAt;
  private Long stageEndsAt;

  /** {@code next}'s percent of traffic now. */
  private int weight;

  private Integer nextWeight;
  private boolean gradual;
  private AnalysisReport lastAnalysis;
  private final List<StepRecord> steps = new ArrayList<>();
  private final List<ActionRecord> actions = new ArrayList<>();

  /** A request that cuts the current stage short. */
  private enum Interrupt {
    SWITCH_TO_BLUE,
    ROLLBACK,
    SWITCH,
    ABORT
  }

  // Control state: set by update handlers, consumed by the main loop.
  private Interrupt interrupt;
  private ControlRequest interruptBy;
  private SwitchRequest switchRequest;
  private boolean awaitingPromotion;
  private boolean awaitingDecision;
  private int promotions;
  private int errorsInRow;

  @Override
  public BlueGreenResult run(BlueGreenInput input) {
    this.input = input;
    WorkflowFailures.validate(input);
    spec = input.blueGreen();
    options = input.options();
    gradual = options.gradual();
    target = new RouteTarget(input.service(), input.env(), input.target());
    events = new RolloutEvents(spec.notification(), input.target().notifications());
    health = ActivityStubs.health(longestHealthCheck());
    placeColors(router.readWeights(target));
    publish();
    events.send(NotificationEvent.STARTED, status());
    try {
      runStages();
    } catch (CanceledFailure failure) {
      // Cancelled from outside: traffic goes back to the previous color even so, then the
      // cancellation completes the workflow.
      Workflow.newDetachedCancellationScope(
              () -> {
                switchBack(Phase.ABORTED, "cancelled");
                events.deliver();
              })
          .run();
      throw failure;
    } catch (ActivityFailure failure) {
      // A router change or a check failed for good: the safe state is the previous color. If
      // that change fails too, the workflow fails with its state readable.
      finishStage("failed", WorkflowFailures.rootMessage(failure));
      switchBack(
          weight > 0 ? Phase.ROLLED_BACK : Phase.ABORTED,
          stageName() + " failed: " + WorkflowFailures.rootMessage(failure));
    }
    events.deliver();
    return new BlueGreenResult(status());
  }

  /** The live color from the router; before any rollout, from the document's weights. */
  private void placeColors(RouteState state) {
    if (!state.weights().isEmpty()
        && state.weights().keySet().stream().noneMatch(Colors::isColor)) {
      throw WorkflowFailures.invalidInput(
          "the router's weights for "
              + input.service()
              + " in "
              + input.env()
              + " name neither blue nor green ("
              + String.join(", ", state.weights().keySet())
              + "): another strategy owns this traffic; move it to one color first");
    }
    int blue =
        state.weights().isEmpty()
            ? spec.environments().blue().weight()
            : state.weightOf(Colors.BLUE);
    int green =
        state.weights().isEmpty()
            ? spec.environments().green().weight()
            : state.weightOf(Colors.GREEN);
    previous = blue >= green ? Colors.BLUE : Colors.GREEN;
    next = options.switchTo() != null ? options.switchTo() : Colors.other(previous);
    if (next.equals(previous)) {
      throw WorkflowFailures.invalidInput(
          next
              + " already serves "
              + Math.max(blue, green)
              + "% of "
              + input.service()
              + " in "
              + input.env());
    }
    weight = next.equals(Colors.BLUE) ? blue : green;
  }

  private enum Outcome {
    NEXT,
    INTERRUPTED,
    ENDED
  }

  private void runStages() {
    int s = READINESS;
    while (s <= CLEANUP && !progress.phase().terminal()) {
      Outcome outcome =
          switch (s) {
            case READINESS -> readiness();
            case HEALTH_CHECK -> options.switchTo() == null ? healthCheck() : Outcome.NEXT;
            case PROMOTION -> options.switchTo() == null ? promotion() : Outcome.NEXT;
            case SWITCH -> switchTraffic();
            case MONITORING -> monitor();
            default -> cleanup();
          };
      switch (outcome) {
        case NEXT -> s++;
        case INTERRUPTED -> {
          Integer resumeAt = applyInterrupt();
          if (resumeAt == null) {
            return;
          }
          s = resumeAt;
        }
        case ENDED -> {
          return;
        }
      }
    }
  }

  // ---- stages ---------------------------------------------------------------------------------

  /** Every instance of the idle color answers its health endpoint within readiness_timeout. */
  private Outcome readiness() {
    List<String> addresses = addresses(next);
    Duration timeout = spec.traffic().readinessTimeout();
    enterStage(
        READINESS,
        "waiting for "
            + addresses.size()
            + " "
            + next
            + " instances to answer "
            + endpoint()
            + " (readiness_timeout "
            + SpecDurations.format(timeout)
            + ")",
        timeout);
    Optional<HealthReport> report =
        untilInterrupt(() -> health.awaitReady(healthCheck(next, timeout, READINESS_INTERVAL)));
    if (report.isEmpty()) {
      return Outcome.INTERRUPTED;
    }
    Optional<InstanceHealth> notReady = report.get().firstNotReady();
    if (notReady.isPresent()) {
      String why =
          "readiness: "
              + next
              + " instance "
              + notReady.get().address()
              + " did not answer "
              + endpoint()
              + " within "
              + SpecDurations.format(timeout)
              + " ("
              + notReady.get().lastProblem()
              + ")";
      finishStage("failed", why);
      switchBack(Phase.ABORTED, why);
      return Outcome.ENDED;
    }
    finishStage(
        "passed", addresses.size() + " of " + addresses.size() + " " + next + " instances ready");
    return Outcome.NEXT;
  }

  /** The idle color's health over health_check_timeout, against the health threshold. */
  private Outcome healthCheck() {
    Duration over = spec.strategy().healthCheckTimeout();
    double threshold = options.healthThreshold();
    enterStage(
        HEALTH_CHECK,
        "probing "
            + next
            + " for "
            + SpecDurations.format(over)
            + ": at least "
            + percent(threshold)
            + " of probes must answer 2xx",
        over);
    Optional<HealthReport> report =
        untilInterrupt(() -> health.probe(healthCheck(next, over, probeInterval(over, 20))));
    if (report.isEmpty()) {
      return Outcome.INTERRUPTED;
    }
    HealthReport r = report.get();
    boolean ok = r.probes() > 0 && r.successPercent() >= threshold;
    lastAnalysis =
        report(
            ok,
            new MetricCheck("health", r.successPercent(), threshold, true, "%", over, ok),
            r.probes(),
            describe(r, over));
    if (!ok) {
      String why =
          "health check: "
              + describe(r, over)
              + ", below the "
              + percent(threshold)
              + " threshold"
              + worstInstance(r);
      finishStage("failed", why);
      switchBack(Phase.ABORTED, why);
      return Outcome.ENDED;
    }
    finishStage("passed", describe(r, over));
    return Outcome.NEXT;
  }

  /** Waits for promote unless promotion is automatic; past switch_timeout the rollout aborts. */
  private Outcome promotion() {
    boolean automatic =
        options.autoPromote() != null ? options.autoPromote() : spec.strategy().autoPromote();
    if (automatic) {
      enterStage(PROMOTION, "promoting " + next + " automatically", null);
      finishStage("promoted", "automatically (auto_promote)");
      return Outcome.NEXT;
    }
    Duration timeout = spec.strategy().switchTimeout();
    enterStage(PROMOTION, null, timeout);
    awaitingPromotion = true;
    setPhase(
        Phase.PAUSED,
        "waiting for promote: "
            + next
            + " is ready and healthy; aborts after switch_timeout "
            + SpecDurations.format(timeout)
            + " without one");
    events.send(NotificationEvent.PAUSED, status());
    int seen = promotions;
    Workflow.await(timeout, () -> promotions != seen || interrupt != null);
    awaitingPromotion = false;
    if (interrupt != null) {
      return Outcome.INTERRUPTED;
    }
    if (promotions == seen) {
      String why =
          "no promote within switch_timeout "
              + SpecDurations.format(timeout)
              + ": "
              + next
              + " was never switched to";
      finishStage("failed", why);
      switchBack(Phase.ABORTED, why);
      return Outcome.ENDED;
    }
    finishStage("promoted", "by " + lastActor());
    setPhase(Phase.PROGRESSING, "promoted by " + lastActor());
    return Outcome.NEXT;
  }

  /** All traffic to the next color: at once, or in weight steps each judged on its errors. */
  private Outcome switchTraffic() {
    if (!gradual) {
      enterStage(SWITCH, "switching all traffic to " + next + " at once", null);
      setWeight(100, "switch: all traffic to " + next);
      finishStage("passed", "at once");
      return Outcome.NEXT;
    }
    List<Integer> plan = options.gradualSteps();
    enterStage(SWITCH, "switching to " + next + " in steps " + plan, null);
    List<String> done = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      int w = plan.get(i);
      nextWeight = i + 1 < plan.size() ? plan.get(i + 1) : null;
      setWeight(w, "gradual switch to " + next + ": " + w + "%");
      if (w == 100) {
        break;
      }
      Duration hold = options.stepDuration();
      stageEndsAt = now() + hold.toMillis();
      setPhase(
          Phase.PROGRESSING,
          "gradual switch: " + next + " at " + w + "%, judged over " + SpecDurations.format(hold));
      Optional<AnalysisReport> judged = judge(next, hold, hold);
      if (judged.isEmpty()) {
        return Outcome.INTERRUPTED;
      }
      if (judged.get().verdict() == Verdict.FAIL) {
        String why = "gradual switch at " + w + "%: " + judged.get().detail();
        finishStage("failed", why);
        switchBack(Phase.ROLLED_BACK, why);
        return Outcome.ENDED;
      }
      done.add(w + "% passed");
    }
    nextWeight = null;
    done.add("100%");
    finishStage("passed", String.join(", ", done));
    return Outcome.NEXT;
  }

  /** Watches the new color for monitor_duration; a breach switches back when automatic. */
  private Outcome monitor() {
    Duration duration =
        options.monitorDuration() != null
            ? options.monitorDuration()
            : spec.rollback().monitorDuration();
    double threshold = spec.rollback().failureThreshold();
    boolean automatic = spec.rollback().automatic();
    enterStage(
        MONITORING,
        "watching "
            + next
            + " for "
            + SpecDurations.format(duration)
            + ": more than "
            + percent(threshold)
            + " failed requests "
            + (automatic ? "switch back to " + previous : "pause for a decision"),
        duration);
    long end = now() + duration.toMillis();
    Duration interval = probeInterval(duration, 10);
    while (now() < end) {
      Duration hold = Duration.ofMillis(Math.min(interval.toMillis(), end - now()));
      Duration window =
          Duration.ofMillis(
              Math.max(
                  interval.toMillis(), Math.min(60_000, now() + hold.toMillis() - stageStartedAt)));
      Optional<AnalysisReport> judged = judge(next, hold, window);
      if (judged.isEmpty()) {
        return Outcome.INTERRUPTED;
      }
      errorsInRow = judged.get().verdict() == Verdict.ERROR ? errorsInRow + 1 : 0;
      boolean blind = errorsInRow >= ERROR_LIMIT;
      if (judged.get().verdict() != Verdict.FAIL && !blind) {
        continue;
      }
      String why =
          "after the switch: "
              + (blind ? ERROR_LIMIT + " checks in a row could not read metrics: " : "")
              + judged.get().detail();
      if (automatic) {
        finishStage("failed", why);
        switchBack(Phase.ROLLED_BACK, why);
        return Outcome.ENDED;
      }
      awaitingDecision = true;
      setPhase(
          Phase.PAUSED,
          why + "; rollback.automatic is false: rollback, or promote to keep " + next);
      markStage("paused", why);
      events.send(NotificationEvent.PAUSED, status());
      int seen = promotions;
      Workflow.await(() -> promotions != seen || interrupt != null);
      awaitingDecision = false;
      if (interrupt != null) {
        return Outcome.INTERRUPTED;
      }
      finishStage("promoted", "kept by " + lastActor() + " despite: " + judged.get().detail());
      return Outcome.NEXT;
    }
    finishStage("passed", "no breach in " + SpecDurations.format(duration));
    return Outcome.NEXT;
  }

  /**
   * Keeps the previous color ready for an instant switch back for cleanup_delay, then marks it
   * idle: from then on going back is a new deploy, checked like any other.
   */
  private Outcome cleanup() {
    Duration delay = spec.strategy().cleanupDelay();
    enterStage(CLEANUP, null, delay);
    setPhase(
        Phase.PROGRESSING,
        next
            + " serves 100%; "
            + previous
            + " kept ready for an instant rollback until cleanup_delay "
            + SpecDurations.format(delay)
            + " has passed");
    events.send(NotificationEvent.PROMOTED, status());
    Workflow.await(delay, () -> interrupt != null);
    if (interrupt != null) {
      return Outcome.INTERRUPTED;
    }
    finishStage("passed", previous + " idle");
    setPhase(
        Phase.PROMOTED,
        next + " serves 100% and is live; " + previous + " is idle, the next deploy targets it");
    events.send(NotificationEvent.COMPLETED, status());
    return Outcome.NEXT;
  }

  /**
   * Acts on the pending interrupt. Returns the stage to go on with, or null when the rollout ended.
   */
  private Integer applyInterrupt() {
    Interrupt what = interrupt;
    ControlRequest by = interruptBy;
    SwitchRequest request = switchRequest;
    interrupt = null;
    switchRequest = null;
    String who = who(by.by()) + (by.reason() == null ? "" : ": \"" + by.reason() + "\"");
    switch (what) {
      case SWITCH_TO_BLUE -> {
        if (Colors.BLUE.equals(next)) {
          finishStage("skipped", "switch-to-blue by " + who);
          gradual = false;
          return SWITCH;
        }
        finishStage("stopped", "switch-to-blue by " + who);
        switchBack(Phase.ROLLED_BACK, "switched to blue by " + who);
        return null;
      }
      case ROLLBACK -> {
        finishStage("stopped", "rollback by " + who);
        switchBack(Phase.ROLLED_BACK, "rolled back by " + who);
        return null;
      }
      case ABORT -> {
        finishStage("aborted", "by " + who);
        switchBack(Phase.ABORTED, "aborted by " + who);
        return null;
      }
      default -> {
        if (request.to().equals(next)) {
          finishStage("skipped", "switch to " + next + " by " + who);
          gradual = request.gradual();
          return SWITCH;
        }
        finishStage("stopped", "switch to " + previous + " by " + who);
        if (request.gradual() && weight > 0) {
          switchBackGradually(who);
          return null;
        }
        switchBack(Phase.ROLLED_BACK, "switched to " + previous + " by " + who);
        return null;
      }
    }
  }

  /** Back to the previous color in the gradual steps, each judged; always ends the rollout. */
  private void switchBackGradually(String who) {
    List<Integer> plan = options.gradualSteps();
    for (int share : plan) {
      if (share == 100 || 100 - share >= weight) {
        continue;
      }
      setWeight(100 - share, "gradual switch back to " + previous + ": " + share + "%");
      setPhase(Phase.ROLLING_BACK, "gradual switch back: " + previous + " at " + share + "%");
      // Updates are refused while rolling back, so nothing interrupts this judgement.
      Optional<AnalysisReport> judged =
          judge(previous, options.stepDuration(), options.stepDuration());
      if (judged.isPresent() && judged.get().verdict() == Verdict.FAIL) {
        log.warn("{} is failing too while switching back: {}", previous, judged.get().detail());
      }
    }
    switchBack(Phase.ROLLED_BACK, "switched to " + previous + " gradually by " + who);
  }

  /** Ends the rollout with all traffic on the previous color, moving it there when needed. */
  private void switchBack(Phase terminal, String reason) {
    boolean moved = weight > 0;
    String refused = null;
    if (moved) {
      setPhase(Phase.ROLLING_BACK, reason);
      try {
        setWeight(0, "back to " + previous + ": " + reason);
      } catch (ActivityFailure failure) {
        // The router refused this change too and kept its last known good configuration: safe
        // only if that one already sends the next color nothing.
        if (router.readWeights(target).weightOf(next) != 0) {
          throw failure;
        }
        weight = 0;
        refused = WorkflowFailures.rootMessage(failure);
      }
    }
    nextWeight = null;
    stageEndsAt = null;
    setPhase(
        terminal,
        reason
            + "; "
            + previous
            + " serves 100%"
            + (moved ? "" : ", traffic never moved")
            + (refused == null ? "" : " (the router kept its last known good: " + refused + ")"));
    events.send(
        terminal == Phase.ABORTED ? NotificationEvent.ABORTED : NotificationEvent.ROLLED_BACK,
        status());
  }

  // ---- judging --------------------------------------------------------------------------------

  /**
   * Holds for {@code hold}, then judges {@code color}'s failed requests against the failure
   * threshold: on the catalog's metrics over {@code window} when it has a source, else on health
   * probes taken during the hold. Empty when an interrupt came first.
   */
  private Optional<AnalysisReport> judge(String color, Duration hold, Duration window) {
    double threshold = spec.rollback().failureThreshold();
    if (input.target().metrics() == null) {
      long holdEnd = now() + hold.toMillis();
      Optional<HealthReport> probed =
          untilInterrupt(() -> health.probe(healthCheck(color, hold, probeInterval(hold, 5))));
      // The probe returns at its deadline; should it return early, the hold still lasts.
      if (probed.isEmpty()
          || Workflow.await(
              Duration.ofMillis(Math.max(0, holdEnd - now())), () -> interrupt != null)) {
        return Optional.empty();
      }
      HealthReport r = probed.get();
      double failed = 100 - r.successPercent();
      boolean ok = r.probes() == 0 || failed <= threshold;
      return Optional.of(
          publishAnalysis(
              report(
                  ok,
                  new MetricCheck("health_errors", failed, threshold, false, "%", hold, ok),
                  r.probes(),
                  percent(failed)
                      + " of "
                      + r.probes()
                      + " health probes of "
                      + color
                      + " failed over "
                      + SpecDurations.format(hold)
                      + " (threshold "
                      + percent(threshold)
                      + ")"
                      + worstInstance(r))));
    }
    if (Workflow.await(hold, () -> interrupt != null)) {
      return Optional.empty();
    }
    MetricsSample sample;
    try {
      sample =
          metrics.sample(
              new MetricsQuery(
                  input.service(), input.env(), color, input.target().metrics(), window, 95));
    } catch (ActivityFailure failure) {
      // Not a breach: unreadable metrics say nothing about the color. The next interval retries.
      return Optional.of(
          publishAnalysis(
              new AnalysisReport(
                  Instant.ofEpochMilli(now()),
                  Verdict.ERROR,
                  List.of(),
                  0,
                  MINIMUM_REQUESTS,
                  "metrics unavailable: " + WorkflowFailures.rootMessage(failure))));
    }
    double failed = sample.errorRatePercent();
    boolean enough = sample.requests() >= MINIMUM_REQUESTS;
    boolean ok = failed <= threshold;
    String detail =
        "error_rate "
            + percent(failed)
            + (ok ? " <= " : " > ")
            + percent(threshold)
            + " on "
            + color
            + " over "
            + SpecDurations.format(window)
            + " ("
            + sample.failures()
            + " of "
            + sample.requests()
            + " requests failed)";
    AnalysisReport report =
        new AnalysisReport(
            Instant.ofEpochMilli(now()),
            !enough ? Verdict.INCONCLUSIVE : ok ? Verdict.PASS : Verdict.FAIL,
            List.of(new MetricCheck("error_rate", failed, threshold, false, "%", window, ok)),
            sample.requests(),
            MINIMUM_REQUESTS,
            enough ? detail : "too few requests to judge: " + detail);
    return Optional.of(publishAnalysis(report));
  }

  private AnalysisReport publishAnalysis(AnalysisReport report) {
    lastAnalysis = report;
    RolloutVisibility.publishMemo(status());
    if (report.verdict() == Verdict.FAIL) {
      events.send(NotificationEvent.ANALYSIS_FAILED, status());
    }
    return report;
  }

  private AnalysisReport report(boolean ok, MetricCheck check, long probes, String detail) {
    return new AnalysisReport(
        Instant.ofEpochMilli(now()),
        ok ? Verdict.PASS : Verdict.FAIL,
        List.of(check),
        probes,
        0,
        detail);
  }

  /**
   * Runs an activity, returning its result, or empty as soon as an interrupt arrives (the activity
   * is then cancelled: a person's switch must not wait out a 2-minute health check).
   */
  private <R> Optional<R> untilInterrupt(Functions.Func<R> activity) {
    List<Promise<R>> started = new ArrayList<>(1);
    CancellationScope scope =
        Workflow.newCancellationScope(() -> started.add(Async.function(activity)));
    scope.run();
    Promise<R> result = started.get(0);
    Workflow.await(() -> result.isCompleted() || interrupt != null);
    if (!result.isCompleted()) {
      scope.cancel();
      return Optional.empty();
    }
    return Optional.of(result.get());
  }

  private HealthCheck healthCheck(String color, Duration over, Duration interval) {
    return new HealthCheck(
        input.service(),
        input.env(),
        color,
        addresses(color),
        endpoint(),
        Instant.ofEpochMilli(now() + over.toMillis()),
        interval,
        input.target().health().timeout());
  }

  /** About {@code rounds} rounds over {@code over}, between 200 ms and 5 s apart. */
  private static Duration probeInterval(Duration over, int rounds) {
    return Duration.ofMillis(Math.max(200, Math.min(5_000, over.toMillis() / rounds)));
  }

  /** The longest a single health check of this rollout may run, for the activity's timeouts. */
  private Duration longestHealthCheck() {
    Duration longest = spec.traffic().readinessTimeout();
    for (Duration d :
        List.of(
            spec.strategy().healthCheckTimeout(),
            options.stepDuration(),
            probeInterval(spec.rollback().monitorDuration(), 10),
            Duration.ofSeconds(5))) {
      longest = d.compareTo(longest) > 0 ? d : longest;
    }
    return longest;
  }

  private String endpoint() {
    return spec.traffic().healthEndpoint() != null
        ? spec.traffic().healthEndpoint()
        : input.target().health().endpoint();
  }

  private List<String> addresses(String color) {
    return input.target().versions().get(color).servers();
  }

  private static String describe(HealthReport r, Duration over) {
    return percent(r.successPercent())
        + " of "
        + r.probes()
        + " probes answered 2xx over "
        + SpecDurations.format(over);
  }

  private static String worstInstance(HealthReport r) {
    return r.instances().stream()
        .filter(i -> i.lastProblem() != null)
        .min((a, b) -> Long.compare(a.successes() * b.probes(), b.successes() * a.probes()))
        .map(i -> " (" + i.address() + ": " + i.lastProblem() + ")")
        .orElse("");
  }

  private static String percent(double value) {
    return value == Math.rint(value)
        ? String.format(Locale.ROOT, "%.0f%%", value)
        : String.format(Locale.ROOT, "%.1f%%", value);
  }

  // ---- state ----------------------------------------------------------------------------------

  private void enterStage(int n, String why, Duration endsIn) {
    stage = n;
    stageStartedAt = now();
    stageEndsAt = endsIn == null ? null : now() + endsIn.toMillis();
    steps.add(
        new StepRecord(
            n, weight, Instant.ofEpochMilli(now()), "running", Duration.ZERO, stageName()));
    if (why != null) {
      setPhase(Phase.PROGRESSING, STAGE_NAMES.get(n) + ": " + why);
    }
    if (n > READINESS) {
      events.send(NotificationEvent.STEP_ADVANCED, status());
    }
  }

  private void finishStage(String outcome, String note) {
    markStage(outcome, note);
    stageEndsAt = null;
  }

  private void markStage(String outcome, String note) {
    if (steps.isEmpty()) {
      return;
    }
    StepRecord current = steps.get(steps.size() - 1);
    if (!current.outcome().equals("running") && !current.outcome().equals("paused")) {
      return;
    }
    steps.set(
        steps.size() - 1,
        new StepRecord(
            current.number(),
            weight,
            current.startedAt(),
            outcome,
            Duration.ofMillis(now() - current.startedAt().toEpochMilli()),
            stageName() + (note == null ? "" : ": " + note)));
  }

  private String stageName() {
    return STAGE_NAMES.get(stage);
  }

  private void setWeight(int percent, String reason) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    weights.put(previous, 100 - percent);
    weights.put(next, percent);
    router.setWeights(new RouteChange(target, weights, reason));
    weight = percent;
    publish();
  }

  private void setPhase(Phase to, String why) {
    progress.moveTo(to, why);
    publish();
  }

  private void publish() {
    RolloutVisibility.publish(status(), options.version() != null ? options.version() : next);
  }

  // ---- updates --------------------------------------------------------------------------------

  @Override
  public void validatePromote(ControlRequest request) {
    rejectWhenEnded();
    if (!awaitingPromotion && !awaitingDecision) {
      throw rejected(
          "not waiting for promotion ("
              + (stage == 0 ? "starting" : stageName())
              + "): "
              + progress.message());
    }
  }

  @Override
  public RolloutStatus promote(ControlRequest request) {
    record("promote", request);
    promotions++;
    return status();
  }

  @Override
  public void validateSwitchToBlue(ControlRequest request) {
    rejectWhenEnded();
    // Blue live and serving everything: switch-to-blue still ends the rollout there.
    if (Colors.BLUE.equals(next) && stage >= SWITCH) {
      throw rejected("already switching to blue: " + progress.message());
    }
  }

  @Override
  public RolloutStatus switchToBlue(ControlRequest request) {
    return interrupt(Interrupt.SWITCH_TO_BLUE, "switch-to-blue", request);
  }

  @Override
  public void validateRollback(ControlRequest request) {
    rejectWhenEnded();
  }

  @Override
  public RolloutStatus rollback(ControlRequest request) {
    return interrupt(Interrupt.ROLLBACK, "rollback", request);
  }

  @Override
  public void validateSwitchColors(SwitchRequest request) {
    rejectWhenEnded();
    if (!Colors.isColor(request.from()) || !Colors.isColor(request.to())) {
      throw rejected("--from and --to must be blue or green");
    }
    if (request.from().equals(request.to())) {
      throw rejected("--from and --to are both " + request.to());
    }
    if (weightOf(request.from()) == 0) {
      throw rejected(request.from() + " serves nothing now; " + request.to() + " serves 100%");
    }
    if (request.to().equals(next) && stage >= SWITCH) {
      throw rejected("already switching to " + next + ": " + progress.message());
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

  @Override
  public void validateAbort(ControlRequest request) {
    rejectWhenEnded();
    request.requireReason("abort");
  }

  @Override
  public RolloutStatus abort(ControlRequest request) {
    return interrupt(Interrupt.ABORT, "abort", request);
  }

  private RolloutStatus interrupt(Interrupt what, String action, ControlRequest request) {
    record(action, request);
    interrupt = what;
    interruptBy = request;
    progress.say(action + " requested by " + who(request.by()) + "; " + progress.message());
    RolloutVisibility.publishMemo(status());
    return status();
  }

  private int weightOf(String color) {
    return color.equals(next) ? weight : 100 - weight;
  }

  private void rejectWhenEnded() {
    if (input == null || spec == null || next == null) {
      throw rejected("the blue-green rollout is still starting; try again in a moment");
    }
    if (progress.phase().terminal()) {
      throw rejected(
          "the blue-green rollout has ended ("
              + progress.phase().display()
              + "): "
              + progress.message());
    }
    if (progress.phase() == Phase.ROLLING_BACK || interrupt != null) {
      throw rejected("the rollout is already acting on a request: " + progress.message());
    }
  }

  private static IllegalStateException rejected(String why) {
    return new IllegalStateException(why);
  }

  private void record(String action, ControlRequest request) {
    actions.add(
        new ActionRecord(Instant.ofEpochMilli(now()), action, who(request.by()), request.reason()));
  }

  private String lastActor() {
    return actions.isEmpty() ? "trafficctl" : actions.get(actions.size() - 1).by();
  }

  private static String who(String by) {
    return by == null || by.isBlank() ? "unknown" : by;
  }

  // ---- status ---------------------------------------------------------------------------------

  @Override
  public RolloutStatus status() {
    long now = now();
    boolean timed = stageEndsAt != null && !progress.phase().terminal();
    return new RolloutStatus(
        input == null ? null : RolloutIds.workflowId(input.env(), input.service()),
        input == null ? null : input.service(),
        input == null ? null : input.env(),
        "blue-green",
        previous,
        next,
        progress.phase(),
        progress.message(),
        stage,
        CLEANUP,
        weight,
        nextWeight,
        progress.since(),
        timed ? Duration.ofMillis(Math.max(0, stageEndsAt - now)) : null,
        timed ? Instant.ofEpochMilli(stageEndsAt) : null,
        lastAnalysis,
        steps,
        actions,
        Instant.ofEpochMilli(now),
        events == null ? List.of() : events.failures());
  }

  private static long now() {
    return Workflow.currentTimeMillis();
  }
}
