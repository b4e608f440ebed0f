package dev.trafficctl.workflows.canary;

import static dev.trafficctl.workflows.canary.testing.CanaryDocs.CANDIDATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.config.catalog.MetricsProviderType;
import dev.trafficctl.config.catalog.MetricsSource;
import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import dev.trafficctl.workflows.canary.testing.CanaryHarness;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A catalog router with {@code host:} is changed and read only from that host's task queue, where
 * the worker that holds its files polls; the workflow itself runs on the shared queue.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RouterHostTest {

  private static final String HOST = "lb-1";

  private CanaryHarness h;

  @AfterEach
  void tearDown() {
    h.close();
  }

  /** The fast canary of api, its router on {@link #HOST}, read through {@code metrics}. */
  private static CanaryInput onRouterHost(MetricsSource metrics) {
    CanaryInput input = CanaryDocs.fast().input();
    EnvironmentEntry t = input.target();
    EnvironmentEntry bound =
        new EnvironmentEntry(
            t.router().onHost(HOST),
            t.versions(),
            metrics == null ? t.metrics() : metrics,
            t.health(),
            t.notifications(),
            t.rollback());
    return new CanaryInput(
        input.service(), input.env(), input.version(), input.canary(), bound, "alice");
  }

  @Test
  void changesReadsAndAccessLogSamplesRunOnTheRouterHostsQueueOnly() {
    h = new CanaryHarness(HOST);
    MetricsSource accessLog =
        new MetricsSource(
            MetricsProviderType.NGINX_LOG,
            null,
            null,
            "/var/log/nginx/access.json",
            null,
            null,
            null);

    CanaryResult result = h.result(h.start(onRouterHost(accessLog)));

    assertTrue(result.promoted(), result.status().message());
    assertEquals(List.of(10, 50, 100), h.router.weightsOf(CANDIDATE));
    assertFalse(h.metrics.queries().isEmpty(), "the access log is sampled on the router host");
    assertEquals(0, h.sharedQueueRouter.calls());
    assertEquals(List.of(), h.sharedQueueMetrics.queries());
  }

  @Test
  void prometheusIsSampledByAnyWorkerWhileTheRouterStaysOnItsHost() {
    h = new CanaryHarness(HOST);

    CanaryResult result = h.result(h.start(onRouterHost(null)));

    assertTrue(result.promoted(), result.status().message());
    assertEquals(List.of(10, 50, 100), h.router.weightsOf(CANDIDATE));
    assertEquals(0, h.sharedQueueRouter.calls());
    assertTrue(h.metrics.queries().isEmpty());
    assertFalse(h.sharedQueueMetrics.queries().isEmpty());
  }

  @Test
  void withoutAHostTheWorkflowsOwnQueueRunsEverything() {
    h = new CanaryHarness();

    CanaryResult result = h.result(h.start(CanaryDocs.fast().input()));

    assertTrue(result.promoted(), result.status().message());
    assertTrue(h.router.calls() > 0);
    assertFalse(h.metrics.queries().isEmpty());
  }
}
