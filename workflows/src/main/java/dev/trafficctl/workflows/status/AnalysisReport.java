package dev.trafficctl.workflows.status;

import java.time.Instant;
import java.util.List;

/**
 * One analysis of a candidate: the verdict, every metric with its value and bound, how many
 * requests it was based on and how many it needed, and why when it could not judge.
 */
public record AnalysisReport(
    Instant at,
    Verdict verdict,
    List<MetricCheck> checks,
    long requests,
    long minimumRequests,
    String detail) {

  public AnalysisReport {
    checks = List.copyOf(checks);
  }
}
