package dev.trafficctl.workflows;

import dev.trafficctl.config.Validator;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.common.SearchAttributes;
import java.time.Instant;

/**
 * What a workflow input says about the workflow it starts, so that one start (the CLI's, or a
 * pipeline's through Temporal's API) can name it, find it and show it before a worker picks it up,
 * and the workflow can publish the same. Derived from the input's fields: none of it is part of the
 * input's JSON.
 */
public interface RolloutInput {

  String service();

  String env();

  /** The catalog's entry for the service in the environment: where its versions run. */
  EnvironmentEntry target();

  /**
   * Checks what every input names: the service and environment (names), and the catalog's entry, in
   * full. Returns whether the entry is there, for the checks that read it.
   */
  default boolean validateWhere(Validator at) {
    at.requiredName("service", service(), "service");
    at.requiredName("env", env(), "environment");
    if (!at.required("target", target())) {
      return false;
    }
    at.nested("target", target());
    return true;
  }

  /** Whose traffic the workflow's router changes move. */
  default RouteTarget routeTarget() {
    return new RouteTarget(service(), env(), target());
  }

  /** The workflow type to start, e.g. {@code Canary}. */
  String workflowType();

  /** The strategy as the status, {@code traffic list} and {@code TrafficStrategy} name it. */
  String strategy();

  /** What is rolled out, for {@code TrafficVersion}: the candidate, the destination... */
  String version();

  /** One line for the Web UI's summary: {@code canary api (production) -> v2}. */
  String summary();

  /** The status the memo shows until a worker picks the workflow up. */
  RolloutStatus waitingStatus(Instant now);

  default TrafficKind kind() {
    return TrafficKind.ROLLOUT;
  }

  default String workflowId() {
    return WorkflowIds.of(kind(), env(), service());
  }

  /** Search attributes of this kind of input beyond the ones every rollout keeps. */
  default void addSearchAttributes(SearchAttributes.Builder attributes) {}

  /** The message of a status no worker has taken up yet: the one seeded at the start. */
  String WAITING_FOR_A_WORKER = "waiting for a worker to start it";

  /** The start of every {@link #waitingStatus}: who it is, progressing, waiting for a worker. */
  static RolloutStatus.Builder waiting(RolloutInput input, Instant now) {
    return RolloutStatus.builder()
        .workflowId(input.workflowId())
        .service(input.service())
        .env(input.env())
        .strategy(input.strategy())
        .phase(Phase.PROGRESSING)
        .message(WAITING_FOR_A_WORKER)
        .phaseSince(now)
        .updatedAt(now);
  }
}
