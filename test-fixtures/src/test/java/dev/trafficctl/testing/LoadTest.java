package dev.trafficctl.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loopback load fixtures against in-process version backends: bounded, and counted. */
class LoadTest {

  private VersionBackends backends;
  private String v1;

  @BeforeEach
  void start() {
    backends = VersionBackends.start(Map.of("v1", 1, "v2", 1));
    v1 = backends.addresses().get("v1").get(0);
  }

  @AfterEach
  void stop() {
    backends.close();
  }

  @Test
  void aBatchCountsWhoAnsweredEachRequest() {
    Traffic traffic = new Traffic();
    assertEquals(Map.of("v1", 30), traffic.send(v1, 30));
    assertEquals(30, backends.hits(v1));
    String v2 = backends.addresses().get("v2").get(0);
    assertEquals(Map.of("v2", 5), traffic.sendWith(v2, 5, Map.of("X-Feature-A", "on")));
    assertEquals(
        "on",
        traffic
            .getWith(v2, "/", Map.of("X-Feature-A", "on"))
            .headers()
            .firstValue("X-Upstream-Saw-A")
            .orElseThrow());
  }

  @Test
  void theLoadStopsByItselfAfterItsRequestCount() throws Exception {
    try (LoadGenerator load =
        new LoadGenerator("http://" + v1 + "/", 2, 500, 40, Duration.ofSeconds(30)).start()) {
      LoadGenerator.Counts counts = load.awaitEnd();
      assertEquals(40, counts.sent(), counts.toString());
      assertEquals(40, counts.status(200), counts.toString());
      assertEquals(0, counts.failed(), counts.toString());
    }
    assertEquals(40, backends.hits(v1));
  }

  @Test
  void theLoadStopsByItselfAfterItsDuration() throws Exception {
    long started = System.nanoTime();
    try (LoadGenerator load =
        new LoadGenerator("http://" + v1 + "/", 2, 20, 1_000_000, Duration.ofSeconds(1)).start()) {
      LoadGenerator.Counts counts = load.awaitEnd();
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "ended after " + took);
      assertTrue(counts.sent() > 0 && counts.sent() <= 40, counts.toString());
    }
  }
}
