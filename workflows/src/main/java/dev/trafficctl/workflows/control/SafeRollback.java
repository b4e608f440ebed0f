package dev.trafficctl.workflows.control;

import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.ports.FailureTypes;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.status.Phase;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Puts a rollout's traffic back where it came from, whatever the router does meanwhile. Workflow
 * code.
 *
 * <ul>
 *   <li>A router that cannot be reached (each attempt already retried for the activity's schedule
 *       to close timeout) is tried again, every {@link #RETRY_EVERY}, until it confirms: a rollout
 *       that ended then would leave whatever the router loads when it is back (the candidate's last
 *       share, say) with no one to put it right. Meanwhile the status says since when the router
 *       has been unreachable.
 *   <li>A router that refuses the change keeps (or restores) its last known good configuration;
 *       when that one already gives the version being rolled back nothing (the first change was the
 *       one that failed), the rollout is safe all the same and ends saying so. Otherwise the
 *       refusal stands, and the workflow fails with its state readable.
 * </ul>
 */
public final class SafeRollback {

  /** How long a rollback waits before trying an unreachable router again. */
  public static final Duration RETRY_EVERY = Duration.ofMinutes(1);

  /** Failures that say the router answered and refused: trying again cannot change that. */
  private static final Set<String> REFUSALS =
      Set.of(FailureTypes.INVALID_CONFIGURATION, FailureTypes.STALE_CHANGE);

  private SafeRollback() {}

  /**
   * Runs {@code change} until it goes through; returns null then, or the router's refusal when the
   * configuration {@code inForce} reads back gives {@code away} nothing anyway.
   *
   * @throws ActivityFailure the refusal, when traffic still reaches {@code away}
   */
  public static String apply(
      RolloutControl control, Runnable change, Supplier<RouteState> inForce, String away) {
    Instant unreachableSince = null;
    for (int tries = 1; ; tries++) {
      try {
        change.run();
        return null;
      } catch (ActivityFailure failure) {
        if (refused(failure)) {
          if (inForce.get().weightOf(away) != 0) {
            throw failure;
          }
          return WorkflowFailures.rootMessage(failure);
        }
        if (unreachableSince == null) {
          unreachableSince =
              Instant.ofEpochMilli(Workflow.currentTimeMillis()).truncatedTo(ChronoUnit.SECONDS);
        }
        control.moveTo(
            Phase.ROLLING_BACK,
            "rolling back: the router is unreachable since "
                + unreachableSince
                + " ("
                + tries
                + (tries == 1 ? " try" : " tries")
                + ", the next in "
                + RETRY_EVERY.toMinutes()
                + "m): "
                + WorkflowFailures.rootMessage(failure));
        Workflow.sleep(RETRY_EVERY);
      }
    }
  }

  /** Whether the router answered and refused, rather than could not be reached in time. */
  private static boolean refused(ActivityFailure failure) {
    return failure.getCause() instanceof ApplicationFailure answer
        && (answer.isNonRetryable() || REFUSALS.contains(answer.getType()));
  }

  /** {@code (the router kept its last known good: ...)} after a refusal; nothing without one. */
  public static String note(String refused) {
    return refused == null ? "" : " (the router kept its last known good: " + refused + ")";
  }
}
