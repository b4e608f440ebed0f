package dev.trafficctl.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultsTest {

  private static List<Faults.Outcome> draws(long seed, Behaviour behaviour, int n) {
    Faults faults = new Faults(seed);
    List<Faults.Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      outcomes.add(faults.draw(behaviour));
    }
    return outcomes;
  }

  @Test
  void theSameSeedFailsTheSameRequests() {
    Behaviour behaviour = new Behaviour(30, Duration.ZERO, Duration.ZERO, true);

    assertEquals(draws(7, behaviour, 500), draws(7, behaviour, 500));
  }

  @Test
  void jitterDoesNotChangeWhichRequestsFail() {
    Behaviour plain = new Behaviour(30, Duration.ZERO, Duration.ZERO, true);
    Behaviour jittery = new Behaviour(30, Duration.ofMillis(5), Duration.ofMillis(50), true);

    List<Faults.Outcome> a = draws(7, plain, 200);
    List<Faults.Outcome> b = draws(7, jittery, 200);
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).fails(), b.get(i).fails(), "request " + i);
    }
  }

  @Test
  void delaysStayWithinLatencyPlusJitter() {
    Duration latency = Duration.ofMillis(20);
    Duration jitter = Duration.ofMillis(10);
    for (Faults.Outcome outcome : draws(3, new Behaviour(0, latency, jitter, true), 1000)) {
      assertFalse(outcome.fails());
      assertTrue(outcome.delay().compareTo(latency) >= 0, outcome.toString());
      assertTrue(outcome.delay().compareTo(latency.plus(jitter)) <= 0, outcome.toString());
    }
  }

  @Test
  void extremesAreExact() {
    assertTrue(
        draws(1, new Behaviour(100, Duration.ZERO, Duration.ZERO, true), 1000).stream()
            .allMatch(Faults.Outcome::fails));
    assertTrue(
        draws(1, Behaviour.NOMINAL, 1000).stream()
            .noneMatch(o -> o.fails() || !o.delay().isZero()));
  }
}
