package dev.trafficctl.workflows.canary;

/**
 * A step's clock: runs while the rollout progresses and stops while it is paused, so a paused step
 * resumes with the hold time it had left. Times are workflow times (replay-safe).
 */
final class StepClock {

  private long accumulatedMillis;
  private Long runningSince;

  void restart(long now) {
    accumulatedMillis = 0;
    runningSince = now;
  }

  void stop(long now) {
    if (runningSince != null) {
      accumulatedMillis += now - runningSince;
      runningSince = null;
    }
  }

  void start(long now) {
    if (runningSince == null) {
      runningSince = now;
    }
  }

  boolean running() {
    return runningSince != null;
  }

  long elapsedMillis(long now) {
    return accumulatedMillis + (runningSince == null ? 0 : now - runningSince);
  }
}
