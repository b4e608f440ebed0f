package dev.trafficctl.workflows.splitting;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.time.Duration;

/**
 * Capacity mode of a split ({@code traffic split --adjust-weights}): the version weights stay as
 * they are; each server's weight inside its version's pool is adjusted from its measured
 * utilization so that the servers converge toward {@code targetUtilization} (see {@link
 * CapacityWeights}).
 *
 * @param targetUtilization the utilization wanted on every server, percent 1..100
 * @param window what the utilization is averaged over; default {@link #DEFAULT_WINDOW}
 * @param dryRun compute and report the plan, change nothing; default false
 */
public record CapacityPlan(int targetUtilization, Duration window, Boolean dryRun)
    implements Validatable {

  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

  public CapacityPlan {
    window = window == null ? DEFAULT_WINDOW : window;
    // Boxed so that a pipeline's input may leave it out.
    dryRun = Boolean.TRUE.equals(dryRun);
  }

  @Override
  public void validate(Validator at) {
    at.between("target_utilization", targetUtilization, 1, 100);
    at.positive("window", window);
  }
}
