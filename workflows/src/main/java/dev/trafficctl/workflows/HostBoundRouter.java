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

  /** By router host; the null key holds the stub on the workflow's own queue. */
  private final Map<String, TrafficRouter> byHost = new HashMap<>();

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
    return byHost.computeIfAbsent(
        target.routerHost(),
        host -> Workflow.newActivityStub(TrafficRouter.class, ActivityStubs.onHost(options, host)));
  }
}
