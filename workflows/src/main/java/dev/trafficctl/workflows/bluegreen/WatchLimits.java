package dev.trafficctl.workflows.bluegreen;

import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.status.AnalysisReport;

/**
 * What a blue-green rollout makes of one check of a color that has traffic (a step of a gradual
 * switch, or monitoring), counted as a canary counts its analyses: a breach acts at once (the
 * canary's default failure limit, 1), and checks that cannot judge act once too many come in a row.
 * A check that cannot judge never counts as a pass: too few requests (fewer than the metrics
 * source's {@code minimum_requests}) or no health probe is inconclusive, unreadable metrics an
 * error. Pure; the counters live in {@link BlueGreenState}.
 */
final class WatchLimits {

  /** Inconclusive checks in a row that act: the canary's default {@code inconclusive_limit}. */
  static final int INCONCLUSIVE_LIMIT = 3;

  /**
   * Checks in a row that could not read metrics and act: a watch that sees nothing must not pass.
   */
  static final int ERROR_LIMIT = 3;

  /**
   * What to make of one check.
   *
   * @param act whether the color is judged as failing the watch: switch back, or pause for a
   *     decision when switching back is not automatic
   * @param event what to notify, or null
   * @param stageOutcome the stage's outcome when it acts: {@code failed} or {@code inconclusive}
   * @param reason why, with the check's values; null when it does not act
   */
  record Outcome(boolean act, NotificationEvent event, String stageOutcome, String reason) {

    static final Outcome NONE = new Outcome(false, null, null, null);
  }

  private WatchLimits() {}

  /** Counts {@code report} in {@code counters}. */
  static Outcome count(BlueGreenState counters, AnalysisReport report) {
    switch (report.verdict()) {
      case PASS -> {
        counters.inconclusiveInRow = 0;
        counters.errorsInRow = 0;
        return Outcome.NONE;
      }
      case FAIL -> {
        counters.inconclusiveInRow = 0;
        counters.errorsInRow = 0;
        return new Outcome(true, null, "failed", report.detail());
      }
      case INCONCLUSIVE -> {
        counters.errorsInRow = 0;
        if (++counters.inconclusiveInRow < INCONCLUSIVE_LIMIT) {
          return Outcome.NONE;
        }
        counters.inconclusiveInRow = 0;
        return new Outcome(
            true,
            NotificationEvent.INCONCLUSIVE,
            "inconclusive",
            INCONCLUSIVE_LIMIT + " inconclusive checks in a row: " + report.detail());
      }
      default -> {
        // Unreadable metrics: the inconclusive count goes on across them, as a canary's does.
        if (++counters.errorsInRow < ERROR_LIMIT) {
          return Outcome.NONE;
        }
        counters.errorsInRow = 0;
        return new Outcome(
            true,
            null,
            "failed",
            ERROR_LIMIT + " checks in a row could not read metrics: " + report.detail());
      }
    }
  }
}
