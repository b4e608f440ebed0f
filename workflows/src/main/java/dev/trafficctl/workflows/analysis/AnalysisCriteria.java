package dev.trafficctl.workflows.analysis;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.trafficctl.config.canary.AnalysisSettings;
import dev.trafficctl.config.canary.CanaryMetrics;
import dev.trafficctl.config.canary.CanarySpec;
import dev.trafficctl.config.canary.CanaryStep;
import dev.trafficctl.config.canary.RateThreshold;
import dev.trafficctl.config.canary.ResponseTimeThreshold;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The bounds one analysis checks during one step: the document's {@code metrics}, with the step's
 * {@code success_threshold} in place of {@code metrics.success_rate.threshold}. A null bound is not
 * checked.
 *
 * @param latencyPercentile the percentile {@code latencyAtMost} bounds; default {@value
 *     ResponseTimeThreshold#DEFAULT_PERCENTILE}
 * @param minimumRequests fewer requests than this in a window is inconclusive; default {@value
 *     AnalysisSettings#DEFAULT_MINIMUM_REQUESTS}
 */
public record AnalysisCriteria(
    Double successRateAtLeast,
    Duration successRateWindow,
    Double errorRateAtMost,
    Duration errorRateWindow,
    Duration latencyAtMost,
    Double latencyPercentile,
    Duration latencyWindow,
    Long minimumRequests) {

  public AnalysisCriteria {
    // Boxed so that a migration's criteria from a pipeline may leave them out.
    latencyPercentile =
        latencyPercentile == null ? ResponseTimeThreshold.DEFAULT_PERCENTILE : latencyPercentile;
    minimumRequests =
        minimumRequests == null
            ? (long) AnalysisSettings.DEFAULT_MINIMUM_REQUESTS
            : minimumRequests;
  }

  /**
   * The error rate alone, at most {@code atMost} percent over {@code window}: what a migration and
   * a blue-green switch are judged on.
   */
  public static AnalysisCriteria errorRate(double atMost, Duration window, Long minimumRequests) {
    return new AnalysisCriteria(null, null, atMost, window, null, null, null, minimumRequests);
  }

  public static AnalysisCriteria forStep(CanarySpec spec, CanaryStep step) {
    CanaryMetrics m = spec.metrics();
    RateThreshold success = m.successRate();
    Double successBound = step.successThreshold() != null ? step.successThreshold() : null;
    if (successBound == null && success != null) {
      successBound = success.threshold();
    }
    return new AnalysisCriteria(
        successBound,
        success != null ? success.window() : RateThreshold.DEFAULT_WINDOW,
        m.errorRate() != null ? m.errorRate().threshold() : null,
        m.errorRate() != null ? m.errorRate().window() : null,
        m.responseTime() != null ? m.responseTime().threshold() : null,
        m.responseTime() != null ? m.responseTime().percentile() : null,
        m.responseTime() != null ? m.responseTime().window() : null,
        spec.analysis().minimumRequests().longValue());
  }

  /** Whether there is anything to measure at all. Derived, so not part of the JSON. */
  @JsonIgnore
  public boolean isEmpty() {
    return successRateAtLeast == null && errorRateAtMost == null && latencyAtMost == null;
  }

  /** The distinct windows to sample, each once per analysis. */
  public List<Duration> windows() {
    Set<Duration> windows = new LinkedHashSet<>();
    if (successRateAtLeast != null) {
      windows.add(successRateWindow);
    }
    if (errorRateAtMost != null) {
      windows.add(errorRateWindow);
    }
    if (latencyAtMost != null) {
      windows.add(latencyWindow);
    }
    return List.copyOf(windows);
  }
}
