package dev.trafficctl.config.abtest;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code ab_test:} an A/B test: a service's traffic divided among variants for a while, and the
 * metrics that decide which variant wins.
 *
 * @param name the test's name, {@code [a-z0-9][a-z0-9.-]*}, unique among running tests (the {@code
 *     TrafficAbTest} search attribute); required
 * @param service the service tested, as named in the catalog; required
 * @param variants variant name ({@code A}, {@code B}, {@code control}) to variant, in the
 *     document's order, at least two, weights adding up to 100; required
 * @param targeting which requests take part; all when absent
 * @param duration how long the test runs; required
 * @param minimumSampleSize requests each variant must see before any result counts, at least 1;
 *     default 1000
 * @param successMetrics what the test measures, each name once; required
 * @param monitoring the statistics of the verdict
 */
public record AbTestSpec(
    String name,
    String service,
    Map<String, Variant> variants,
    Targeting targeting,
    Duration duration,
    Integer minimumSampleSize,
    List<SuccessMetric> successMetrics,
    Monitoring monitoring)
    implements Validatable {

  private static final Pattern VARIANT = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

  public AbTestSpec {
    variants = variants == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(variants));
    minimumSampleSize = minimumSampleSize == null ? 1000 : minimumSampleSize;
    successMetrics = successMetrics == null ? null : List.copyOf(successMetrics);
    monitoring = monitoring == null ? new Monitoring(null, null) : monitoring;
  }

  @Override
  public void validate(Validator at) {
    if (at.required("name", name)) {
      at.nameField("name", name, "A/B test");
    }
    if (at.required("service", service)) {
      at.nameField("service", service, "service");
    }
    if (at.required("variants", variants)) {
      validateVariants(at);
    }
    at.nested("targeting", targeting);
    if (at.required("duration", duration)) {
      at.positive("duration", duration);
    }
    at.atLeast("minimum_sample_size", minimumSampleSize, 1);
    if (at.required("success_metrics", successMetrics)
        && at.notEmpty("success_metrics", successMetrics)) {
      at.each("success_metrics", successMetrics);
      at.unique("success_metrics", successMetrics, SuccessMetric::name, "name");
    }
    at.nested("monitoring", monitoring);
  }

  private void validateVariants(Validator at) {
    at.keys("variants", variants, VARIANT, "variant", "[A-Za-z][A-Za-z0-9_-]*");
    Map<String, Integer> weights = new LinkedHashMap<>();
    boolean complete = true;
    for (Map.Entry<String, Variant> variant : variants.entrySet()) {
      if (variant.getValue() == null) {
        at.at("variants").at(variant.getKey()).fail("empty variant (needs at least a weight)");
        complete = false;
        continue;
      }
      variant.getValue().validate(at.at("variants").at(variant.getKey()));
      Integer weight = variant.getValue().weight();
      if (weight == null || weight < 0 || weight > 100) {
        complete = false;
      } else {
        weights.put(variant.getKey(), weight);
      }
    }
    if (!at.check(
        variants.size() >= 2,
        "variants",
        variants.size()
            + (variants.size() == 1 ? " variant" : " variants")
            + "; an A/B test compares at least 2")) {
      return;
    }
    if (complete) {
      at.sumsTo100("variants", weights);
    }
  }
}
