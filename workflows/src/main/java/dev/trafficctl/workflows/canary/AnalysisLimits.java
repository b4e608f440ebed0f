package dev.trafficctl.workflows.canary;

import dev.trafficctl.config.canary.AnalysisSettings;
import dev.trafficctl.config.canary.InconclusiveAction;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.status.AnalysisReport;

/**
 * What a canary makes of one analysis, counted against the document's limits (Argo Rollouts'
 * failureLimit, inconclusiveLimit and consecutiveErrorLimit): whom to tell, and whether to act.
 * Pure; the counters live in {@link CanaryState}.
 */
final class AnalysisLimits {

  /**
   * The outcome of one analysis.
   *
   * @param event what to notify first, or null
   * @param act whether to act: roll back when {@code rollBack}, else pause for a person
   * @param reason why, with the analysis's values
   */
  record Outcome(NotificationEvent event, boolean act, boolean rollBack, String reason) {

    static final Outcome NONE = new Outcome(null, false, false, null);
  }

  private AnalysisLimits() {}

  /**
   * Counts {@code report} in {@code counters}.
   *
   * @param autoRollback the document's {@code auto_rollback}: a breach rolls back, else pauses
   */
  static Outcome count(
      CanaryState counters, AnalysisSettings limits, boolean autoRollback, AnalysisReport report) {
    switch (report.verdict()) {
      case PASS -> {
        counters.inconclusiveInRow = 0;
        counters.errorsInRow = 0;
        return Outcome.NONE;
      }
      case FAIL -> {
        counters.inconclusiveInRow = 0;
        counters.errorsInRow = 0;
        counters.failedAnalyses++;
        boolean act = counters.failedAnalyses >= limits.failureLimit();
        return new Outcome(
            NotificationEvent.ANALYSIS_FAILED,
            act,
            autoRollback,
            "analysis failed: " + report.detail());
      }
      case INCONCLUSIVE -> {
        counters.errorsInRow = 0;
        if (++counters.inconclusiveInRow < limits.inconclusiveLimit()) {
          return Outcome.NONE;
        }
        counters.inconclusiveInRow = 0;
        return new Outcome(
            NotificationEvent.INCONCLUSIVE,
            true,
            limits.onInconclusive() == InconclusiveAction.ROLLBACK,
            limits.inconclusiveLimit() + " inconclusive analyses in a row: " + report.detail());
      }
      default -> {
        // Unreadable metrics: the inconclusive count goes on across them.
        if (++counters.errorsInRow < limits.consecutiveErrorLimit()) {
          return Outcome.NONE;
        }
        counters.errorsInRow = 0;
        return new Outcome(
            null,
            true,
            autoRollback,
            limits.consecutiveErrorLimit()
                + " analyses in a row could not read metrics: "
                + report.detail());
      }
    }
  }
}
