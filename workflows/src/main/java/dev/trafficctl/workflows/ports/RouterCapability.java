package dev.trafficctl.workflows.ports;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a router can do. Every router moves version weights; a workflow that relies on more asks the
 * router first ({@link TrafficRouter#capabilities}) and refuses with one line when it lacks it, and
 * the router refuses a change that needs what it lacks.
 */
public enum RouterCapability {
  /** Version weights: every router. */
  WEIGHTS,
  /** Reads back what is in force. */
  READ_BACK,
  /** Routes by a request header's value naming a pool (header and region matches). */
  HEADER_ROUTING,
  /** Keeps a client on its version by a cookie. */
  STICKY_SESSIONS,
  /** Gives a flag to a stable share of clients and tells the upstream. */
  FEATURE_FLAGS,
  /** Applies the weights only to requests of listed segments (A/B targeting). */
  SEGMENTS,
  /** Tells each version's upstream request headers (an A/B test's variant). */
  REQUEST_HEADERS,
  /** Weighs servers inside a version's pool. */
  SERVER_WEIGHTS;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The one line that refuses what {@code target}'s router lacks, whoever finds it (the workflow
   * asking first, or the router's activity): {@code api (production): the file router cannot:
   * sticky_sessions}.
   */
  public static String refusal(RouteTarget target, Set<RouterCapability> lacking) {
    return target.service()
        + " ("
        + target.env()
        + "): the "
        + target.entry().router().type().wire()
        + " router cannot: "
        + lacking.stream().map(RouterCapability::wire).collect(Collectors.joining(", "));
  }
}
