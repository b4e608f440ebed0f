package dev.trafficctl.workflows;

import io.temporal.common.SearchAttributeKey;

/**
 * Search attributes every rollout keeps current, so rollouts can be found in the Web UI and with
 * {@code trafficctl traffic list}. The server must have them registered (the dev-server script
 * does).
 */
public final class TrafficSearchAttributes {

  public static final SearchAttributeKey<String> SERVICE =
      SearchAttributeKey.forKeyword("TrafficService");
  public static final SearchAttributeKey<String> ENV = SearchAttributeKey.forKeyword("TrafficEnv");
  public static final SearchAttributeKey<String> STRATEGY =
      SearchAttributeKey.forKeyword("TrafficStrategy");
  public static final SearchAttributeKey<String> PHASE =
      SearchAttributeKey.forKeyword("TrafficPhase");
  public static final SearchAttributeKey<Long> WEIGHT = SearchAttributeKey.forLong("TrafficWeight");
  public static final SearchAttributeKey<String> VERSION =
      SearchAttributeKey.forKeyword("TrafficVersion");
  public static final SearchAttributeKey<String> AB_TEST =
      SearchAttributeKey.forKeyword("TrafficAbTest");

  private TrafficSearchAttributes() {}
}
