package dev.trafficctl.workflows.reconcile;

import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.ports.FailureTypes;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.TrafficRouter;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Puts one change in force through a router that may be unreachable for a while: each attempt
 * retries for the router activity's schedule-to-close timeout; after that the change is tried again
 * every {@link #RETRY_EVERY}, the same change (the same number, so a late attempt of it is
 * harmless), until the router confirms it, refuses it, or a time limit passes. Workflow code.
 */
public final class RouterRetries {

  /** How long to wait before trying an unreachable router again. */
  public static final Duration RETRY_EVERY = Duration.ofMinutes(1);

  /** Failures that say the router answered and refused: trying again cannot change that. */
  private static final Set<String> REFUSALS =
      Set.of(FailureTypes.INVALID_CONFIGURATION, FailureTypes.STALE_CHANGE);

  private RouterRetries() {}

  /**
   * How it ended: applied (both null), refused ({@code refusal}), or still unreachable when the
   * time limit passed ({@code unreachableSince}, with the last error).
   */
  public record Outcome(ActivityFailure refusal, Instant unreachableSince, String lastError) {

    public boolean applied() {
      return refusal == null && unreachableSince == null;
    }
  }

  /**
   * Tries {@code change} until the router confirms or refuses it, or, with {@code limit}, until the
   * router has been unreachable for that long. {@code progress} hears each failed try, as {@code
   * the router is unreachable since <time> (<n> tries, the next in 1m): <error>}.
   */
  public static Outcome apply(
      TrafficRouter router, RouteChange change, Consumer<String> progress, Duration limit) {
    // The router has not answered since the first try began: a try alone may take as long as the
    // router activity's retries do.
    Instant since =
        Instant.ofEpochMilli(Workflow.currentTimeMillis()).truncatedTo(ChronoUnit.SECONDS);
    for (int tries = 1; ; tries++) {
      try {
        router.change(change);
        return new Outcome(null, null, null);
      } catch (ActivityFailure failure) {
        if (refused(failure)) {
          return new Outcome(failure, null, null);
        }
        Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
        String error = WorkflowFailures.rootMessage(failure);
        Duration wait = RETRY_EVERY;
        if (limit != null) {
          Duration left = Duration.between(now, since.plus(limit));
          if (left.isNegative() || left.isZero()) {
            return new Outcome(null, since, error);
          }
          // One more try as the time limit comes, not a minute after it.
          wait = left.compareTo(wait) < 0 ? left : wait;
        }
        progress.accept(
            "the router is unreachable since "
                + since
                + " ("
                + tries
                + (tries == 1 ? " try" : " tries")
                + ", the next in "
                + SpecDurations.human(wait)
                + "): "
                + error);
        Workflow.sleep(wait);
      }
    }
  }

  /** Whether the router answered and refused, rather than could not be reached in time. */
  private static boolean refused(ActivityFailure failure) {
    return failure.getCause() instanceof ApplicationFailure answer
        && (answer.isNonRetryable() || REFUSALS.contains(answer.getType()));
  }
}
