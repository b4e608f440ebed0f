package dev.trafficctl.config.canary;

import dev.trafficctl.config.SpecEnum;

/** What a canary does when too many analyses in a row saw too few requests to judge. */
public enum InconclusiveAction implements SpecEnum {
  /** Wait for a person to promote or abort (the default: missing data is not a verdict). */
  PAUSE,
  ROLLBACK;

  @Override
  public String wire() {
    return SpecEnum.wireOf(this);
  }
}
