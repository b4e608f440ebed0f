package dev.trafficctl.config.abtest;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code ab_test.variants.<variant>.config}: what a variant serves.
 *
 * @param uiVersion the version of the service that serves the variant (a catalog version name);
 *     when absent, the one {@code ab-test create --versions} names (a test needs one per variant)
 * @param featureFlags flag name to state, passed to the service with each request of the variant;
 *     names {@code [A-Za-z][A-Za-z0-9_.-]*}; none by default
 */
public record VariantConfig(String uiVersion, Map<String, Boolean> featureFlags)
    implements Validatable {

  private static final Pattern FLAG = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

  public VariantConfig {
    featureFlags =
        featureFlags == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(featureFlags));
  }

  @Override
  public void validate(Validator at) {
    at.nameField("ui_version", uiVersion, "version");
    at.keys("feature_flags", featureFlags, FLAG, "feature flag", "[A-Za-z][A-Za-z0-9_.-]*");
    featureFlags.forEach(
        (flag, state) ->
            at.at("feature_flags").check(state != null, flag, "must be true or false"));
  }
}
