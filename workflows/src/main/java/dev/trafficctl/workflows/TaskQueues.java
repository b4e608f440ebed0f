package dev.trafficctl.workflows;

/** Task queue names: every workflow and activity of trafficctl runs on one queue. */
public final class TaskQueues {

  public static final String ROLLOUTS = "trafficctl-rollouts";

  private TaskQueues() {}
}
