package dev.trafficctl.workflows;

import io.temporal.workflow.Workflow;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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

  /** Whether this run's history has grown past {@link #EVENTS}. */
  public static boolean spent() {
    return Workflow.getInfo().getHistoryLength() > EVENTS;
  }

  /**
   * Continues as new with the input {@code next} builds, once the update handlers of this run have
   * finished, so nothing they accepted is lost with it. Returns, without continuing, when {@code
   * controlPending} then says a control request (abort, promote, conclude) came in meanwhile: the
   * caller acts on it first.
   */
  public static void handOver(BooleanSupplier controlPending, Supplier<Object> next) {
    Workflow.await(Workflow::isEveryHandlerFinished);
    if (!controlPending.getAsBoolean()) {
      Workflow.continueAsNew(next.get());
    }
  }
}
