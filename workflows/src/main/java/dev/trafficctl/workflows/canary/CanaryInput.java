package dev.trafficctl.workflows.canary;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import dev.trafficctl.config.canary.CanarySpec;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.workflows.RolloutInput;
import dev.trafficctl.workflows.analysis.AnalysisCriteria;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.time.Instant;

/**
 * The input of {@code CanaryWorkflow}, and the JSON a pipeline sends to start one: the canary
 * document's entry for the service, the catalog's entry for the service in the environment, and the
 * candidate version.
 *
 * @param service the service, as in the catalog
 * @param env the environment, as in the catalog
 * @param version the candidate version; the stable version is read back from the router
 * @param canary how to roll out ({@code canary.<service>} of the canary document)
 * @param target where the versions run ({@code services.<service>.environments.<env>})
 * @param requestedBy who started it
 * @param carried the state a continued run carries on with; null on the first run (pipelines leave
 *     it out)
 */
public record CanaryInput(
    String service,
    String env,
    String version,
    CanarySpec canary,
    EnvironmentEntry target,
    String requestedBy,
    CanaryState carried)
    implements Validatable, RolloutInput {

  /** A canary's first run. */
  public CanaryInput(
      String service,
      String env,
      String version,
      CanarySpec canary,
      EnvironmentEntry target,
      String requestedBy) {
    this(service, env, version, canary, target, requestedBy, null);
  }

  /** The same canary, carrying on with {@code state}. */
  CanaryInput carryingOn(CanaryState state) {
    return new CanaryInput(service, env, version, canary, target, requestedBy, state);
  }

  @Override
  public String workflowType() {
    return CanaryWorkflow.TYPE;
  }

  @Override
  public String strategy() {
    return CanaryWorkflow.STRATEGY;
  }

  @Override
  public String summary() {
    return "canary " + service + " (" + env + ") -> " + version;
  }

  @Override
  public RolloutStatus waitingStatus(Instant now) {
    return RolloutInput.waiting(this, now)
        .candidateVersion(version)
        .totalSteps(canary.steps().size())
        .nextWeight(canary.steps().get(0).trafficPercent())
        .build();
  }

  @Override
  public void validate(Validator at) {
    boolean where = validateWhere(at);
    at.requiredName("version", version, "version");
    if (at.required("canary", canary)) {
      at.nested("canary", canary);
    }
    if (where) {
      if (target.versions() != null && version != null) {
        at.check(
            target.versions().containsKey(version),
            "version",
            "\"" + version + "\" " + target.notAVersionOf(service, env));
      }
      if (canary != null) {
        target
            .notifications()
            .checkDestinations(
                at.at("target").at("notifications"), canary.notification(), "canary");
      }
      if (canary != null && target.metrics() == null && needsMetrics(canary)) {
        at.at("target")
            .check(
                false,
                "metrics",
                "missing: the canary checks metrics, so the catalog entry needs a metrics source");
      }
    }
  }

  private static boolean needsMetrics(CanarySpec spec) {
    return spec.steps() != null
        && spec.steps().stream()
            .anyMatch(s -> s != null && !AnalysisCriteria.forStep(spec, s).isEmpty());
  }
}
