package dev.trafficctl.workflows;

import dev.trafficctl.config.catalog.MetricsProviderType;
import dev.trafficctl.config.catalog.MetricsSource;
import dev.trafficctl.workflows.ports.FailureTypes;
import dev.trafficctl.workflows.ports.HealthChecker;
import dev.trafficctl.workflows.ports.MetricsProvider;
import dev.trafficctl.workflows.ports.Notifier;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.TrafficRouter;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Activity options, timeouts and retry policies, in one place. Called from workflow code only.
 *
 * <p>Bad configuration ({@link FailureTypes#INVALID_CONFIGURATION}) is never retried: retrying
 * cannot fix it. Router changes retry for a bounded time so a broken load balancer leads to a
 * rollback instead of a rollout that hangs; metrics reads fail fast because the next analysis is
 * the retry.
 */
public final class ActivityStubs {

  /**
   * The longest a router attempt can take by itself: nginx's check and reload (30 s each), waiting
   * for the new generation (10 s), putting the last good configuration back and reloading again (40
   * s), the admin call (10 s). Time queued behind other changes of the same configuration comes on
   * top; the attempt heartbeats meanwhile.
   */
  static final Duration ROUTER_ATTEMPT = Duration.ofMinutes(3);

  static final ActivityOptions ROUTER =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(ROUTER_ATTEMPT)
          // A dead worker is noticed in 20 s, not at the attempt's end; a cancelled or timed-out
          // attempt learns it from a heartbeat's answer and stops before it applies anything.
          .setHeartbeatTimeout(Duration.ofSeconds(20))
          .setScheduleToCloseTimeout(Duration.ofMinutes(5))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2)
                  .setMaximumInterval(Duration.ofSeconds(30))
                  .setDoNotRetry(FailureTypes.INVALID_CONFIGURATION, FailureTypes.STALE_CHANGE)
                  .build())
          .build();

  static final ActivityOptions METRICS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(20))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setMaximumAttempts(3)
                  .setDoNotRetry(FailureTypes.INVALID_CONFIGURATION)
                  .build())
          .build();

  /**
   * The change id ({@link Workflow#getVersion}) from which a rollout takes the reads of its
   * analyses (metrics samples, the drift check's look at the router) as local activities. They are
   * short and safe to repeat, and a local one costs the server no activity task and no three
   * events: one workflow task runs an analysis's reads where regular activities took a task each.
   * Runs begun before read through regular activities, as they did.
   */
  public static final String LOCAL_READS = "local-analysis-reads";

  /**
   * An analysis's reads, retried as the regular metrics activity is; a router or metrics source
   * that does not answer in 10 s is unreadable for this analysis, and the next analysis is the
   * retry.
   */
  static final LocalActivityOptions LOCAL_READ =
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setScheduleToCloseTimeout(Duration.ofSeconds(20))
          .setRetryOptions(METRICS.getRetryOptions())
          .build();

  static final ActivityOptions NOTIFY =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(20))
          .setScheduleToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(2))
                  .setMaximumAttempts(5)
                  .setDoNotRetry(FailureTypes.INVALID_CONFIGURATION)
                  .build())
          .build();

  private ActivityStubs() {}

  /**
   * Health checks run as long as their deadline says, heartbeating after every round: a dead worker
   * is noticed within the heartbeat timeout and the retry polls on until the same deadline.
   */
  static ActivityOptions healthOptions(Duration longestCheck) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(longestCheck.plusSeconds(30))
        .setHeartbeatTimeout(Duration.ofSeconds(15))
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setMaximumInterval(Duration.ofSeconds(10))
                .setMaximumAttempts(5)
                .setDoNotRetry(FailureTypes.INVALID_CONFIGURATION)
                .build())
        .build();
  }

  /** The router, on the worker that holds each target's router ({@link HostBoundRouter}). */
  public static TrafficRouter router() {
    return new HostBoundRouter(ROUTER);
  }

  /**
   * The router, each change retried for at most {@code within} (never longer than {@link #ROUTER}
   * does): a rollback that must hand over after a window learns that the router is unreachable
   * within it.
   */
  public static TrafficRouter router(Duration within) {
    Duration bound =
        within.compareTo(ROUTER.getScheduleToCloseTimeout()) < 0
            ? within
            : ROUTER.getScheduleToCloseTimeout();
    return new HostBoundRouter(
        ActivityOptions.newBuilder(ROUTER)
            .setScheduleToCloseTimeout(bound)
            .setStartToCloseTimeout(bound.compareTo(ROUTER_ATTEMPT) < 0 ? bound : ROUTER_ATTEMPT)
            .build());
  }

  /**
   * The router host whose files {@code target}'s metrics are read from (nginx's access log is where
   * nginx runs), or null when any worker can read them (Prometheus, or no router host).
   */
  public static String metricsHost(RouteTarget target) {
    MetricsSource source = target.entry() == null ? null : target.entry().metrics();
    return source != null && source.provider() == MetricsProviderType.NGINX_LOG
        ? target.routerHost()
        : null;
  }

  /** Metrics of {@code target}, sampled on the worker that can read them ({@link #metricsHost}). */
  public static MetricsProvider metrics(RouteTarget target) {
    return Workflow.newActivityStub(MetricsProvider.class, onHost(METRICS, metricsHost(target)));
  }

  /**
   * {@code options} on router host {@code host}'s queue, where only the worker that holds its files
   * polls; unchanged (the workflow's own queue) when {@code host} is null.
   */
  static ActivityOptions onHost(ActivityOptions options, String host) {
    return host == null
        ? options
        : ActivityOptions.newBuilder(options).setTaskQueue(TaskQueues.routerHost(host)).build();
  }

  /**
   * Whether this run reads for its analyses through local activities ({@link #LOCAL_READS}); the
   * same answer for the whole run.
   */
  public static boolean localReads() {
    return Workflow.getVersion(LOCAL_READS, Workflow.DEFAULT_VERSION, 1)
        != Workflow.DEFAULT_VERSION;
  }

  /**
   * Whether a read of files held on router host {@code host} runs as a local activity: when this
   * run reads locally ({@link #localReads}, always asked, so its marker is recorded where it was)
   * and any worker holds those files ({@code host} null). A router host's files are read by its
   * worker alone, never by the workflow's.
   */
  public static boolean readsLocally(String host) {
    return localReads() && host == null;
  }

  /** Metrics samples as local activities ({@link #LOCAL_READS}). */
  public static MetricsProvider localMetrics() {
    return Workflow.newLocalActivityStub(MetricsProvider.class, LOCAL_READ);
  }

  /** Reads of the router as local activities ({@link #LOCAL_READS}); not for changes. */
  public static TrafficRouter localRouterReads() {
    return Workflow.newLocalActivityStub(TrafficRouter.class, LOCAL_READ);
  }

  /** Health checks that may run for up to {@code longestCheck}. */
  public static HealthChecker health(Duration longestCheck) {
    return Workflow.newActivityStub(HealthChecker.class, healthOptions(longestCheck));
  }

  public static Notifier notifier() {
    return Workflow.newActivityStub(Notifier.class, NOTIFY);
  }
}
