package dev.trafficctl.cli.rollout;

import dev.trafficctl.workflows.status.RolloutStatus;

/**
 * The latest run under a rollout's workflow id, as a command that acts on a running rollout needs
 * it.
 *
 * @param workflowType which strategy it is
 * @param ended how it ended (phase Failed when the workflow itself failed); null while it runs
 */
public record LatestRun(String workflowType, RolloutStatus ended) {

  public boolean running() {
    return ended == null;
  }
}
