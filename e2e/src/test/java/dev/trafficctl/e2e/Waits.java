package dev.trafficctl.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting on conditions, never on fixed sleeps: poll briefly until true or the bound passes. */
final class Waits {

  private static final long POLL_MILLIS = 250;

  private Waits() {}

  static <T> T until(String what, Duration bound, Supplier<T> probe, Predicate<T> done) {
    Instant deadline = Instant.now().plus(bound);
    T last = null;
    while (Instant.now().isBefore(deadline)) {
      last = probe.get();
      if (done.test(last)) {
        return last;
      }
      pause();
    }
    throw new AssertionError("not within " + bound + ": " + what + " (last seen: " + last + ")");
  }

  static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
