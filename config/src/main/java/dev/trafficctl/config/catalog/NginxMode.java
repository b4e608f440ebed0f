package dev.trafficctl.config.catalog;

import dev.trafficctl.config.SpecEnum;

/** How the nginx router applies weights. */
public enum NginxMode implements SpecEnum {
  /** Weights change at run time through the Lua module's shared dict; no reload. */
  DYNAMIC,
  /** Weights are rendered into the config, checked with {@code nginx -t} and reloaded. */
  RELOAD;

  @Override
  public String wire() {
    return SpecEnum.wireOf(this);
  }
}
