package dev.trafficctl.testing;

import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * Rollout statuses as the workflows report them, for the tests of what shows or sends them (the
 * CLI's views, notifications). Each preset is a {@link RolloutStatus.Builder}: a test sets what it
 * looks at (the message, the analysis, who acted) and builds. What no preset or test sets is null,
 * 0 or empty.
 */
public final class RolloutStatuses {

  private RolloutStatuses() {}

  /** Service {@code api} in {@code production} ({@code production.api}), a canary v1 -> v2. */
  public static RolloutStatus.Builder canary() {
    return api().strategy("canary").stableVersion("v1").candidateVersion("v2");
  }

  /** Service {@code api} in {@code production}, a blue-green switch from blue to green. */
  public static RolloutStatus.Builder blueGreen() {
    return api().strategy("blue-green").stableVersion("blue").candidateVersion("green");
  }

  /**
   * A canary that began at {@code at}: step 1 of {@code totalSteps}, {@code weight}% on v2 (then
   * {@code nextWeight}%), holding for {@code hold}.
   */
  public static RolloutStatus.Builder canaryStarted(
      Instant at, int totalSteps, int weight, Integer nextWeight, Duration hold) {
    return canary()
        .phase(Phase.PROGRESSING)
        .step(1)
        .totalSteps(totalSteps)
        .weight(weight)
        .nextWeight(nextWeight)
        .phaseSince(at)
        .stepRemaining(hold)
        .stepEndsAt(at.plus(hold))
        .updatedAt(at);
  }

  /**
   * A canary paused at step {@code step} of {@code totalSteps} with {@code weight}% on v2 ({@code
   * nextWeight}% in the next step): no hold end while paused.
   */
  public static RolloutStatus.Builder canaryPaused(
      int step, int totalSteps, int weight, Integer nextWeight) {
    return canary()
        .phase(Phase.PAUSED)
        .step(step)
        .totalSteps(totalSteps)
        .weight(weight)
        .nextWeight(nextWeight);
  }

  /** A canary rolled back at {@code at}, at step {@code step} of {@code totalSteps}: 0% on v2. */
  public static RolloutStatus.Builder canaryRolledBack(Instant at, int step, int totalSteps) {
    return canary()
        .phase(Phase.ROLLED_BACK)
        .step(step)
        .totalSteps(totalSteps)
        .weight(0)
        .phaseSince(at)
        .updatedAt(at);
  }

  /** A canary promoted at {@code at} after all its {@code steps}: 100% on v2. */
  public static RolloutStatus.Builder canaryPromoted(Instant at, int steps) {
    return canary()
        .phase(Phase.PROMOTED)
        .step(steps)
        .totalSteps(steps)
        .weight(100)
        .phaseSince(at)
        .updatedAt(at);
  }

  private static RolloutStatus.Builder api() {
    return RolloutStatus.builder().workflowId("production.api").service("api").env("production");
  }
}
