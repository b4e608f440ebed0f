package dev.trafficctl.config.catalog;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;

/**
 * {@code router.file:} the file router's settings. It writes the desired weights for a GitOps
 * controller to apply, one JSON file per service and environment, and an audit log beside it.
 *
 * @param stateDir directory the desired weights are written to; a relative path resolves against
 *     the worker's state base directory
 */
public record FileRouterSettings(String stateDir) implements Validatable {

  /** These settings with each absent one taken from {@code fallback}. */
  FileRouterSettings orElse(FileRouterSettings fallback) {
    return stateDir == null ? fallback : this;
  }

  @Override
  public void validate(Validator at) {
    if (at.required("state_dir", stateDir)) {
      at.notBlank("state_dir", stateDir);
    }
  }
}
