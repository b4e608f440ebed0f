package dev.trafficctl.workflows.ports;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The layers a router composes a service's routing from, each with one owner at a time: a change
 * replaces the layers it carries and leaves the others as they are, so a canary's weights never
 * drop a split's rules or capacity's server weights. Faults (chaos), mirroring (recording) and
 * request tracing come as layers of their own.
 */
public enum RouteLayer {
  /** Version to percent: what rollouts move. */
  WEIGHTS,
  /** Header and region matches, sticky sessions, feature flags, segments, request headers. */
  RULES,
  /** Each server's weight inside its version's pool. */
  SERVERS;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
