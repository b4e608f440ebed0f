package dev.trafficctl.workflows.splitting;

import dev.trafficctl.workflows.control.RolloutState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A migration's state, carried into its next run when it continues as new: a paused migration, or
 * one whose analyses stay inconclusive, waits an interval after another, which would otherwise grow
 * one history without end. Weights are version to percent, in the router's order.
 */
public final class MigrationState extends RolloutState {

  /** The weights in force when the migration began: where an abort returns. */
  Map<String, Integer> start = new LinkedHashMap<>();

  /** The weights in force now. */
  Map<String, Integer> current = new LinkedHashMap<>();

  /** The weights before the latest move: where a breach with on_breach last_good returns. */
  Map<String, Integer> beforeLastMove = new LinkedHashMap<>();

  /** Moves made so far. */
  int step;

  /** Moves the migration needs in all. */
  int totalSteps;

  /** Clock time left of the current interval. */
  long remainingMillis;
}
