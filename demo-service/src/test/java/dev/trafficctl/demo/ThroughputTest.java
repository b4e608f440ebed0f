package dev.trafficctl.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A bounded loopback load on one instance, printing its requests per second. It asserts only that
 * every request was answered and counted: the figure is information (it depends on the machine),
 * not a pass mark.
 */
class ThroughputTest {

  private static final int REQUESTS = 5000;

  @Test
  void oneKeepAliveClientIsAnsweredAndCounted() throws Exception {
    try (DemoServer server =
        DemoServer.start(new DemoServer.Options("127.0.0.1", 0, "v1", Behaviour.NOMINAL, 1L))) {
      DemoClient client = new DemoClient(server);
      for (int i = 0; i < 500; i++) { // warm-up, not measured
        client.get("/warmup");
      }
      long start = System.nanoTime();
      for (int i = 0; i < REQUESTS; i++) {
        HttpResponse<String> response = client.get("/");
        assertEquals(200, response.statusCode());
      }
      report("1 keep-alive client", REQUESTS, System.nanoTime() - start);
      assertCounted(REQUESTS + 500, server.stats().requests());
    }
  }

  @Test
  void fourConcurrentClientsAreAnsweredAndCounted() throws Exception {
    int clients = 4;
    try (DemoServer server =
        DemoServer.start(new DemoServer.Options("127.0.0.1", 0, "v1", Behaviour.NOMINAL, 1L))) {
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        long start = System.nanoTime();
        List<Future<Integer>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          done.add(
              pool.submit(
                  () -> {
                    DemoClient client = new DemoClient(server);
                    int ok = 0;
                    for (int i = 0; i < REQUESTS / clients; i++) {
                      ok += client.get("/").statusCode() == 200 ? 1 : 0;
                    }
                    return ok;
                  }));
        }
        int ok = 0;
        for (Future<Integer> f : done) {
          ok += f.get();
        }
        report(clients + " keep-alive clients", REQUESTS, System.nanoTime() - start);
        assertEquals(REQUESTS, ok);
        assertCounted(REQUESTS, server.stats().requests());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * Every answered request was counted. The JDK client sends a GET again, once, when a kept-alive
   * connection closes before its answer starts (it happened once in 5,000 on a loaded 2-core
   * machine); the server rightly counts both, so the count may exceed the answers by a few, never
   * fall short of them.
   */
  private static void assertCounted(int answered, long counted) {
    if (counted != answered) {
      System.out.printf("demo-service: %d requests sent again by the client%n", counted - answered);
    }
    assertTrue(
        counted >= answered && counted <= answered + answered / 100,
        "counted " + counted + " for " + answered + " answered");
  }

  private static void report(String what, int requests, long nanos) {
    double seconds = Duration.ofNanos(nanos).toMillis() / 1000.0;
    System.out.printf(
        "demo-service throughput, %s: %d requests in %.2fs = %.0f requests/s%n",
        what, requests, seconds, requests / seconds);
  }
}
