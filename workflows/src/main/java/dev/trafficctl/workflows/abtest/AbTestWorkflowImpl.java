package dev.trafficctl.workflows.abtest;

import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.abtest.SuccessMetric;
import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.HistoryBudget;
import dev.trafficctl.workflows.TrafficSearchAttributes;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.analysis.abtest.AbTestAnalysis;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults.MetricResult;
import dev.trafficctl.workflows.analysis.abtest.Conclusion;
import dev.trafficctl.workflows.analysis.abtest.stats.SequentialLooks;
import dev.trafficctl.workflows.control.ControlledRollout;
import dev.trafficctl.workflows.control.DriftCheck;
import dev.trafficctl.workflows.control.RolloutControl;
import dev.trafficctl.workflows.control.RouterCapabilities;
import dev.trafficctl.workflows.ports.ConversionCounts;
import dev.trafficctl.workflows.ports.ConversionCounts.UserCounts;
import dev.trafficctl.workflows.ports.ConversionQuery;
import dev.trafficctl.workflows.ports.MetricsProvider;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.TrafficRouter;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;

/**
 * The A/B test loop: route by the variants' weights with a sticky cookie, read every success
 * metric's counts each analysis interval, and at the deadline conclude when the primary metric is
 * decisive or stop as inconclusive (the control serving 100%). People conclude or abort at any time
 * through updates.
 *
 * <p>The analysis interval is {@code duration}/100, at most 1h and at least 1m: a 14-day test looks
 * every hour (336 looks), a 2-hour test every 1m12s. Every look is judged against its exact
 * group-sequential boundary ({@link SequentialLooks}), which spends only the share of the
 * false-positive budget α due by then, given all the earlier looks: the chance that some look of an
 * A/A test shows a winner (and that {@code conclude --auto} or the end of the test acts on it)
 * stays α however many looks there are. Looking often is not free: more looks mean higher
 * boundaries, so a real difference takes somewhat more users to show, and each look adds history,
 * which continue-as-new bounds: every {@value #ANALYSES_PER_RUN} analyses, or earlier past {@value
 * HistoryBudget#EVENTS} events, the run carries {@link AbTestState} (the latest counts and the
 * looks' bounded summary) into a new one.
 */
public class AbTestWorkflowImpl extends ControlledRollout implements AbTestWorkflow {

  static final int ANALYSES_PER_RUN = 50;

  /** Who concludes when the test decides at its end. */
  static final String AUTOMATIC = RolloutControl.TRAFFICCTL;

  private static final Logger log = Workflow.getLogger(AbTestWorkflowImpl.class);

  private final TrafficRouter router = ActivityStubs.router();

  private AbTestInput input;

  /** Where each variant's requests go while the test runs, and the target that serves them. */
  private VariantPools pools;

  /** The look at the test's weights before each analysis. */
  private DriftCheck drift;

  /** The catalog's versions: where the test's end sends all traffic. */
  private RouteTarget target;

  private List<String> variants = List.of();
  private String controlVariant;
  private String treatment;
  private long interval;
  private int analysesThisRun;
  private AbTestState state = new AbTestState();
  private List<MetricResult> latest = List.of();
  private Conclusion conclusion;
  private ConcludeRequest concludeRequest;

  public AbTestWorkflowImpl() {
    super("the A/B test", log);
  }

  @Override
  protected boolean ending() {
    return concludeRequest != null;
  }

  @Override
  public AbTestResult run(AbTestInput input) {
    this.input = input;
    WorkflowFailures.validate(input);
    target = input.routeTarget();
    pools = VariantPools.of(input);
    drift = new DriftCheck(control, poolsTarget());
    variants = List.copyOf(input.spec().variants().keySet());
    controlVariant = variants.get(0);
    treatment = variants.get(1);
    interval = analysisInterval(input.spec().duration()).toMillis();
    boolean carriedOn = input.carried() != null;
    state = control.begin(input, input.carried(), state, () -> version(treatment));
    Workflow.upsertTypedSearchAttributes(TrafficSearchAttributes.AB_TEST.valueSet(input.name()));
    if (carriedOn) {
      // The carried counts again: the same looks, which this judgement leaves as they are.
      judge();
      control.say(progressMessage());
      control.publish();
    } else if (!begin()) {
      return end();
    }
    while (true) {
      if (control.abortRequested()) {
        backToControl(Phase.ABORTED, control.abortedBy());
        return end();
      }
      if (concludeRequest != null) {
        ConcludeRequest r = concludeRequest;
        concludeWith(r.winner(), r.by(), r.reason(), r.winner() == null);
        return end();
      }
      long deadline = state.deadline.toEpochMilli();
      if (now() >= deadline) {
        atDeadline();
        return end();
      }
      if (control.continueAsNewWhenDue(
          analysesThisRun >= ANALYSES_PER_RUN,
          () -> concludeRequest != null,
          () -> input.carryingOn(state))) {
        continue;
      }
      long wakeAt = Math.min(state.nextAnalysisAt.toEpochMilli(), deadline);
      control.awaitChange(Duration.ofMillis(Math.max(1, wakeAt - now())), control.changes());
      if (!control.abortRequested() && concludeRequest == null && now() >= wakeAt) {
        analyse();
      }
    }
  }

  /** Routes the test's traffic. False when the router refused (the test then ends). */
  private boolean begin() {
    Instant startedAt = Instant.ofEpochMilli(now());
    state.startedAt = startedAt;
    state.deadline = startedAt.plus(input.spec().duration());
    state.nextAnalysisAt = startedAt.plusMillis(interval);
    control.record("start", input.requestedBy(), null);
    Map<String, Integer> split = new LinkedHashMap<>();
    input.spec().variants().forEach((v, variant) -> split.put(pools.pool(v), variant.weight()));
    RouteChange change =
        control
            .change(poolsTarget(), "A/B test " + input.name() + ": " + describe(split))
            .withWeights(split)
            .withRules(AbTestRouting.during(input, pools));
    RouterCapabilities.require(router, change);
    control.publish();
    try {
      router.change(change);
    } catch (ActivityFailure failure) {
      control.moveTo(
          Phase.ABORTED,
          "could not route the test's traffic: " + WorkflowFailures.rootMessage(failure));
      return false;
    }
    state.weights = split;
    control.moveTo(
        Phase.PROGRESSING,
        "testing "
            + describe(split)
            + " until "
            + state.deadline
            + ", an analysis every "
            + SpecDurations.format(Duration.ofMillis(interval)));
    return true;
  }

  /** The test's pools, where its split is routed while it runs. */
  private RouteTarget poolsTarget() {
    return new RouteTarget(input.service(), input.env(), pools.target());
  }

  /**
   * Before each analysis, the test's split must be the one in force ({@link DriftCheck}), or its
   * counts say nothing about the variants. The split goes back at once (the weights layer only): a
   * test cannot pause, and every minute on other weights mis-assigns users. {@code
   * rollback.on_drift: pause} does not apply to it.
   */
  private void checkDrift() {
    Optional<String> found = drift.find(state.weights);
    if (found.isEmpty()) {
      return;
    }
    try {
      router.change(
          control
              .change(poolsTarget(), DriftCheck.restoring(found.get()))
              .withWeights(state.weights));
    } catch (ActivityFailure failure) {
      // The drift stays recorded; the next analysis finds it again and tries again.
      log.warn("could not restore the test's weights: {}", WorkflowFailures.rootMessage(failure));
    }
  }

  /** Reads every success metric's counts at once, then judges them. */
  private void analyse() {
    checkDrift();
    state.nextAnalysisAt = state.nextAnalysisAt.plusMillis(interval);
    state.analyses++;
    analysesThisRun++;
    Map<String, Promise<ConversionCounts>> asked = new LinkedHashMap<>();
    MetricsProvider metrics = ActivityStubs.metrics(target);
    for (SuccessMetric metric : input.spec().successMetrics()) {
      ConversionQuery query =
          new ConversionQuery(
              input.service(),
              input.env(),
              input.target().metrics(),
              input.name(),
              metric.name(),
              variants);
      asked.put(metric.name(), Async.function(metrics::conversions, query));
    }
    Map<String, Map<String, UserCounts>> read = new LinkedHashMap<>();
    String error = null;
    for (Map.Entry<String, Promise<ConversionCounts>> answer : asked.entrySet()) {
      try {
        read.put(answer.getKey(), answer.getValue().get().variants());
      } catch (ActivityFailure failure) {
        error = answer.getKey() + ": " + WorkflowFailures.rootMessage(failure);
      }
    }
    // Counters are cumulative: what was read supersedes, what failed keeps its last reading.
    state.counts.putAll(read);
    state.metricsError = error;
    state.lastAnalysisAt = Instant.ofEpochMilli(now());
    judge();
    control.say(progressMessage());
    control.publishMemo();
  }

  /** Judges the latest counts as the {@code state.analyses}-th look, after the earlier ones. */
  private void judge() {
    AbTestAnalysis.Judgement j =
        AbTestAnalysis.judge(
            input.spec(), input.variantVersions(), state.counts, state.looks, state.analyses);
    latest = j.results();
    state.looks = j.looks();
  }

  private void atDeadline() {
    if (state.lastAnalysisAt == null || state.lastAnalysisAt.isBefore(state.deadline)) {
      analyse();
    }
    Optional<String> winner = AbTestAnalysis.winner(latest);
    if (winner.isPresent()) {
      concludeWith(
          winner.get(),
          AUTOMATIC,
          "decisive at the end of the test: " + latest.get(0).summary(),
          true);
      return;
    }
    long required = AbTestAnalysis.requiredPerVariant(latest, input.spec().minimumSampleSize());
    backToControl(
        Phase.ABORTED,
        "inconclusive after "
            + SpecDurations.format(input.spec().duration())
            + ": "
            + latest.get(0).summary()
            + (required > 0
                ? " (needed: about "
                    + required
                    + " users per variant, has "
                    + AbTestAnalysis.fewestUsers(latest)
                    + ")"
                : "")
            + (state.metricsError == null ? "" : "; metrics: " + state.metricsError));
  }

  private void concludeWith(String winner, String by, String reason, boolean automatic) {
    if (winner == null) {
      // --auto, accepted while decisive; the validator checked it, and counts only grow.
      winner = AbTestAnalysis.winner(latest).orElse(controlVariant);
      if (reason == null) {
        reason = latest.get(0).summary();
      }
    }
    String version = version(winner);
    String why = by + RolloutControl.quoted(reason);
    try {
      routeAllTo(winner, "concluded: " + winner + " by " + why);
    } catch (ActivityFailure failure) {
      control.moveTo(
          Phase.ABORTED,
          "could not route 100% to "
              + winner
              + ": "
              + WorkflowFailures.rootMessage(failure)
              + "; the test's weights stay in force");
      return;
    }
    conclusion =
        new Conclusion(Instant.ofEpochMilli(now()), winner, version, by, reason, automatic);
    control.moveTo(
        Phase.PROMOTED,
        "concluded: " + winner + " (" + version + ") serves 100%, decided by " + why);
  }

  private void backToControl(Phase terminal, String why) {
    control.moveTo(Phase.ROLLING_BACK, why);
    String back = controlVariant + " (" + version(controlVariant) + ") serves 100%";
    try {
      routeAllTo(controlVariant, "stopped: " + why);
    } catch (ActivityFailure failure) {
      back =
          "could not return traffic to "
              + controlVariant
              + ": "
              + WorkflowFailures.rootMessage(failure);
    }
    control.moveTo(terminal, why + "; " + back);
  }

  /** All traffic to {@code variant}'s version, with its config and nothing else. */
  private void routeAllTo(String variant, String why) {
    router.change(
        control
            .change(target, "A/B test " + input.name() + " " + why)
            .withWeights(allOn(variant, this::version))
            .withRules(AbTestRouting.after(input, variant)));
    state.weights = allOn(variant, pools::pool);
  }

  private AbTestResult end() {
    control.publish();
    return new AbTestResult(status(), results());
  }

  // ---- updates --------------------------------------------------------------------------------

  @Override
  public void validateConclude(ConcludeRequest request) {
    control.rejectUnlessRunning();
    if (request.winner() != null) {
      if (!variants.contains(request.winner())) {
        throw new IllegalArgumentException(
            "\""
                + request.winner()
                + "\" is not a variant of "
                + input.name()
                + " (variants: "
                + String.join(", ", variants)
                + ")");
      }
      return;
    }
    if (AbTestAnalysis.winner(latest).isEmpty()) {
      throw RolloutControl.rejected(
          "no winner yet, --auto refused: "
              + (latest.isEmpty() ? "no analysis yet" : latest.get(0).summary())
              + "; name one with --winner to decide anyway");
    }
  }

  @Override
  public RolloutStatus conclude(ConcludeRequest request) {
    control.record(
        "conclude " + (request.winner() == null ? "--auto" : request.winner()),
        request.by(),
        request.reason());
    concludeRequest = request;
    control.say("concluding" + (request.winner() == null ? "" : ": " + request.winner() + " wins"));
    control.changed();
    return status();
  }

  // ---- queries --------------------------------------------------------------------------------

  @Override
  public AbTestResults results() {
    return new AbTestResults(
        input == null ? null : input.name(),
        controlVariant,
        state.startedAt,
        state.deadline,
        state.analyses,
        state.lastAnalysisAt,
        state.metricsError,
        latest,
        conclusion);
  }

  @Override
  public RolloutStatus status() {
    RolloutStatus.Builder status = control.status();
    if (input == null || state.deadline == null) {
      return status.build();
    }
    long deadline = state.deadline.toEpochMilli();
    long length = deadline - state.startedAt.toEpochMilli();
    boolean running = !control.phase().terminal();
    return status
        .stableVersion(version(controlVariant))
        .candidateVersion(version(treatment))
        .step(state.analyses)
        .totalSteps((int) ((length + interval - 1) / interval))
        .weight(state.weights.getOrDefault(pools.pool(treatment), 0))
        .stepRemaining(running ? Duration.ofMillis(Math.max(0, deadline - now())) : null)
        .stepEndsAt(running ? state.deadline : null)
        .lastAnalysis(
            state.lastAnalysisAt == null
                ? null
                : AbTestAnalysis.report(
                    latest,
                    state.lastAnalysisAt,
                    state.metricsError,
                    input.spec().minimumSampleSize()))
        .build();
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** {@code duration}/100, at most 1h and at least 1m. */
  static Duration analysisInterval(Duration duration) {
    Duration hundredth = duration.dividedBy(100);
    Duration atMostHour =
        hundredth.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : hundredth;
    return atMostHour.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : atMostHour;
  }

  private String progressMessage() {
    String primary = latest.isEmpty() ? "no analysis yet" : latest.get(0).summary();
    return "testing "
        + describe(state.weights)
        + " until "
        + state.deadline
        + " ("
        + state.analyses
        + " analyses): "
        + primary
        + (state.metricsError == null ? "" : "; metrics unavailable: " + state.metricsError);
  }

  private String version(String variant) {
    return input.variantVersions().get(variant);
  }

  /**
   * 100 for {@code variant} and 0 for the others, keyed by {@code key}: by version, the router's
   * weights once it alone is left; by pool, what the status reports, since with variants on one
   * version the router's weights cannot say which of them was kept.
   */
  private Map<String, Integer> allOn(String variant, UnaryOperator<String> key) {
    Map<String, Integer> all = new LinkedHashMap<>();
    variants.forEach(v -> all.put(key.apply(v), 0));
    all.put(key.apply(variant), 100);
    return all;
  }

  private String describe(Map<String, Integer> split) {
    List<String> parts = new ArrayList<>();
    for (String v : variants) {
      parts.add(v + " " + version(v) + " " + split.getOrDefault(pools.pool(v), 0) + "%");
    }
    return String.join(", ", parts);
  }

  private static long now() {
    return Workflow.currentTimeMillis();
  }
}
