package dev.trafficctl.config.abtest;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;

/** The spec's {@code ab-tests/new-ui.yaml}: {@code ab_test: ...}, one test per document. */
public record AbTestDocument(AbTestSpec abTest) implements Validatable {

  @Override
  public void validate(Validator at) {
    if (at.required("ab_test", abTest)) {
      at.nested("ab_test", abTest);
    }
  }
}
