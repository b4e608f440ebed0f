package dev.trafficctl.workflows.abtest;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import dev.trafficctl.config.abtest.AbTestSpec;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.workflows.RolloutInput;
import dev.trafficctl.workflows.TrafficSearchAttributes;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.common.SearchAttributes;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The input of {@code AbTestWorkflow}.
 *
 * @param name the test's name, the same as {@code spec.name}
 * @param target the catalog's entry for the service in {@code env}
 * @param variantVersions variant name to the catalog version serving it; the control is the spec's
 *     first variant. Variants may share a version and differ in their feature flags alone ({@link
 *     VariantPools})
 * @param carried the state a continued run carries on with; null on the first run
 */
public record AbTestInput(
    String name,
    String service,
    String env,
    EnvironmentEntry target,
    AbTestSpec spec,
    Map<String, String> variantVersions,
    String requestedBy,
    AbTestState carried)
    implements Validatable, RolloutInput {

  public AbTestInput {
    variantVersions =
        variantVersions == null
            ? null
            : Collections.unmodifiableMap(new LinkedHashMap<>(variantVersions));
  }

  /** The same test, carrying on with {@code state}. */
  AbTestInput carryingOn(AbTestState state) {
    return new AbTestInput(name, service, env, target, spec, variantVersions, requestedBy, state);
  }

  @Override
  public String workflowType() {
    return AbTestWorkflow.TYPE;
  }

  @Override
  public String strategy() {
    return AbTestWorkflow.STRATEGY;
  }

  /** The first treatment's version. */
  @Override
  public String version() {
    return variantVersions.get(variants().get(1));
  }

  @Override
  public String summary() {
    return "A/B test "
        + name
        + " on "
        + service
        + " ("
        + env
        + "): "
        + String.join(" vs ", variants());
  }

  @Override
  public RolloutStatus waitingStatus(Instant now) {
    return RolloutInput.waiting(this, now)
        .stableVersion(variantVersions.get(variants().get(0)))
        .candidateVersion(version())
        .nextWeight(0)
        .build();
  }

  /** The test's name is searchable at once, before a worker picks it up. */
  @Override
  public void addSearchAttributes(SearchAttributes.Builder attributes) {
    attributes.set(TrafficSearchAttributes.AB_TEST, name);
  }

  /** The variants, the control first. */
  private List<String> variants() {
    return List.copyOf(variantVersions.keySet());
  }

  @Override
  public void validate(Validator at) {
    at.requiredName("name", name, "A/B test");
    if (validateWhere(at)) {
      at.check(
          target.metrics() != null && target.metrics().provider() != null,
          "target",
          "an A/B test counts conversions, so the catalog entry needs a metrics source");
    }
    if (!at.required("spec", spec)) {
      return;
    }
    at.nested("spec", spec);
    at.check(name == null || name.equals(spec.name()), "name", "differs from spec.name");
    at.check(
        service == null || service.equals(spec.service()), "service", "differs from spec.service");
    if (!at.required("variant_versions", variantVersions) || spec.variants() == null) {
      return;
    }
    at.check(
        variantVersions.keySet().equals(spec.variants().keySet()),
        "variant_versions",
        "names variants "
            + variantVersions.keySet()
            + ", the test has "
            + spec.variants().keySet());
    for (Map.Entry<String, String> e : variantVersions.entrySet()) {
      Validator v = at.at("variant_versions");
      if (e.getValue() == null) {
        v.at(e.getKey()).fail("no version");
        continue;
      }
      if (target != null && target.versions() != null) {
        v.check(
            target.versions().containsKey(e.getValue()),
            e.getKey(),
            "\"" + e.getValue() + "\" " + target.notAVersionOf(service, env));
      }
    }
  }
}
