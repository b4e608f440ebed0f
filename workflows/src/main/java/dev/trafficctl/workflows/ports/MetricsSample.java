package dev.trafficctl.workflows.ports;

import java.time.Duration;

/**
 * What a version's requests looked like over a window. Rates are derived from counts, so a judge
 * can tell 1 failure in 3 requests from 1 in 3,000.
 *
 * @param requests requests seen in the window
 * @param failures of those, the ones that count as failed (5xx unless configured otherwise)
 * @param latencyMillis the requested latency percentile, or null when there were no requests
 */
public record MetricsSample(long requests, long failures, Double latencyMillis, Duration window) {

  /** Percent of requests that succeeded; 100 when there were none (the judge checks the count). */
  public double successRatePercent() {
    return requests == 0 ? 100.0 : 100.0 * (requests - failures) / requests;
  }

  public double errorRatePercent() {
    return requests == 0 ? 0.0 : 100.0 * failures / requests;
  }
}
