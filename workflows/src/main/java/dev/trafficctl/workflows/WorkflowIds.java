package dev.trafficctl.workflows;

/**
 * The workflow ids of trafficctl, in one place. A rollout of a service is {@code <env>.<service>}:
 * one id per service means at most one rollout owns its version weights at a time, and the runs of
 * that id are its release history. Every other kind is {@code <kind>:<env>.<name>}, which cannot
 * collide with a rollout's since names never hold a colon. Dots and colons, no slashes, so ids are
 * safe in the HTTP API and Web UI URLs.
 */
public final class WorkflowIds {

  private WorkflowIds() {}

  /** {@code production.api}: the rollouts of {@code service} in {@code env}. */
  public static String rollout(String env, String service) {
    return env + "." + service;
  }

  /** {@code lb:production.nginx-api}, or {@link #rollout} for {@link TrafficKind#ROLLOUT}. */
  public static String of(TrafficKind kind, String env, String name) {
    return kind == TrafficKind.ROLLOUT
        ? rollout(env, name)
        : kind.wire() + ":" + rollout(env, name);
  }
}
