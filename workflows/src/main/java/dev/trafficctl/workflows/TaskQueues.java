package dev.trafficctl.workflows;

import dev.trafficctl.config.catalog.RouterConfig;

/**
 * Task queue names. Workflows and their activities run on the shared queue ({@link #ROLLOUTS}
 * unless a worker is told another), except the activities that need a router host's files and admin
 * secret ({@link RouterConfig#host}): those run on that host's own queue, which only the worker
 * started there polls.
 */
public final class TaskQueues {

  public static final String ROLLOUTS = "trafficctl-rollouts";

  /** The prefix of a router host's queue. */
  public static final String ROUTER_HOST_PREFIX = "trafficctl-router-";

  private TaskQueues() {}

  /** The queue of the worker on router host {@code host}. */
  public static String routerHost(String host) {
    return ROUTER_HOST_PREFIX + host;
  }
}
