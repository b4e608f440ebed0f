package dev.trafficctl.workflows.canary;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import java.time.Instant;

/**
 * A step's clock: runs while the rollout progresses and stops while it is paused, so a paused step
 * resumes with the hold time it had left. Times are workflow times (replay-safe). Part of the
 * canary's state, so a continued run's step goes on with the time it had served.
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.ANY,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE,
    setterVisibility = Visibility.NONE)
final class StepClock {

  /** Hold time served while the clock was stopped and restarted. */
  private long accumulatedMillis;

  /** When the clock last started; null while stopped. */
  private Instant runningSince;

  void restart(long now) {
    accumulatedMillis = 0;
    runningSince = Instant.ofEpochMilli(now);
  }

  void stop(long now) {
    if (runningSince != null) {
      accumulatedMillis += now - runningSince.toEpochMilli();
      runningSince = null;
    }
  }

  void start(long now) {
    if (runningSince == null) {
      runningSince = Instant.ofEpochMilli(now);
    }
  }

  boolean running() {
    return runningSince != null;
  }

  long elapsedMillis(long now) {
    return accumulatedMillis + (runningSince == null ? 0 : now - runningSince.toEpochMilli());
  }
}
