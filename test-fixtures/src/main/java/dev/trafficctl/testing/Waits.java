package dev.trafficctl.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting on conditions, never on fixed sleeps: poll briefly until true or the bound passes. */
public final class Waits {

  private static final long POLL_MILLIS = 250;

  private Waits() {}

  /**
   * Probes until {@code done} accepts what {@code probe} saw, and returns that; fails with the last
   * thing seen once {@code bound} has passed.
   */
  public static <T> T until(String what, Duration bound, Supplier<T> probe, Predicate<T> done) {
    return until(what, bound, Duration.ofMillis(POLL_MILLIS), probe, done);
  }

  /** As {@link #until(String, Duration, Supplier, Predicate)}, probing every {@code poll}. */
  public static <T> T until(
      String what, Duration bound, Duration poll, Supplier<T> probe, Predicate<T> done) {
    Instant deadline = Instant.now().plus(bound);
    T last = null;
    while (Instant.now().isBefore(deadline)) {
      last = probe.get();
      if (done.test(last)) {
        return last;
      }
      sleep(poll.toMillis());
    }
    throw new AssertionError("not within " + bound + ": " + what + " (last seen: " + last + ")");
  }

  /** One poll interval. */
  public static void pause() {
    sleep(POLL_MILLIS);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
