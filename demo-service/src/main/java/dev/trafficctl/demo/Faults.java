package dev.trafficctl.demo;

import java.time.Duration;
import java.util.Random;

/**
 * The injected faults' dice: whether a request fails and how long it waits. One seeded generator
 * for the whole service, so a run with a fixed {@code --seed} and requests sent one after another
 * fails the same requests every time. Each request draws in a fixed order (failure, then jitter) so
 * that changing the jitter does not change which requests fail.
 */
final class Faults {

  private final Random random;

  Faults(long seed) {
    // java.util.Random is thread-safe; contention on it is negligible beside an HTTP exchange.
    this.random = new Random(seed);
  }

  /** One request's fate under {@code behaviour}. */
  Outcome draw(Behaviour behaviour) {
    // Always draw both numbers, so the sequence does not depend on the settings in force.
    double failureDraw = random.nextDouble() * 100;
    double jitterDraw = random.nextDouble();
    boolean fails = failureDraw < behaviour.errorRate();
    long jitterNanos = (long) (behaviour.latencyJitter().toNanos() * jitterDraw);
    return new Outcome(fails, behaviour.latency().plusNanos(jitterNanos));
  }

  /**
   * @param fails answer 500
   * @param delay wait this long before answering
   */
  record Outcome(boolean fails, Duration delay) {}
}
