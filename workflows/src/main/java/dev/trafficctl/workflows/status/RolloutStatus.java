package dev.trafficctl.workflows.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The one status model of every strategy: returned by the {@code status} query, mirrored into the
 * memo, printed by the CLI and carried by notifications.
 *
 * @param workflowId {@code <env>.<service>}
 * @param strategy {@code canary}, {@code blue-green}, ...
 * @param step 1-based current step, 0 before the first
 * @param weight the candidate's percent now
 * @param nextWeight the candidate's percent in the next step, null when there is none
 * @param message what the rollout is doing or waiting for, and why
 * @param phaseSince when the current phase began
 * @param stepRemaining how long the current step still holds (frozen while paused)
 * @param stepEndsAt when the current step's hold ends, null while paused or without a hold
 * @param updatedAt the workflow time this status was taken at
 * @param notificationFailures notifications that could not be delivered (the latest few); empty for
 *     strategies that send none
 */
public record RolloutStatus(
    String workflowId,
    String service,
    String env,
    String strategy,
    String stableVersion,
    String candidateVersion,
    Phase phase,
    String message,
    int step,
    int totalSteps,
    int weight,
    Integer nextWeight,
    Instant phaseSince,
    Duration stepRemaining,
    Instant stepEndsAt,
    AnalysisReport lastAnalysis,
    List<StepRecord> steps,
    List<ActionRecord> actions,
    Instant updatedAt,
    List<NotificationFailure> notificationFailures) {

  public RolloutStatus {
    steps = steps == null ? List.of() : List.copyOf(steps);
    actions = actions == null ? List.of() : List.copyOf(actions);
    notificationFailures =
        notificationFailures == null ? List.of() : List.copyOf(notificationFailures);
  }

  /**
   * This status as a workflow that closed without completing leaves it: phase {@link Phase#FAILED}
   * saying {@code how} (e.g. {@code failed: v2 already serves 100% of api in demo}) since {@code
   * at}, with nothing left to wait for. Weights and steps stay as last saved.
   */
  public RolloutStatus closedBy(String how, Instant at) {
    return toBuilder()
        .phase(Phase.FAILED)
        .message(how)
        .nextWeight(null)
        .phaseSince(at)
        .stepRemaining(null)
        .stepEndsAt(null)
        .build();
  }

  /** A builder holding every field of this status, to make one that differs in a few. */
  public Builder toBuilder() {
    return builder()
        .workflowId(workflowId)
        .service(service)
        .env(env)
        .strategy(strategy)
        .stableVersion(stableVersion)
        .candidateVersion(candidateVersion)
        .phase(phase)
        .message(message)
        .step(step)
        .totalSteps(totalSteps)
        .weight(weight)
        .nextWeight(nextWeight)
        .phaseSince(phaseSince)
        .stepRemaining(stepRemaining)
        .stepEndsAt(stepEndsAt)
        .lastAnalysis(lastAnalysis)
        .steps(steps)
        .actions(actions)
        .updatedAt(updatedAt)
        .notificationFailures(notificationFailures);
  }

  /** A status built field by field: what is not set is null, 0 or empty. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RolloutStatus}; every setter returns the builder. */
  public static final class Builder {
    private String workflowId;
    private String service;
    private String env;
    private String strategy;
    private String stableVersion;
    private String candidateVersion;
    private Phase phase;
    private String message;
    private int step;
    private int totalSteps;
    private int weight;
    private Integer nextWeight;
    private Instant phaseSince;
    private Duration stepRemaining;
    private Instant stepEndsAt;
    private AnalysisReport lastAnalysis;
    private List<StepRecord> steps;
    private List<ActionRecord> actions;
    private Instant updatedAt;
    private List<NotificationFailure> notificationFailures;

    private Builder() {}

    public Builder workflowId(String workflowId) {
      this.workflowId = workflowId;
      return this;
    }

    public Builder service(String service) {
      this.service = service;
      return this;
    }

    public Builder env(String env) {
      this.env = env;
      return this;
    }

    public Builder strategy(String strategy) {
      this.strategy = strategy;
      return this;
    }

    public Builder stableVersion(String stableVersion) {
      this.stableVersion = stableVersion;
      return this;
    }

    public Builder candidateVersion(String candidateVersion) {
      this.candidateVersion = candidateVersion;
      return this;
    }

    public Builder phase(Phase phase) {
      this.phase = phase;
      return this;
    }

    public Builder message(String message) {
      this.message = message;
      return this;
    }

    public Builder step(int step) {
      this.step = step;
      return this;
    }

    public Builder totalSteps(int totalSteps) {
      this.totalSteps = totalSteps;
      return this;
    }

    public Builder weight(int weight) {
      this.weight = weight;
      return this;
    }

    public Builder nextWeight(Integer nextWeight) {
      this.nextWeight = nextWeight;
      return this;
    }

    public Builder phaseSince(Instant phaseSince) {
      this.phaseSince = phaseSince;
      return this;
    }

    public Builder stepRemaining(Duration stepRemaining) {
      this.stepRemaining = stepRemaining;
      return this;
    }

    public Builder stepEndsAt(Instant stepEndsAt) {
      this.stepEndsAt = stepEndsAt;
      return this;
    }

    public Builder lastAnalysis(AnalysisReport lastAnalysis) {
      this.lastAnalysis = lastAnalysis;
      return this;
    }

    public Builder steps(List<StepRecord> steps) {
      this.steps = steps;
      return this;
    }

    public Builder actions(List<ActionRecord> actions) {
      this.actions = actions;
      return this;
    }

    public Builder updatedAt(Instant updatedAt) {
      this.updatedAt = updatedAt;
      return this;
    }

    public Builder notificationFailures(List<NotificationFailure> notificationFailures) {
      this.notificationFailures = notificationFailures;
      return this;
    }

    public RolloutStatus build() {
      return new RolloutStatus(
          workflowId,
          service,
          env,
          strategy,
          stableVersion,
          candidateVersion,
          phase,
          message,
          step,
          totalSteps,
          weight,
          nextWeight,
          phaseSince,
          stepRemaining,
          stepEndsAt,
          lastAnalysis,
          steps,
          actions,
          updatedAt,
          notificationFailures);
    }
  }
}
