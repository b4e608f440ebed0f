package dev.trafficctl.workflows.abtest;

import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.abtest.SuccessMetric;
import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.HistoryBudget;
import dev.trafficctl.workflows.RolloutIds;
import dev.trafficctl.workflows.RolloutPhase;
import dev.trafficctl.workflows.RolloutVisibility;
import dev.trafficctl.workflows.TrafficSearchAttributes;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.abtest.AbTestResults.MetricResult;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.ports.ConversionCounts;
import dev.trafficctl.workflows.ports.ConversionCounts.UserCounts;
import dev.trafficctl.workflows.ports.ConversionQuery;
import dev.trafficctl.workflows.ports.MetricsProvider;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.TrafficRouter;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.MetricCheck;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.status.Verdict;
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
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * The A/B test loop: route by the variants' weights with a sticky cookie, read every success
 * metric's counts each analysis interval, and at the deadline conclude when the primary metric is
 * decisive or stop as inconclusive (the control serving 100%). People conclude or abort at any time
 * through updates.
 *
 * <p>The analysis interval is {@code duration}/100, at most 1h and at least 1m: a 14-day test looks
 * every hour (336 looks), a 2-hour test every 1m12s. The statistics account for the looks (alpha
 * spending), so looking often costs no false positives; it only costs history, which
 * continue-as-new bounds: every {@value #ANALYSES_PER_RUN} analyses, or earlier past {@value
 * HistoryBudget#EVENTS} events, the run carries {@link AbTestState} (the latest counts only) into a
 * new one.
 */
public class AbTestWorkflowImpl implements AbTestWorkflow {

  static final int ANALYSES_PER_RUN = 50;

  /** Who concludes when the test decides at its end. */
  static final String AUTOMATIC = "trafficctl";

  private static final Logger log = Workflow.getLogger(AbTestWorkflowImpl.class);

  private final TrafficRouter router = ActivityStubs.router();
  private final MetricsProvider metrics = ActivityStubs.metrics();

  private AbTestInput input;

  /** The catalog's versions: where the test's end sends all traffic. */
  private RouteTarget target;

  /** Where each variant's requests go while the test runs, and the target that serves them. */
  private VariantPools pools;

  private List<String> variants = List.of();
  private String control;
  private String treatment;

  private long startedAt;
  private long deadline;
  private long interval;
  private int analyses;
  private int analysesThisRun;
  private long nextAnalysisAt;
  private Long lastAnalysisAt;
  private Map<String, Map<String, UserCounts>> counts = new LinkedHashMap<>();
  private String metricsError;
  private List<MetricResult> latest = List.of();
  private final List<ActionRecord> actions = new ArrayList<>();

  /** The variants' shares by pool ({@link VariantPools}): a pool is its version but for aliases. */
  private Map<String, Integer> weights = new LinkedHashMap<>();

  private final RolloutPhase progress = new RolloutPhase(log);
  private Conclusion conclusion;

  private ConcludeRequest concludeRequest;
  private ControlRequest abortRequest;

  @Override
  public AbTestResult run(AbTestInput input) {
    this.input = input;
    WorkflowFailures.validate(input);
    target = new RouteTarget(input.service(), input.env(), input.target());
    pools = VariantPools.of(input);
    variants = List.copyOf(input.spec().variants().keySet());
    control = variants.get(0);
    treatment = variants.get(1);
    interval = analysisInterval(input.spec().duration()).toMillis();
    Workflow.upsertTypedSearchAttributes(TrafficSearchAttributes.AB_TEST.valueSet(input.name()));
    if (input.carried() == null) {
      if (!begin()) {
        return end();
      }
    } else {
      carryOn(input.carried());
    }
    while (true) {
      if (abortRequest != null) {
        ControlRequest r = abortRequest;
        backToControl(Phase.ABORTED, "aborted by " + r.by() + quoted(r.reason()));
        return end();
      }
      if (concludeRequest != null) {
        ConcludeRequest r = concludeRequest;
        concludeWith(r.winner(), r.by(), r.reason(), r.winner() == null);
        return end();
      }
      if (now() >= deadline) {
        atDeadline();
        return end();
      }
      if (analysesThisRun >= ANALYSES_PER_RUN || HistoryBudget.spent()) {
        HistoryBudget.handOver(
            () -> abortRequest != null || concludeRequest != null, () -> input.carryingOn(state()));
        continue;
      }
      long wakeAt = Math.min(nextAnalysisAt, deadline);
      Workflow.await(
          Duration.ofMillis(Math.max(1, wakeAt - now())),
          () -> abortRequest != null || concludeRequest != null);
      if (abortRequest == null && concludeRequest == null && now() >= wakeAt) {
        analyse();
      }
    }
  }

  /** Routes the test's traffic. False when the router refused (the test then ends). */
  private boolean begin() {
    startedAt = now();
    deadline = startedAt + input.spec().duration().toMillis();
    nextAnalysisAt = startedAt + interval;
    actions.add(new ActionRecord(Instant.ofEpochMilli(now()), "start", input.requestedBy(), null));
    Map<String, Integer> split = new LinkedHashMap<>();
    input.spec().variants().forEach((v, variant) -> split.put(pools.pool(v), variant.weight()));
    publish();
    try {
      router.setWeights(
          new RouteChange(
              new RouteTarget(input.service(), input.env(), pools.target()),
              split,
              "A/B test " + input.name() + ": " + describe(split),
              AbTestRouting.during(input, pools)));
    } catch (ActivityFailure failure) {
      setPhase(
          Phase.ABORTED,
          "could not route the test's traffic: " + WorkflowFailures.rootMessage(failure));
      return false;
    }
    weights = split;
    setPhase(
        Phase.PROGRESSING,
        "testing "
            + describe(split)
            + " until "
            + Instant.ofEpochMilli(deadline)
            + ", an analysis every "
            + SpecDurations.format(Duration.ofMillis(interval)));
    return true;
  }

  private void carryOn(AbTestState s) {
    startedAt = s.startedAt().toEpochMilli();
    deadline = s.deadline().toEpochMilli();
    analyses = s.analyses();
    nextAnalysisAt = s.nextAnalysisAt().toEpochMilli();
    lastAnalysisAt = s.lastAnalysisAt() == null ? null : s.lastAnalysisAt().toEpochMilli();
    counts = new LinkedHashMap<>(s.counts());
    metricsError = s.metricsError();
    actions.addAll(s.actions());
    weights = new LinkedHashMap<>(s.weights());
    latest = AbTestAnalysis.judge(input.spec(), input.variantVersions(), counts);
    progress.since(startedAt);
    progress.say(progressMessage());
    publish();
  }

  private AbTestState state() {
    return new AbTestState(
        Instant.ofEpochMilli(startedAt),
        Instant.ofEpochMilli(deadline),
        analyses,
        Instant.ofEpochMilli(nextAnalysisAt),
        lastAnalysisAt == null ? null : Instant.ofEpochMilli(lastAnalysisAt),
        counts,
        metricsError,
        actions,
        weights);
  }

  /** Reads every success metric's counts at once, then judges them. */
  private void analyse() {
    nextAnalysisAt += interval;
    analyses++;
    analysesThisRun++;
    Map<String, Promise<ConversionCounts>> asked = new LinkedHashMap<>();
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
    counts.putAll(read);
    metricsError = error;
    lastAnalysisAt = now();
    latest = AbTestAnalysis.judge(input.spec(), input.variantVersions(), counts);
    progress.say(progressMessage());
    RolloutVisibility.publishMemo(status());
  }

  private void atDeadline() {
    if (lastAnalysisAt == null || lastAnalysisAt < deadline) {
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
                ? " (needed: about " + required + " users per variant, has " + fewestUsers() + ")"
                : "")
            + (metricsError == null ? "" : "; metrics: " + metricsError));
  }

  private void concludeWith(String winner, String by, String reason, boolean automatic) {
    if (winner == null) {
      // --auto, accepted while decisive; the validator checked it, and counts only grow.
      winner = AbTestAnalysis.winner(latest).orElse(control);
      if (reason == null) {
        reason = latest.get(0).summary();
      }
    }
    String version = version(winner);
    try {
      router.setWeights(
          new RouteChange(
              target,
              allOn(winner, this::version),
              "A/B test " + input.name() + " concluded: " + winner + " by " + by + quoted(reason),
              AbTestRouting.after(input, winner)));
    } catch (ActivityFailure failure) {
      setPhase(
          Phase.ABORTED,
          "could not route 100% to "
              + winner
              + ": "
              + WorkflowFailures.rootMessage(failure)
              + "; the test's weights stay in force");
      return;
    }
    weights = allOn(winner, pools::pool);
    conclusion =
        new Conclusion(Instant.ofEpochMilli(now()), winner, version, by, reason, automatic);
    setPhase(
        Phase.PROMOTED,
        "concluded: "
            + winner
            + " ("
            + version
            + ") serves 100%, decided by "
            + by
            + quoted(reason));
  }

  private void backToControl(Phase terminal, String why) {
    setPhase(Phase.ROLLING_BACK, why);
    try {
      router.setWeights(
          new RouteChange(
              target,
              allOn(control, this::version),
              "A/B test " + input.name() + " stopped: " + why,
              AbTestRouting.after(input, control)));
      weights = allOn(control, pools::pool);
      setPhase(terminal, why + "; " + control + " (" + version(control) + ") serves 100%");
    } catch (ActivityFailure failure) {
      setPhase(
          terminal,
          why
              + "; could not return traffic to "
              + control
              + ": "
              + WorkflowFailures.rootMessage(failure));
    }
  }

  private AbTestResult end() {
    publish();
    return new AbTestResult(status(), results());
  }

  // ---- updates --------------------------------------------------------------------------------

  @Override
  public void validateConclude(ConcludeRequest request) {
    rejectWhenEnded();
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
      throw new IllegalStateException(
          "no winner yet, --auto refused: "
              + (latest.isEmpty() ? "no analysis yet" : latest.get(0).summary())
              + "; name one with --winner to decide anyway");
    }
  }

  @Override
  public RolloutStatus conclude(ConcludeRequest request) {
    actions.add(
        new ActionRecord(
            Instant.ofEpochMilli(now()),
            "conclude " + (request.winner() == null ? "--auto" : request.winner()),
            request.by(),
            request.reason()));
    concludeRequest = request;
    progress.say(
        "concluding" + (request.winner() == null ? "" : ": " + request.winner() + " wins"));
    return status();
  }

  @Override
  public void validateAbort(ControlRequest request) {
    rejectWhenEnded();
    request.requireReason("abort");
  }

  @Override
  public RolloutStatus abort(ControlRequest request) {
    actions.add(
        new ActionRecord(Instant.ofEpochMilli(now()), "abort", request.by(), request.reason()));
    abortRequest = request;
    progress.say("aborting: " + request.reason());
    return status();
  }

  private void rejectWhenEnded() {
    if (input == null || target == null || deadline == 0) {
      throw new IllegalStateException("the A/B test is still starting; try again in a moment");
    }
    if (progress.phase().terminal()
        || progress.phase() == Phase.ROLLING_BACK
        || abortRequest != null
        || concludeRequest != null) {
      throw new IllegalStateException("the A/B test has ended or is ending: " + progress.message());
    }
  }

  // ---- queries --------------------------------------------------------------------------------

  @Override
  public AbTestResults results() {
    return new AbTestResults(
        input == null ? null : input.name(),
        control,
        startedAt == 0 ? null : Instant.ofEpochMilli(startedAt),
        deadline == 0 ? null : Instant.ofEpochMilli(deadline),
        analyses,
        lastAnalysisAt == null ? null : Instant.ofEpochMilli(lastAnalysisAt),
        metricsError,
        latest,
        conclusion);
  }

  @Override
  public RolloutStatus status() {
    long now = now();
    boolean running = input != null && !progress.phase().terminal() && deadline > 0;
    return new RolloutStatus(
        input == null ? null : RolloutIds.workflowId(input.env(), input.service()),
        input == null ? null : input.service(),
        input == null ? null : input.env(),
        STRATEGY,
        control == null ? null : version(control),
        treatment == null ? null : version(treatment),
        progress.phase(),
        progress.message(),
        analyses,
        interval == 0 ? 0 : (int) ((deadline - startedAt + interval - 1) / interval),
        treatment == null ? 0 : weights.getOrDefault(pools.pool(treatment), 0),
        null,
        progress.since(),
        running ? Duration.ofMillis(Math.max(0, deadline - now)) : null,
        running ? Instant.ofEpochMilli(deadline) : null,
        report(),
        List.of(),
        actions,
        Instant.ofEpochMilli(now),
        List.of());
  }

  /** The latest analysis in the shared model: a check per metric and treatment, on the lift. */
  private AnalysisReport report() {
    if (lastAnalysisAt == null || input == null) {
      return null;
    }
    List<MetricCheck> checks = new ArrayList<>();
    for (MetricResult m : latest) {
      for (AbTestResults.Comparison c : m.comparisons()) {
        checks.add(
            new MetricCheck(
                m.metric() + " " + c.variant(),
                c.relativeLift() == null ? null : c.relativeLift() * 100,
                m.threshold() * 100,
                m.threshold() > 0,
                "%",
                null,
                c.verdict() != dev.trafficctl.workflows.abtest.stats.Verdict.LOSER));
      }
    }
    Verdict verdict =
        metricsError != null
            ? Verdict.ERROR
            : AbTestAnalysis.winner(latest).isPresent() ? Verdict.PASS : Verdict.INCONCLUSIVE;
    return new AnalysisReport(
        Instant.ofEpochMilli(lastAnalysisAt),
        verdict,
        checks,
        fewestUsers(),
        input.spec().minimumSampleSize(),
        latest.stream().map(MetricResult::summary).collect(Collectors.joining("; "))
            + (metricsError == null ? "" : "; metrics unavailable: " + metricsError));
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
        + describe(weights)
        + " until "
        + Instant.ofEpochMilli(deadline)
        + " ("
        + analyses
        + " analyses): "
        + primary
        + (metricsError == null ? "" : "; metrics unavailable: " + metricsError);
  }

  private long fewestUsers() {
    return latest.isEmpty()
        ? 0
        : latest.get(0).variants().stream()
            .mapToLong(AbTestResults.VariantResult::users)
            .min()
            .orElse(0);
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

  private static String quoted(String reason) {
    return reason == null || reason.isBlank() ? "" : ": \"" + reason + "\"";
  }

  private void setPhase(Phase next, String why) {
    progress.moveTo(next, why);
    publish();
  }

  private void publish() {
    RolloutVisibility.publish(status(), treatment == null ? null : version(treatment));
  }

  private static long now() {
    return Workflow.currentTimeMillis();
  }
}
