package dev.trafficctl.workflows.splitting;

import java.util.Map;
import java.util.stream.Collectors;

/** How splits and migrations write weights for people: {@code v1 80%, v2 20%}. */
public final class SplitWeights {

  private SplitWeights() {}

  public static String describe(Map<String, Integer> weights) {
    return weights.isEmpty()
        ? "no weights"
        : weights.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue() + "%")
            .collect(Collectors.joining(", "));
  }
}
