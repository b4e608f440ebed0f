package dev.trafficctl.workflows.bluegreen;

import dev.trafficctl.config.bluegreen.BlueGreenSpec;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.analysis.AnalysisCriteria;
import dev.trafficctl.workflows.analysis.HealthJudge;
import dev.trafficctl.workflows.analysis.MetricsAnalysis;
import dev.trafficctl.workflows.control.RolloutControl;
import dev.trafficctl.workflows.ports.HealthCheck;
import dev.trafficctl.workflows.ports.HealthChecker;
import dev.trafficctl.workflows.ports.HealthReport;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.Verdict;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * How a blue-green rollout looks at a color: its instances' health endpoint (readiness, the health
 * check, and the watch when the catalog names no metrics source) or its request metrics. Every look
 * gives way to a person's request: it ends empty as soon as one comes in, cancelling the activity,
 * since a person's switch must not wait out a 2-minute health check. Workflow code.
 */
final class ColorWatch {

  private static final Duration READINESS_INTERVAL = Duration.ofSeconds(1);

  private final BlueGreenInput input;
  private final BlueGreenSpec spec;
  private final RolloutControl control;
  private final BooleanSupplier interrupted;
  private final HealthChecker health;
  private final MetricsAnalysis analysis;
  private final ColorDrift drift;

  /**
   * @param interrupted whether a person's request came in, which ends any look
   * @param drift what each judgement first makes sure of: the rollout's weights are in force
   */
  ColorWatch(
      BlueGreenInput input, RolloutControl control, BooleanSupplier interrupted, ColorDrift drift) {
    this.input = input;
    this.drift = drift;
    this.spec = input.blueGreen();
    this.control = control;
    this.interrupted = interrupted;
    this.health = ActivityStubs.health(longestCheck());
    this.analysis = new MetricsAnalysis(input.routeTarget());
  }

  /** Polls {@code color} until every instance answered once, for readiness_timeout at most. */
  Optional<HealthReport> awaitReady(String color) {
    HealthCheck check = check(color, spec.traffic().readinessTimeout(), READINESS_INTERVAL);
    return untilInterrupt(() -> health.awaitReady(check));
  }

  /** Probes {@code color} over {@code over}, about 20 rounds. */
  Optional<HealthReport> probe(String color, Duration over) {
    HealthCheck check = check(color, over, interval(over, 20));
    return untilInterrupt(() -> health.probe(check));
  }

  /**
   * Holds for {@code hold}, then judges {@code color}'s failed requests against the failure
   * threshold: on the catalog's metrics over {@code window} when it has a source, else on health
   * probes taken during the hold, once the rollout's weights are in force ({@link ColorDrift}). The
   * report is the rollout's latest analysis; empty when a request came in first.
   */
  Optional<AnalysisReport> judge(String color, Duration hold, Duration window) {
    double threshold = spec.rollback().failureThreshold();
    AnalysisReport report;
    if (input.target().metrics() == null) {
      long holdEnd = now() + hold.toMillis();
      HealthCheck check = check(color, hold, interval(hold, 5));
      Optional<HealthReport> probed = untilInterrupt(() -> health.probe(check));
      // The probe returns at its deadline; should it return early, the hold still lasts.
      if (probed.isEmpty()
          || Workflow.await(
              Duration.ofMillis(Math.max(0, holdEnd - now())), interrupted::getAsBoolean)
          || !drift.settle()) {
        return Optional.empty();
      }
      report =
          HealthJudge.failing(probed.get(), color, threshold, hold, Instant.ofEpochMilli(now()));
    } else {
      if (Workflow.await(hold, interrupted::getAsBoolean) || !drift.settle()) {
        return Optional.empty();
      }
      long minimum = input.target().metrics().minimumRequestsOrDefault();
      report = analysis.sample(AnalysisCriteria.errorRate(threshold, window, minimum), color);
    }
    control.lastAnalysis(report);
    control.publishMemo();
    if (report.verdict() == Verdict.FAIL) {
      control.notify(NotificationEvent.ANALYSIS_FAILED);
    }
    return Optional.of(report);
  }

  /** The document's health endpoint, else the catalog's. */
  String endpoint() {
    return spec.traffic().healthEndpoint() != null
        ? spec.traffic().healthEndpoint()
        : input.target().health().endpoint();
  }

  List<String> addresses(String color) {
    return input.target().versions().get(color).servers();
  }

  /** About {@code rounds} rounds over {@code over}, between 200 ms and 5 s apart. */
  static Duration interval(Duration over, int rounds) {
    return Duration.ofMillis(Math.max(200, Math.min(5_000, over.toMillis() / rounds)));
  }

  /** The longest a single health check of this rollout may run, for the activity's timeouts. */
  private Duration longestCheck() {
    Duration longest = spec.traffic().readinessTimeout();
    for (Duration d :
        List.of(
            spec.strategy().healthCheckTimeout(),
            input.options().stepDuration(),
            interval(spec.rollback().monitorDuration(), 10),
            Duration.ofSeconds(5))) {
      longest = d.compareTo(longest) > 0 ? d : longest;
    }
    return longest;
  }

  private HealthCheck check(String color, Duration over, Duration interval) {
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

  /** Runs an activity, returning its result, or empty as soon as a request comes in. */
  private <R> Optional<R> untilInterrupt(Functions.Func<R> activity) {
    List<Promise<R>> started = new ArrayList<>(1);
    CancellationScope scope =
        Workflow.newCancellationScope(() -> started.add(Async.function(activity)));
    scope.run();
    Promise<R> result = started.get(0);
    Workflow.await(() -> result.isCompleted() || interrupted.getAsBoolean());
    if (!result.isCompleted()) {
      scope.cancel();
      return Optional.empty();
    }
    return Optional.of(result.get());
  }

  private static long now() {
    return Workflow.currentTimeMillis();
  }
}
