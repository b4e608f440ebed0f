package dev.trafficctl.activities.router;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;

/**
 * What a router change tells Temporal while it runs: that its attempt is alive (heartbeats), and,
 * at the points where it is about to put something in force, whether the attempt is still wanted.
 * An attempt the workflow cancelled, or that Temporal timed out and retried, would otherwise run on
 * and could land after what replaced it; the change number fences that off for good ({@link
 * RouteLayers#compose}), and this stops such an attempt early, before it touches anything.
 *
 * <p>The Java SDK learns of a cancellation from the answer to an earlier heartbeat (it sends them
 * at most every 80% of the heartbeat timeout), so the check is as fresh as that answer: the change
 * number is the guarantee, this is the courtesy. Outside an activity (a test, a tool calling a
 * router directly) both calls do nothing.
 */
public final class RouterAttempt {

  private RouterAttempt() {}

  /**
   * Heartbeats with {@code stage}; throws {@link ActivityCompletionException} when the attempt was
   * cancelled or is no longer known to Temporal (timed out): the caller must apply nothing after.
   */
  public static void stillWanted(String stage) {
    ActivityExecutionContext context = context();
    if (context != null) {
      context.heartbeat(stage);
    }
  }

  /**
   * Heartbeats with {@code stage} while finishing what was started (a reload, a restore): stopping
   * half-way would leave neither the old state nor the new, so a cancellation is not acted on here.
   */
  public static void alive(String stage) {
    try {
      stillWanted(stage);
    } catch (ActivityCompletionException notWanted) {
      // Finishing is safer than stopping now; the next stillWanted check stops the attempt.
    }
  }

  private static ActivityExecutionContext context() {
    try {
      return Activity.getExecutionContext();
    } catch (IllegalStateException notInAnActivity) {
      return null;
    }
  }
}
