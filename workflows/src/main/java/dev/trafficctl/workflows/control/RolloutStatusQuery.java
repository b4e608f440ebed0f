package dev.trafficctl.workflows.control;

import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.workflow.QueryMethod;

/**
 * The handler every trafficctl workflow has: its status, in the one status model of every strategy.
 * Strategy interfaces extend it; Temporal finds handler methods on such parent interfaces, which
 * need no annotation of their own.
 */
public interface RolloutStatusQuery {

  @QueryMethod
  RolloutStatus status();
}
