package dev.trafficctl.workflows.analysis;

import dev.trafficctl.config.catalog.MetricsSource;
import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.ports.MetricsProvider;
import dev.trafficctl.workflows.ports.MetricsQuery;
import dev.trafficctl.workflows.ports.MetricsSample;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.status.AnalysisReport;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One analysis of a version, from workflow code: a sample of each window the criteria name, one
 * activity each, judged by {@link AnalysisJudge} at workflow time. Canaries judge their steps,
 * migrations their destination and blue-green rollouts their new color with it.
 */
public final class MetricsAnalysis {

  private final MetricsProvider metrics;
  private final MetricsProvider localMetrics = ActivityStubs.localMetrics();
  private final String filesHost;
  private final String service;
  private final String env;
  private final MetricsSource source;

  /** Analyses of {@code target}'s versions, on its catalog entry's metrics source. */
  public MetricsAnalysis(RouteTarget target) {
    this.service = target.service();
    this.env = target.env();
    this.source = target.entry().metrics();
    this.metrics = ActivityStubs.metrics(target);
    this.filesHost = ActivityStubs.metricsHost(target);
  }

  /** Samples {@code version} and judges it; metrics that cannot be read make an error report. */
  public AnalysisReport sample(AnalysisCriteria criteria, String version) {
    Map<Duration, MetricsSample> samples = new LinkedHashMap<>();
    MetricsProvider metrics = ActivityStubs.readsLocally(filesHost) ? localMetrics : this.metrics;
    try {
      for (Duration window : criteria.windows()) {
        samples.put(
            window,
            metrics.sample(
                new MetricsQuery(
                    service, env, version, source, window, criteria.latencyPercentile())));
      }
    } catch (ActivityFailure failure) {
      return AnalysisJudge.unreadable(criteria, now(), WorkflowFailures.rootMessage(failure));
    }
    return AnalysisJudge.judge(criteria, samples, now());
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
