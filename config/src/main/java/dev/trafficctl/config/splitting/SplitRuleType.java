package dev.trafficctl.config.splitting;

import dev.trafficctl.config.SpecEnum;

/** What a traffic split rule divides on; see {@link SplitRule}. */
public enum SplitRuleType implements SpecEnum {
  /** Between versions of the service. */
  VERSION,
  /** Between regions, by the region header of each request. */
  GEOGRAPHIC,
  /** By the value of a request header. */
  HEADER,
  /** Between the states of a feature flag. */
  FEATURE_FLAG;

  @Override
  public String wire() {
    return SpecEnum.wireOf(this);
  }
}
