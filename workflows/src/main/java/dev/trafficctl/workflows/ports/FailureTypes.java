package dev.trafficctl.workflows.ports;

/**
 * The failure types adapters raise for what retrying cannot fix. Every activity's retry policy
 * lists them as "do not retry" (see {@code ActivityStubs}).
 */
public final class FailureTypes {

  /** Configuration an adapter cannot work with: weights that do not add up, an unknown version. */
  public static final String INVALID_CONFIGURATION = "InvalidConfiguration";

  /**
   * A router change older than the one in force for a layer it changes: a late attempt, overtaken
   * by a newer change of that layer. Refused without effect.
   */
  public static final String STALE_CHANGE = "StaleRouteChange";

  private FailureTypes() {}
}
