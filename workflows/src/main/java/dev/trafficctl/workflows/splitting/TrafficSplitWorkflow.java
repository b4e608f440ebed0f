package dev.trafficctl.workflows.splitting;

import dev.trafficctl.workflows.control.RolloutStatusQuery;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A static split: puts the given weights in force through the router and reads them back. A
 * workflow, short as it is, so that every change of a service's traffic is recorded in Temporal's
 * history and visible in the Web UI, and so that it never runs beside a rollout of the same service
 * (id {@code <env>.<service>}).
 */
@WorkflowInterface
public interface TrafficSplitWorkflow extends RolloutStatusQuery {

  String TYPE = "TrafficSplit";

  @WorkflowMethod(name = TYPE)
  SplitResult run(SplitInput input);
}
