package dev.trafficctl.worker;

import dev.trafficctl.client.ConnectionFailure;
import dev.trafficctl.client.InvalidConnectionSettings;
import dev.trafficctl.client.TemporalConnection;
import dev.trafficctl.client.payload.PayloadEncryption;
import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.workflows.TaskQueues;
import dev.trafficctl.workflows.abtest.AbTestWorkflowImpl;
import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflowImpl;
import dev.trafficctl.workflows.canary.CanaryWorkflowImpl;
import dev.trafficctl.workflows.reconcile.RouteReconcileWorkflowImpl;
import dev.trafficctl.workflows.splitting.TrafficMigrationWorkflowImpl;
import dev.trafficctl.workflows.splitting.TrafficSplitWorkflowImpl;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker: the Temporal connection, the worker factory polling one task queue, the metrics
 * and the health endpoint. {@link #close()} stops them in the order that loses no work: stop
 * polling and let in-flight tasks finish (bounded), then the connection, then metrics and HTTP.
 */
final class WorkerProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);
  private static final Duration DEFAULT_SYSTEM_INFO_TIMEOUT = Duration.ofSeconds(5);

  private final WorkerSettings settings;
  private final WorkerMetrics metrics;
  private volatile HealthServer health;
  private volatile CodecServer codec;
  private volatile WorkflowServiceStubs stubs;
  private volatile WorkerFactory factory;

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final AtomicBoolean forced = new AtomicBoolean();
  private boolean closed;

  private WorkerProcess(WorkerSettings settings) {
    this.settings = settings;
    this.metrics = WorkerMetrics.create(settings.metricsInterval());
  }

  /**
   * Connects, registers the workflows and {@code activities} on the task queue and starts polling.
   *
   * @throws StartupFailure when a setting is unusable or Temporal cannot be reached; everything
   *     started so far is released
   */
  static WorkerProcess start(WorkerSettings settings, List<Object> activities) {
    WorkerProcess process = new WorkerProcess(settings);
    try {
      process.startAll(activities);
      return process;
    } catch (RuntimeException e) {
      process.release();
      throw e;
    }
  }

  private void startAll(List<Object> activities) {
    if (settings.healthPort() != 0) {
      // Up before Temporal is: an orchestrator sees 503 (starting) rather than a refused port.
      health =
          HealthServer.start(
              settings.healthHost(), settings.healthPort(), this::healthy, metrics::scrape);
    }
    if (settings.codec() != null) {
      // Before connecting: a port in use fails the start at once, not after the connect timeout.
      // Decoding for display passes plain payloads through whatever the worker requires of its
      // own inputs: a history with a refused plain input must still show, and show why.
      codec =
          CodecServer.start(
              settings.codec(), PayloadEncryption.with(settings.encryption().keys()).codec());
      log.info(
          "trafficctl-worker codec server on http://{}:{} (POST /encode, /decode){}, for browsers"
              + " from {}",
          settings.codec().host(),
          codec.port(),
          settings.codec().bearerToken() == null ? "" : " with a bearer token",
          String.join(", ", settings.codec().allowedOrigins()));
    }
    WorkflowServiceStubsOptions stubOptions;
    try {
      stubOptions =
          TemporalConnection.stubOptions(settings.connection())
              .setMetricsScope(metrics.scope())
              // Connecting asks for the server's capabilities with this deadline (SDK default 5s);
              // kept within the connect timeout so an unreachable server fails when promised.
              .setSystemInfoTimeout(min(settings.connectTimeout(), DEFAULT_SYSTEM_INFO_TIMEOUT))
              .build();
    } catch (InvalidConnectionSettings e) {
      // A certificate, key or CA that does not parse.
      throw new StartupFailure(StartupFailure.BAD_INPUT, e.getMessage(), e);
    }
    stubs = WorkflowServiceStubs.newServiceStubs(stubOptions);
    try {
      stubs.connect(settings.connectTimeout());
    } catch (StatusRuntimeException e) {
      Optional<ConnectionFailure> known = ConnectionFailure.of(e, settings.connection());
      if (known.isPresent() && known.get().kind() == ConnectionFailure.Kind.SETTINGS) {
        throw new StartupFailure(StartupFailure.BAD_INPUT, known.get().message(), e);
      }
      throw new StartupFailure(
          StartupFailure.UNREACHABLE,
          known.isPresent()
              ? known.get().message()
                  + " (gave up after "
                  + SpecDurations.format(settings.connectTimeout())
                  + ")"
              : "Temporal at "
                  + settings.address()
                  + " unreachable after "
                  + SpecDurations.format(settings.connectTimeout())
                  + ": "
                  + describe(e.getStatus()),
          e);
    }
    WorkflowClient client =
        WorkflowClient.newInstance(
            stubs,
            WorkflowClientOptions.newBuilder(settings.connection().toWorkflowClientOptions())
                .setDataConverter(settings.encryption().dataConverter())
                .build());
    factory =
        WorkerFactory.newInstance(
            client,
            settings
                .tuning()
                .apply(
                    WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new FailureLogging()))
                .build());
    WorkerOptions options =
        settings
            .tuning()
            .apply(
                WorkerOptions.newBuilder()
                    // A router activity verifying a reload keeps heartbeating while the worker
                    // drains.
                    .setAllowActivityHeartbeatDuringShutdown(true))
            .build();
    Worker worker = factory.newWorker(settings.taskQueue(), options);
    worker.registerWorkflowImplementationTypes(
        CanaryWorkflowImpl.class,
        BlueGreenWorkflowImpl.class,
        TrafficSplitWorkflowImpl.class,
        TrafficMigrationWorkflowImpl.class,
        AbTestWorkflowImpl.class,
        RouteReconcileWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities.toArray());
    for (String host : settings.routerHosts()) {
      // Activities only: the routers there are changed and read from here, while their
      // workflows run on whichever worker polls the shared queue.
      factory
          .newWorker(TaskQueues.routerHost(host), options)
          .registerActivitiesImplementations(activities.toArray());
    }
    try {
      // Describes the namespace first: a wrong namespace or credential fails here, not in a poller.
      factory.start();
    } catch (StatusRuntimeException e) {
      Optional<ConnectionFailure> known = ConnectionFailure.of(e, settings.connection());
      if (known.isPresent()) {
        throw new StartupFailure(
            known.get().kind() == ConnectionFailure.Kind.SETTINGS
                ? StartupFailure.BAD_INPUT
                : StartupFailure.UNREACHABLE,
            known.get().message(),
            e);
      }
      Status.Code code = e.getStatus().getCode();
      boolean badSetting =
          code == Status.Code.NOT_FOUND
              || code == Status.Code.INVALID_ARGUMENT
              || code == Status.Code.UNAUTHENTICATED
              || code == Status.Code.PERMISSION_DENIED;
      throw new StartupFailure(
          badSetting ? StartupFailure.BAD_INPUT : StartupFailure.UNREACHABLE,
          "namespace "
              + settings.namespace()
              + " on "
              + settings.address()
              + ": "
              + describe(e.getStatus()),
          e);
    }
    log.info("trafficctl-worker: {}", settings.encryption());
    log.info("trafficctl-worker: {}", settings.tuning().describe());
    log.info(
        "trafficctl-worker polling {} on {} namespace {}",
        settings.taskQueue(),
        settings.address(),
        settings.namespace());
    for (String host : settings.routerHosts()) {
      log.info(
          "trafficctl-worker: router host {}: polling {} for its routers' changes and reads",
          host,
          TaskQueues.routerHost(host));
    }
    if (health != null) {
      log.info(
          "trafficctl-worker health on http://{}:{}/healthz, metrics on /metrics",
          settings.healthHost(),
          health.port());
    }
  }

  /** Polling, not stopping, and Temporal's frontend answers SERVING. */
  boolean healthy() {
    WorkerFactory current = factory;
    if (current == null || !current.isStarted() || current.isShutdown()) {
      return false;
    }
    try {
      return stubs.healthCheck().getStatus() == ServingStatus.SERVING;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The codec server's port, or 0 when it is off. */
  int codecPort() {
    return codec == null ? 0 : codec.port();
  }

  /** The health endpoint's port, or 0 when it is off. */
  int healthPort() {
    return health == null ? 0 : health.port();
  }

  /**
   * Asks the process to stop; returns at once. A second request, while the first is still draining,
   * cancels the tasks in flight instead of waiting for them.
   */
  void requestStop() {
    if (stopRequested.getCount() > 0) {
      stopRequested.countDown();
      return;
    }
    WorkerFactory current = factory;
    if (current != null && forced.compareAndSet(false, true)) {
      log.warn("trafficctl-worker: second stop request, cancelling tasks in flight");
      current.shutdownNow();
    }
  }

  /** Blocks until {@link #requestStop()}. */
  void awaitStopRequest() throws InterruptedException {
    stopRequested.await();
  }

  /**
   * Graceful stop: no new tasks, in-flight ones get {@code shutdownTimeout} to finish, then are
   * cancelled. Idempotent; a concurrent caller waits until the first one is done.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopRequested.countDown();
    long started = System.nanoTime();
    boolean drained = true;
    if (factory != null && factory.isStarted()) {
      log.info(
          "trafficctl-worker stopping: finishing tasks in flight (up to {})",
          SpecDurations.format(settings.shutdownTimeout()));
      factory.shutdown();
      factory.awaitTermination(settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!factory.isTerminated()) {
        drained = false;
        log.warn(
            "trafficctl-worker: tasks still running after {}, cancelling them",
            SpecDurations.format(settings.shutdownTimeout()));
        factory.shutdownNow();
        factory.awaitTermination(2, TimeUnit.SECONDS);
      }
    }
    release();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    log.info("trafficctl-worker stopped in {} ms{}", millis, drained ? "" : " (tasks cancelled)");
  }

  /** Releases what was started, without waiting for tasks. */
  private void release() {
    // A factory whose start failed never polled; shutting it down would only call the server
    // again (ShutdownWorker) and log that failure on top of the one being reported.
    if (factory != null && factory.isStarted() && !factory.isTerminated()) {
      factory.shutdownNow();
    }
    if (stubs != null) {
      stubs.shutdown();
      if (!stubs.awaitTermination(5, TimeUnit.SECONDS)) {
        stubs.shutdownNow();
      }
    }
    metrics.close();
    if (codec != null) {
      codec.close();
    }
    if (health != null) {
      health.close();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String describe(Status status) {
    String description = status.getDescription();
    if (description == null || description.isBlank()) {
      return status.getCode().toString();
    }
    // gRPC appends details (the channel pipeline) on further lines; errors here are one line.
    return status.getCode() + " " + description.lines().findFirst().orElse("").strip();
  }
}
