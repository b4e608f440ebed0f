package dev.trafficctl.workflows.abtest;

import dev.trafficctl.config.abtest.Targeting;
import dev.trafficctl.config.abtest.Variant;
import dev.trafficctl.workflows.ports.RoutingRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an A/B test's traffic reaches the variants, as routing rules for the router.
 *
 * <p>While the test runs: requests whose targeting header holds a listed segment are divided by the
 * variants' weights and keep their variant by {@link AbTestWorkflow#STICKY_COOKIE}; the others stay
 * on the control, get no cookie and are told nothing. Every request in the test tells the upstream,
 * in request headers, the test ({@value #TEST_HEADER}) and variant ({@value #VARIANT_HEADER}) it
 * was served, and the variant's feature flags ({@code X-Feature-<Name>: enabled|disabled}), so the
 * application serves the variant's config and counts exposures and conversions by user and variant.
 *
 * <p>After the test: one variant serves everything, with its feature flags and nothing else.
 */
final class AbTestRouting {

  /** The test a request takes part in, e.g. {@code new-ui}; only while the test runs. */
  static final String TEST_HEADER = "X-AB-Test";

  /** The variant a request was served, e.g. {@code B}; only while the test runs. */
  static final String VARIANT_HEADER = "X-AB-Variant";

  private AbTestRouting() {}

  /** The rules while {@code input}'s test runs, its variants served by {@code pools}. */
  static RoutingRules during(AbTestInput input, VariantPools pools) {
    Targeting targeting = input.spec().targeting();
    String control = pools.pool(input.spec().variants().keySet().iterator().next());
    RoutingRules.Segments segments =
        targeting == null
            ? null
            : new RoutingRules.Segments(targeting.header(), targeting.segments(), control);
    Map<String, Map<String, String>> headers = new LinkedHashMap<>();
    input
        .spec()
        .variants()
        .forEach(
            (name, variant) -> {
              Map<String, String> sent = new LinkedHashMap<>();
              sent.put(TEST_HEADER, input.name());
              sent.put(VARIANT_HEADER, name);
              sent.putAll(flagHeaders(variant));
              headers.put(pools.pool(name), sent);
            });
    return new RoutingRules(List.of(), AbTestWorkflow.STICKY_COOKIE, null, segments, headers);
  }

  /** The rules once {@code variant} serves all traffic: its config (feature flags) only. */
  static RoutingRules after(AbTestInput input, String variant) {
    Map<String, String> flags = flagHeaders(input.spec().variants().get(variant));
    return flags.isEmpty()
        ? RoutingRules.NONE
        : new RoutingRules(
            List.of(), null, null, null, Map.of(input.variantVersions().get(variant), flags));
  }

  private static Map<String, String> flagHeaders(Variant variant) {
    Map<String, String> headers = new LinkedHashMap<>();
    variant
        .config()
        .featureFlags()
        .forEach(
            (flag, on) ->
                headers.put(RoutingRules.FeatureFlag.headerOf(flag), on ? "enabled" : "disabled"));
    return headers;
  }
}
