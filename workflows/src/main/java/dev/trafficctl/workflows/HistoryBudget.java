package dev.trafficctl.workflows;

import io.temporal.workflow.Workflow;

/**
 * How long one run's history may grow before a workflow that can wait for days (a paused canary or
 * migration, an A/B test) continues as new. Temporal warns at 10,240 events and ends a run at
 * 51,200; a worker replays the whole history of a run it picks up, so shorter is also faster to
 * recover. A rollout that nobody pauses stays well below. Workflow code only.
 */
public final class HistoryBudget {

  /** Events past which a run continues as new at its next waiting point. */
  public static final int EVENTS = 2_000;

  private HistoryBudget() {}

  /**
   * Whether this run's history has grown past {@link #EVENTS}, or Temporal suggests continuing as
   * new (its history or size nears the server's limits, which may be set lower than the defaults).
   */
  public static boolean spent() {
    return Workflow.getInfo().getHistoryLength() > EVENTS
        || Workflow.getInfo().isContinueAsNewSuggested();
  }
}
