package dev.trafficctl.config.catalog;

import dev.trafficctl.config.SpecEnum;

/**
 * What a rollout does when the weights in force are not the ones it put there (someone set them by
 * hand, or another tool did): {@code on_drift:} of a catalog environment.
 */
public enum DriftAction implements SpecEnum {
  /** Puts its own weights back (the weights layer only), and records what it found. */
  RESTORE,
  /** Pauses for a person, with what it found; the weights stay as they are. */
  PAUSE;

  @Override
  public String wire() {
    return SpecEnum.wireOf(this);
  }
}
