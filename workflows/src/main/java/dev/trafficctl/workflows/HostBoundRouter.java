package dev.trafficctl.workflows;

import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RouterCapability;
import dev.trafficctl.workflows.ports.TrafficRouter;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The router activities of a workflow, each sent to the task queue of the worker that holds its
 * target's router: the router host's queue when the catalog names one, else the workflow's own. A
 * stub per host, made on first use (making a stub records nothing in the history).
 */
final class HostBoundRouter implements TrafficRouter {

  private final ActivityOptions options;
  private final Map<String, TrafficRouter> byHost = new HashMap<>();
  private TrafficRouter anyWorker;

  HostBoundRouter(ActivityOptions options) {
    this.options = options;
  }

  @Override
  public RouteState change(RouteChange change) {
    return on(change.target()).change(change);
  }

  @Override
  public RouteState read(RouteTarget target) {
    return on(target).read(target);
  }

  @Override
  public Set<RouterCapability> capabilities(RouteTarget target) {
    return on(target).capabilities(target);
  }

  private TrafficRouter on(RouteTarget target) {
    String host = target.routerHost();
    if (host == null) {
      if (anyWorker == null) {
        anyWorker = Workflow.newActivityStub(TrafficRouter.class, options);
      }
      return anyWorker;
    }
    return byHost.computeIfAbsent(
        host,
        h ->
            Workflow.newActivityStub(
                TrafficRouter.class,
                ActivityOptions.newBuilder(options)
                    .setTaskQueue(TaskQueues.routerHost(h))
                    .build()));
  }
}
