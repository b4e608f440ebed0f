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

  /** Hold time served while the clock was stopped and restarted. */
  long accumulatedMillis() {
    return accumulatedMillis;
  }

  /** When the clock last started; null while stopped. */
  Long runningSince() {
    return runningSince;
  }

  /** The clock of a continued run, exactly as the previous run left it. */
  void carryOn(long accumulatedMillis, Long runningSince) {
    this.accumulatedMillis = accumulatedMillis;
    this.runningSince = runningSince;
  }

  boolean running() {
    return runningSince != null;
  }

  long elapsedMillis(long now) {
    return accumulatedMillis + (runningSince == null ? 0 : now - runningSince);
  }
}
