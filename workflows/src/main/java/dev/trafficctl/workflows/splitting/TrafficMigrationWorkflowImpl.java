package dev.trafficctl.workflows.splitting;

import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.HistoryBudget;
import dev.trafficctl.workflows.RolloutIds;
import dev.trafficctl.workflows.RolloutPhase;
import dev.trafficctl.workflows.RolloutVisibility;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.canary.AnalysisJudge;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.ports.MetricsProvider;
import dev.trafficctl.workflows.ports.MetricsQuery;
import dev.trafficctl.workflows.ports.MetricsSample;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.TrafficRouter;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.status.StepRecord;
import dev.trafficctl.workflows.status.Verdict;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The migration loop: a move at once, then one every interval, each preceded by an analysis of the
 * destination when the input has criteria. Only {@code from} and {@code to} change; other versions
 * keep their weights. Pause stops the clock (analysis goes on); abort puts back the weights in
 * force at the start.
 *
 * <p>A pause, or analyses that stay inconclusive, hold it an interval after another for as long as
 * they last; past {@value HistoryBudget#EVENTS} history events it continues as new, carrying {@link
 * MigrationState}.
 */
public class TrafficMigrationWorkflowImpl implements TrafficMigrationWorkflow {

  private static final Logger log = Workflow.getLogger(TrafficMigrationWorkflowImpl.class);

  private final TrafficRouter router = ActivityStubs.router();
  private final MetricsProvider metrics = ActivityStubs.metrics();

  private MigrationInput input;
  private RouteTarget target;
  private Map<String, Integer> start = Map.of();
  private Map<String, Integer> current = Map.of();

  /** The weights before the latest move: where a breach with on_breach last_good returns. */
  private Map<String, Integer> beforeLastMove = Map.of();

  private final RolloutPhase progress = new RolloutPhase(log);
  private int step;
  private int totalSteps;
  private Long nextMoveAt;
  private long remainingMillis;
  private AnalysisReport lastAnalysis;
  private final List<StepRecord> steps = new ArrayList<>();
  private final List<ActionRecord> actions = new ArrayList<>();

  private boolean paused;
  private ControlRequest abortRequest;
  private int controlVersion;

  @Override
  public MigrationResult run(MigrationInput input) {
    this.input = input;
    WorkflowFailures.validate(input);
    target = new RouteTarget(input.service(), input.env(), input.target());
    MigrationState carried = input.carried();
    if (carried == null) {
      begin();
    } else {
      carryOn(carried);
    }
    try {
      if (carried == null) {
        move();
      }
      boolean carriedOn = carried != null;
      while (current.get(input.from()) > 0) {
        if (!holdInterval(carriedOn)) {
          return end();
        }
        carriedOn = false;
        if (input.criteria() != null) {
          Verdict verdict = analyse();
          if (verdict == Verdict.FAIL) {
            breach();
            return end();
          }
          if (verdict != Verdict.PASS) {
            // Inconclusive or unreadable: no move on a measurement that says nothing.
            progress.say("holding at " + weightOfTo() + "%: " + lastAnalysis.detail());
            publish();
            continue;
          }
        }
        move();
      }
      setPhase(
          Phase.PROMOTED,
          input.to()
              + " serves "
              + weightOfTo()
              + "%, "
              + input.from()
              + " nothing: "
              + SplitWeights.describe(current));
    } catch (ActivityFailure failure) {
      // A move the router refused for good: back to where the migration began.
      restore(start, Phase.ROLLED_BACK, "a move failed: " + WorkflowFailures.rootMessage(failure));
    }
    return end();
  }

  /**
   * Reads the weights in force and plans the moves; fails the input when the source serves none.
   */
  private void begin() {
    start = new LinkedHashMap<>(router.readWeights(target).weights());
    int source = start.getOrDefault(input.from(), 0);
    if (source == 0) {
      throw WorkflowFailures.invalidInput(
          input.from()
              + " serves nothing of "
              + input.service()
              + " in "
              + input.env()
              + (start.isEmpty() ? " (the router has no weights yet: split first)" : "")
              + "; nothing to migrate");
    }
    totalSteps = (source + input.rate() - 1) / input.rate();
    current = new LinkedHashMap<>(start);
    current.putIfAbsent(input.to(), 0);
    beforeLastMove = new LinkedHashMap<>(current);
    publish();
  }

  private MigrationState state() {
    return new MigrationState(
        start,
        current,
        beforeLastMove,
        step,
        totalSteps,
        remainingMillis,
        paused,
        progress.phase(),
        progress.message(),
        progress.since(),
        lastAnalysis,
        steps,
        actions);
  }

  /** A continued run picks up the state its previous run carried, and publishes it again. */
  private void carryOn(MigrationState s) {
    start = new LinkedHashMap<>(s.start());
    current = new LinkedHashMap<>(s.current());
    beforeLastMove = new LinkedHashMap<>(s.beforeLastMove());
    step = s.step();
    totalSteps = s.totalSteps();
    remainingMillis = s.remainingMillis();
    paused = s.paused();
    progress.carryOn(s.phase(), s.message(), s.phaseSince().toEpochMilli());
    lastAnalysis = s.lastAnalysis();
    steps.addAll(s.steps());
    actions.addAll(s.actions());
    publish();
    RolloutVisibility.publishMemo(status());
  }

  private MigrationResult end() {
    nextMoveAt = null;
    publish();
    return new MigrationResult(status());
  }

  /** Moves {@code rate} points (or what is left) from {@code from} to {@code to}. */
  private void move() {
    int shift = Math.min(input.rate(), current.get(input.from()));
    Map<String, Integer> next = new LinkedHashMap<>(current);
    next.put(input.from(), current.get(input.from()) - shift);
    next.put(input.to(), current.get(input.to()) + shift);
    router.setWeights(
        new RouteChange(
            target,
            next,
            "migration " + input.from() + " -> " + input.to() + ": step " + (step + 1)));
    beforeLastMove = current;
    current = next;
    step++;
    steps.add(
        new StepRecord(
            step,
            weightOfTo(),
            Instant.ofEpochMilli(now()),
            "done",
            Duration.ZERO,
            SplitWeights.describe(current)));
    if (!paused) {
      setPhase(
          Phase.PROGRESSING,
          "step " + step + " of " + totalSteps + ": " + SplitWeights.describe(current));
    }
  }

  /**
   * Waits one interval of clock time (paused time does not count), analysing every interval while
   * paused. Returns false when the migration ended meanwhile (aborted, or a breach while paused). A
   * continued run ({@code carriedOn}) waits what was left of the interval its previous run was in.
   */
  private boolean holdInterval(boolean carriedOn) {
    long interval = input.interval().toMillis();
    if (!carriedOn) {
      remainingMillis = interval;
    }
    while (true) {
      if (HistoryBudget.spent()) {
        HistoryBudget.handOver(() -> abortRequest != null, () -> input.carryingOn(state()));
      }
      boolean wasPaused = paused;
      long sliceStart = now();
      nextMoveAt = wasPaused ? null : sliceStart + remainingMillis;
      publish();
      int seen = controlVersion;
      boolean control =
          Workflow.await(
              Duration.ofMillis(Math.max(1, wasPaused ? interval : remainingMillis)),
              () -> controlVersion != seen || abortRequest != null);
      if (!wasPaused) {
        remainingMillis -= now() - sliceStart;
      }
      if (abortRequest != null) {
        restore(
            start,
            Phase.ABORTED,
            "aborted by " + abortRequest.by() + ": \"" + abortRequest.reason() + "\"");
        return false;
      }
      if (wasPaused && !control && input.criteria() != null && analyse() == Verdict.FAIL) {
        breach();
        return false;
      }
      if (!paused && remainingMillis <= 0) {
        return true;
      }
    }
  }

  private Verdict analyse() {
    Map<Duration, MetricsSample> samples = new LinkedHashMap<>();
    try {
      for (Duration window : input.criteria().windows()) {
        samples.put(
            window,
            metrics.sample(
                new MetricsQuery(
                    input.service(),
                    input.env(),
                    input.to(),
                    input.target().metrics(),
                    window,
                    input.criteria().latencyPercentile())));
      }
      lastAnalysis = AnalysisJudge.judge(input.criteria(), samples, Instant.ofEpochMilli(now()));
    } catch (ActivityFailure failure) {
      lastAnalysis =
          new AnalysisReport(
              Instant.ofEpochMilli(now()),
              Verdict.ERROR,
              List.of(),
              0,
              input.criteria().minimumRequests(),
              "metrics unavailable: " + WorkflowFailures.rootMessage(failure));
    }
    RolloutVisibility.publishMemo(status());
    return lastAnalysis.verdict();
  }

  private void breach() {
    Map<String, Integer> back =
        input.onBreach() == OnBreach.SOURCE ? toSource() : new LinkedHashMap<>(beforeLastMove);
    restore(
        back,
        Phase.ROLLED_BACK,
        "analysis failed: "
            + lastAnalysis.detail()
            + "; back to "
            + (input.onBreach() == OnBreach.SOURCE ? "the source" : "the last good weights"));
  }

  /** All the traffic moved so far back on {@code from}. */
  private Map<String, Integer> toSource() {
    Map<String, Integer> back = new LinkedHashMap<>(current);
    back.put(
        input.from(),
        current.get(input.from()) + current.get(input.to()) - start.getOrDefault(input.to(), 0));
    back.put(input.to(), start.getOrDefault(input.to(), 0));
    return back;
  }

  private void restore(Map<String, Integer> weights, Phase terminal, String why) {
    setPhase(Phase.ROLLING_BACK, why);
    router.setWeights(new RouteChange(target, weights, "migration ended: " + why));
    current = new LinkedHashMap<>(weights);
    setPhase(terminal, why + "; in force: " + SplitWeights.describe(current));
  }

  private int weightOfTo() {
    return current.getOrDefault(input.to(), 0);
  }

  private void setPhase(Phase next, String why) {
    progress.moveTo(next, why);
    publish();
  }

  private void publish() {
    RolloutVisibility.publish(status(), input.to());
  }

  // ---- updates --------------------------------------------------------------------------------

  @Override
  public void validatePause(ControlRequest request) {
    rejectWhenEnded();
    if (paused) {
      throw new IllegalStateException("already paused: " + progress.message());
    }
  }

  @Override
  public RolloutStatus pause(ControlRequest request) {
    record("pause", request);
    paused = true;
    setPhase(Phase.PAUSED, "paused by " + request.by() + reason(request));
    controlVersion++;
    return status();
  }

  @Override
  public void validateResume(ControlRequest request) {
    rejectWhenEnded();
    if (!paused) {
      throw new IllegalStateException("not paused (" + progress.phase().display() + ")");
    }
  }

  @Override
  public RolloutStatus resume(ControlRequest request) {
    record("resume", request);
    paused = false;
    setPhase(Phase.PROGRESSING, "resumed by " + request.by() + reason(request));
    controlVersion++;
    return status();
  }

  @Override
  public void validateAbort(ControlRequest request) {
    rejectWhenEnded();
    request.requireReason("abort");
  }

  @Override
  public RolloutStatus abort(ControlRequest request) {
    record("abort", request);
    abortRequest = request;
    controlVersion++;
    return status();
  }

  private void rejectWhenEnded() {
    if (input == null || target == null) {
      throw new IllegalStateException("the migration is still starting; try again in a moment");
    }
    if (progress.phase().terminal()
        || progress.phase() == Phase.ROLLING_BACK
        || abortRequest != null) {
      throw new IllegalStateException(
          "the migration has ended or is ending: " + progress.message());
    }
  }

  private void record(String action, ControlRequest request) {
    actions.add(
        new ActionRecord(Instant.ofEpochMilli(now()), action, request.by(), request.reason()));
  }

  private static String reason(ControlRequest request) {
    return request.reason() == null ? "" : ": \"" + request.reason() + "\"";
  }

  // ---- status ---------------------------------------------------------------------------------

  @Override
  public RolloutStatus status() {
    long now = now();
    boolean running = input != null && !progress.phase().terminal();
    Integer nextWeight = null;
    if (running && current.getOrDefault(input.from(), 0) > 0) {
      nextWeight = weightOfTo() + Math.min(input.rate(), current.get(input.from()));
    }
    return new RolloutStatus(
        input == null ? null : RolloutIds.workflowId(input.env(), input.service()),
        input == null ? null : input.service(),
        input == null ? null : input.env(),
        "migration",
        input == null ? null : input.from(),
        input == null ? null : input.to(),
        progress.phase(),
        progress.message()
            + (running && nextMoveAt != null && totalSteps > step
                ? "; about "
                    + SpecDurations.format(
                        Duration.ofMillis(
                            Math.max(0, nextMoveAt - now)
                                + (long) (totalSteps - step - 1) * input.interval().toMillis()))
                    + " to go"
                : ""),
        step,
        totalSteps,
        input == null ? 0 : weightOfTo(),
        nextWeight,
        progress.since(),
        running && step > 0
            ? Duration.ofMillis(
                Math.max(0, paused ? remainingMillis : nextMoveAt == null ? 0 : nextMoveAt - now))
            : null,
        running && !paused && nextMoveAt != null ? Instant.ofEpochMilli(nextMoveAt) : null,
        lastAnalysis,
        steps,
        actions,
        Instant.ofEpochMilli(now),
        List.of());
  }

  private static long now() {
    return Workflow.currentTimeMillis();
  }
}
