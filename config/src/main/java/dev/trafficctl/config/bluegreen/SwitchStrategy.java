package dev.trafficctl.config.bluegreen;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.time.Duration;

/**
 * {@code blue_green.<service>.strategy}: the time limits of a switch and whether it waits for a
 * person.
 *
 * @param switchTimeout how long a rollout whose idle color passed its checks waits for {@code
 *     promote}; past it the rollout aborts with traffic never moved; default 300s
 * @param healthCheckTimeout how long the idle color's instances are probed before promotion; the
 *     share of probes answered 2xx over that time must reach the health threshold, else the
 *     deployment aborts without having moved any traffic; default 120s
 * @param autoPromote switch as soon as the idle color is healthy; when false (the default) the
 *     rollout waits for {@code promote}
 * @param cleanupDelay how long the previous color is kept ready after a switch, so that a rollback
 *     is instant; default 600s
 */
public record SwitchStrategy(
    Duration switchTimeout, Duration healthCheckTimeout, Boolean autoPromote, Duration cleanupDelay)
    implements Validatable {

  public SwitchStrategy {
    switchTimeout = switchTimeout == null ? Duration.ofMinutes(5) : switchTimeout;
    healthCheckTimeout = healthCheckTimeout == null ? Duration.ofMinutes(2) : healthCheckTimeout;
    autoPromote = autoPromote == null ? Boolean.FALSE : autoPromote;
    cleanupDelay = cleanupDelay == null ? Duration.ofMinutes(10) : cleanupDelay;
  }

  @Override
  public void validate(Validator at) {
    at.positive("switch_timeout", switchTimeout);
    at.positive("health_check_timeout", healthCheckTimeout);
    // 0s is allowed: release the previous color at once (no instant rollback).
    at.check(!cleanupDelay.isNegative(), "cleanup_delay", "must not be negative");
  }
}
