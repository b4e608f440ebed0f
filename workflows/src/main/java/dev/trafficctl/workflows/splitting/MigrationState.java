package dev.trafficctl.workflows.splitting;

import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.StepRecord;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a migration carries into its next run when it continues as new: a paused migration, or one
 * whose analyses stay inconclusive, waits an interval after another, which would otherwise grow one
 * history without end.
 *
 * @param start the weights in force when the migration began (where an abort returns)
 * @param current the weights in force now
 * @param beforeLastMove the weights before the latest move (where on_breach last_good returns)
 * @param step moves made so far
 * @param totalSteps moves the migration needs in all
 * @param remainingMillis clock time left of the current interval
 * @param phaseSince when the current phase began
 */
public record MigrationState(
    Map<String, Integer> start,
    Map<String, Integer> current,
    Map<String, Integer> beforeLastMove,
    int step,
    int totalSteps,
    long remainingMillis,
    boolean paused,
    Phase phase,
    String message,
    Instant phaseSince,
    AnalysisReport lastAnalysis,
    List<StepRecord> steps,
    List<ActionRecord> actions) {

  public MigrationState {
    start = ordered(start);
    current = ordered(current);
    beforeLastMove = ordered(beforeLastMove);
    steps = steps == null ? List.of() : List.copyOf(steps);
    actions = actions == null ? List.of() : List.copyOf(actions);
  }

  private static Map<String, Integer> ordered(Map<String, Integer> weights) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(weights == null ? Map.of() : weights));
  }
}
