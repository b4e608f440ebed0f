package dev.trafficctl.workflows.bluegreen;

import dev.trafficctl.workflows.control.RolloutState;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where a blue-green rollout stands: its colors, its stage and the new color's share. */
final class BlueGreenState extends RolloutState {

  /** The color live when the rollout began; traffic returns here on any failure. */
  String previous;

  /** The color the rollout moves traffic to. */
  String next;

  /** The current stage; null before the first. */
  Stage stage;

  long stageStartedAt;

  /** When the current stage's wait ends; null when it has no deadline. */
  Long stageEndsAt;

  /** {@code next}'s percent of traffic now. */
  int weight;

  /** {@code next}'s percent in the next gradual step, null when there is none. */
  Integer nextWeight;

  /** Switch in judged steps rather than at once. */
  boolean gradual;

  /** Waiting for promote before the switch. */
  boolean awaitingPromotion;

  /** Paused after a breach while monitoring, rollback being manual. */
  boolean awaitingDecision;

  /** Promotions so far; the waits look for a new one. */
  int promotions;

  /** Checks of the new color in a row that could not read metrics (see {@link WatchLimits}). */
  int errorsInRow;

  /** Checks of the new color in a row that saw too few requests or probes to judge. */
  int inconclusiveInRow;

  /** The previous color at {@code 100 - percent}, the next at {@code percent}. */
  Map<String, Integer> weights(int percent) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    weights.put(previous, 100 - percent);
    weights.put(next, percent);
    return weights;
  }
}
