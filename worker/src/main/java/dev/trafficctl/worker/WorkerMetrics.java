package dev.trafficctl.worker;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.time.Duration;

/**
 * The worker's metrics in Prometheus' text format: the Temporal SDK's own (pollers, task latencies,
 * slots, request failures: {@code temporal_*}) through its Tally scope reported into Micrometer, as
 * Temporal's samples do, plus the JVM's memory, GC, threads and CPU.
 */
final class WorkerMetrics implements AutoCloseable {

  /** Prometheus' text exposition format, version 0.0.4. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final Scope scope;
  private final JvmGcMetrics gc;

  private WorkerMetrics(Duration reportInterval) {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    // Tally buffers the SDK's metrics and hands them to Micrometer every reportInterval.
    scope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(com.uber.m3.util.Duration.ofMillis((double) reportInterval.toMillis()));
  }

  static WorkerMetrics create(Duration reportInterval) {
    return new WorkerMetrics(reportInterval);
  }

  /** The scope to give the service stubs; the worker factory and client report through it. */
  Scope scope() {
    return scope;
  }

  String scrape() {
    return registry.scrape();
  }

  /** Reports what the scope still buffers, then releases the registry. */
  @Override
  public void close() {
    try {
      scope.close();
    } catch (ScopeCloseException e) {
      // Nothing to do at exit beyond dropping the last interval's values.
    }
    gc.close();
    registry.close();
  }
}
