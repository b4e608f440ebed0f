package dev.trafficctl.workflows;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

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

  /**
   * What the workflow is ({@link TrafficKind}): {@code rollout}, later {@code lb}, {@code chaos}...
   */
  public static final SearchAttributeKey<String> KIND =
      SearchAttributeKey.forKeyword("TrafficKind");

  /** Every key above, in the order servers register them. */
  public static final List<SearchAttributeKey<?>> ALL =
      List.of(SERVICE, ENV, STRATEGY, PHASE, WEIGHT, VERSION, AB_TEST, KIND);

  private TrafficSearchAttributes() {}
}
