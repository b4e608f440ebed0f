package dev.trafficctl.config.abtest;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;

/**
 * One of {@code ab_test.variants}: its share of the test's traffic and what it serves.
 *
 * @param weight the variant's share of the test's traffic, 0..100; required
 * @param config what the variant serves; when absent, the service as it runs now
 */
public record Variant(Integer weight, VariantConfig config) implements Validatable {

  public Variant {
    config = config == null ? new VariantConfig(null, null) : config;
  }

  @Override
  public void validate(Validator at) {
    if (at.required("weight", weight)) {
      at.percentage("weight", weight);
    }
    at.nested("config", config);
  }
}
