package dev.trafficctl.workflows;

/**
 * The workflow id of every strategy for a service: {@code <env>.<service>}. One id per service
 * means at most one rollout owns its traffic at a time; the runs of that id are its release
 * history. Dots, no slashes, so ids are safe in the HTTP API and Web UI URLs.
 */
public final class RolloutIds {

  private RolloutIds() {}

  public static String workflowId(String env, String service) {
    return env + "." + service;
  }
}
