package dev.trafficctl.workflows.splitting;

import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.Weights;
import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.HistoryBudget;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.analysis.MetricsAnalysis;
import dev.trafficctl.workflows.control.DriftCheck;
import dev.trafficctl.workflows.control.PausableControlledRollout;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.TrafficRouter;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.status.StepRecord;
import dev.trafficctl.workflows.status.Verdict;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The migration loop: a move at once, then one every interval, each preceded by an analysis of the
 * destination when the input has criteria. Only {@code from} and {@code to} change; other versions
 * keep their weights.
 *
 * <p>A pause, or analyses that stay inconclusive, hold it an interval after another for as long as
 * they last; past {@value HistoryBudget#EVENTS} history events it continues as new, carrying {@link
 * MigrationState}.
 */
public class TrafficMigrationWorkflowImpl extends PausableControlledRollout
    implements TrafficMigrationWorkflow {

  private static final Logger log = Workflow.getLogger(TrafficMigrationWorkflowImpl.class);

  private final TrafficRouter router = ActivityStubs.router();

  private MigrationInput input;
  private RouteTarget target;
  private MetricsAnalysis analysis;
  private DriftCheck drift;
  private MigrationState state = new MigrationState();

  /** When the next move is due; null while paused or ended. */
  private Long nextMoveAt;

  public TrafficMigrationWorkflowImpl() {
    super("the migration", log);
  }

  @Override
  public MigrationResult run(MigrationInput input) {
    this.input = input;
    WorkflowFailures.validate(input);
    target = input.routeTarget();
    analysis = new MetricsAnalysis(target);
    drift = new DriftCheck(control, target);
    boolean carriedOn = input.carried() != null;
    state = control.begin(input, input.carried(), state, input::to);
    if (carriedOn) {
      control.publish();
      control.publishMemo();
    } else {
      begin();
    }
    try {
      if (!carriedOn) {
        move();
      }
      while (state.current.get(input.from()) > 0) {
        if (!holdInterval(carriedOn)) {
          return end();
        }
        carriedOn = false;
        if (input.criteria() != null) {
          if (checkDrift()) {
            continue; // paused: no move until a person resumes
          }
          Verdict verdict = analyse();
          if (verdict == Verdict.FAIL) {
            breach();
            return end();
          }
          if (verdict != Verdict.PASS) {
            // Inconclusive or unreadable: no move on a measurement that says nothing.
            control.say("holding at " + weightOfTo() + "%: " + control.lastAnalysis().detail());
            control.publish();
            continue;
          }
        }
        move();
      }
      control.moveTo(
          Phase.PROMOTED,
          input.to()
              + " serves "
              + weightOfTo()
              + "%, "
              + input.from()
              + " nothing: "
              + SplitWeights.describe(state.current));
    } catch (ActivityFailure failure) {
      // A move the router refused for good: back to where the migration began.
      restore(
          state.start,
          Phase.ROLLED_BACK,
          "a move failed: " + WorkflowFailures.rootMessage(failure));
    }
    return end();
  }

  /**
   * Reads the weights in force and plans the moves; fails the input when the source serves none.
   */
  private void begin() {
    state.start = new LinkedHashMap<>(control.inForce(router.read(target)).weights());
    if (!state.start.isEmpty()) {
      // Moves keep the sum; weights that are not weights (a state file edited by hand) stop here.
      Weights.problem(state.start)
          .ifPresent(
              p -> {
                throw WorkflowFailures.invalidInput("the weights in force: " + p);
              });
    }
    int source = state.start.getOrDefault(input.from(), 0);
    if (source == 0) {
      throw WorkflowFailures.invalidInput(
          input.from()
              + " serves nothing of "
              + input.service()
              + " in "
              + input.env()
              + (state.start.isEmpty() ? " (the router has no weights yet: split first)" : "")
              + "; nothing to migrate");
    }
    state.totalSteps = (source + input.rate() - 1) / input.rate();
    state.current = new LinkedHashMap<>(state.start);
    state.current.putIfAbsent(input.to(), 0);
    state.beforeLastMove = new LinkedHashMap<>(state.current);
    control.publish();
  }

  private MigrationResult end() {
    nextMoveAt = null;
    control.publish();
    return new MigrationResult(status());
  }

  /** Moves {@code rate} points (or what is left) from {@code from} to {@code to}. */
  private void move() {
    Map<String, Integer> current = state.current;
    int shift = Math.min(input.rate(), current.get(input.from()));
    Map<String, Integer> next = new LinkedHashMap<>(current);
    next.put(input.from(), current.get(input.from()) - shift);
    next.put(input.to(), current.get(input.to()) + shift);
    String reason =
        "migration " + input.from() + " -> " + input.to() + ": step " + (state.step + 1);
    router.change(control.change(target, reason).withWeights(next));
    state.beforeLastMove = current;
    state.current = next;
    state.step++;
    control
        .steps()
        .add(
            new StepRecord(
                state.step,
                weightOfTo(),
                Instant.ofEpochMilli(now()),
                "done",
                Duration.ZERO,
                SplitWeights.describe(next)));
    if (!control.paused()) {
      control.moveTo(
          Phase.PROGRESSING,
          "step " + state.step + " of " + state.totalSteps + ": " + SplitWeights.describe(next));
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
      state.remainingMillis = interval;
    }
    while (true) {
      control.continueAsNewWhenDue(false, () -> false, () -> input.carryingOn(state));
      boolean wasPaused = control.paused();
      long sliceStart = now();
      nextMoveAt = wasPaused ? null : sliceStart + state.remainingMillis;
      control.publish();
      boolean changed =
          control.awaitChange(
              Duration.ofMillis(Math.max(1, wasPaused ? interval : state.remainingMillis)),
              control.changes());
      if (!wasPaused) {
        state.remainingMillis -= now() - sliceStart;
      }
      if (control.abortRequested()) {
        restore(state.start, Phase.ABORTED, control.abortedBy());
        return false;
      }
      if (wasPaused && !changed && input.criteria() != null) {
        checkDrift();
        if (analyse() == Verdict.FAIL) {
          breach();
          return false;
        }
      }
      if (!control.paused() && state.remainingMillis <= 0) {
        return true;
      }
    }
  }

  private Verdict analyse() {
    control.lastAnalysis(analysis.sample(input.criteria(), input.to()));
    control.publishMemo();
    return control.lastAnalysis().verdict();
  }

  /**
   * Before each analysis, the weights in force must be the migration's own ({@link DriftCheck}):
   * when they are not, it puts them back or pauses for a person, as the catalog says. Paused, it
   * goes on analysing every interval and puts nothing back until a person resumes it; the first
   * analysis after the resume does. Returns whether it paused the migration just now.
   */
  private boolean checkDrift() {
    DriftCheck.Finding found = drift.check(state.current);
    switch (found.response()) {
      case RESTORE -> {
        router.change(
            control.change(target, DriftCheck.restoring(found.drift())).withWeights(state.current));
        return false;
      }
      case PAUSE -> {
        pauseFor(found.drift());
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private void breach() {
    boolean toSource = input.onBreach() == OnBreach.SOURCE;
    restore(
        toSource ? toSource() : new LinkedHashMap<>(state.beforeLastMove),
        Phase.ROLLED_BACK,
        "analysis failed: "
            + control.lastAnalysis().detail()
            + "; back to "
            + (toSource ? "the source" : "the last good weights"));
  }

  /** All the traffic moved so far back on {@code from}. */
  private Map<String, Integer> toSource() {
    Map<String, Integer> current = state.current;
    int initial = state.start.getOrDefault(input.to(), 0);
    Map<String, Integer> back = new LinkedHashMap<>(current);
    back.put(input.from(), current.get(input.from()) + current.get(input.to()) - initial);
    back.put(input.to(), initial);
    return back;
  }

  private void restore(Map<String, Integer> weights, Phase terminal, String why) {
    control.moveTo(Phase.ROLLING_BACK, why);
    router.change(control.change(target, "migration ended: " + why).withWeights(weights));
    state.current = new LinkedHashMap<>(weights);
    control.moveTo(terminal, why + "; in force: " + SplitWeights.describe(state.current));
  }

  private int weightOfTo() {
    return state.current.getOrDefault(input.to(), 0);
  }

  // ---- status ---------------------------------------------------------------------------------

  @Override
  public RolloutStatus status() {
    RolloutStatus.Builder status = control.status();
    if (input == null) {
      return status.build();
    }
    long now = now();
    boolean running = !control.phase().terminal();
    int source = state.current.getOrDefault(input.from(), 0);
    boolean timed = running && state.step > 0;
    String toGo =
        running && nextMoveAt != null && state.totalSteps > state.step
            ? "; about "
                + SpecDurations.human(
                    Duration.ofMillis(
                        Math.max(0, nextMoveAt - now)
                            + (long) (state.totalSteps - state.step - 1)
                                * input.interval().toMillis()))
                + " to go"
            : "";
    return status
        .stableVersion(input.from())
        .candidateVersion(input.to())
        .message(control.message() + toGo)
        .step(state.step)
        .totalSteps(state.totalSteps)
        .weight(weightOfTo())
        .nextWeight(running && source > 0 ? weightOfTo() + Math.min(input.rate(), source) : null)
        .stepRemaining(
            timed
                ? Duration.ofMillis(
                    Math.max(
                        0,
                        control.paused()
                            ? state.remainingMillis
                            : nextMoveAt == null ? 0 : nextMoveAt - now))
                : null)
        .stepEndsAt(
            running && !control.paused() && nextMoveAt != null
                ? Instant.ofEpochMilli(nextMoveAt)
                : null)
        .build();
  }

  private static long now() {
    return Workflow.currentTimeMillis();
  }
}
