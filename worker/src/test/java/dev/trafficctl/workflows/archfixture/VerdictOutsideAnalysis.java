package dev.trafficctl.workflows.archfixture;

import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.Verdict;
import java.time.Instant;
import java.util.List;

/**
 * A verdict reached outside {@code workflows.analysis} (test sources only, never run) that the
 * architecture test must catch.
 */
public class VerdictOutsideAnalysis {

  public AnalysisReport judged() {
    return new AnalysisReport(Instant.EPOCH, Verdict.PASS, List.of(), 0, 0, "decided here");
  }
}
