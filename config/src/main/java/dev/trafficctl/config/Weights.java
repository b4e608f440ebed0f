package dev.trafficctl.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a service's traffic is shared among its versions: version to percent, each 0..100, together
 * 100, in the order given. The rule lives here once; documents, workflow inputs and every router
 * rely on a {@code Weights} being valid, and none checks it again. Its JSON is the plain map.
 */
public record Weights(Map<String, Integer> percent) {

  public Weights {
    Optional<String> problem = problem(percent);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
    percent = Collections.unmodifiableMap(new LinkedHashMap<>(percent));
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Weights of(Map<String, Integer> percent) {
    return new Weights(percent);
  }

  @JsonValue
  @Override
  public Map<String, Integer> percent() {
    return percent;
  }

  /** {@code {v1=90, v2=10}}, as the map reads. */
  @Override
  public String toString() {
    return percent.toString();
  }

  /** The percent of {@code version}; 0 when it has none. */
  public int of(String version) {
    return percent.getOrDefault(version, 0);
  }

  /** Why {@code weights} are not weights: none, one outside 0..100, or a sum other than 100. */
  public static Optional<String> problem(Map<String, Integer> weights) {
    if (weights == null || weights.isEmpty()) {
      return Optional.of("no weights given");
    }
    for (Map.Entry<String, Integer> weight : weights.entrySet()) {
      Integer percent = weight.getValue();
      if (percent == null || percent < 0 || percent > 100) {
        return Optional.of(
            "weight of " + weight.getKey() + " is " + percent + ", not a percentage (0..100)");
      }
    }
    return sumProblem(weights);
  }

  /** Why weights that are each a percentage do not add up to 100; empty when they do. */
  public static Optional<String> sumProblem(Map<String, ? extends Number> weights) {
    double sum = weights.values().stream().mapToDouble(Number::doubleValue).sum();
    if (Math.abs(sum - 100) < 1e-9) {
      return Optional.empty();
    }
    return Optional.of(
        "weights add up to "
            + Validator.number(sum)
            + ", they must add up to 100 ("
            + weights.entrySet().stream()
                .map(e -> e.getKey() + "=" + Validator.number(e.getValue()))
                .collect(Collectors.joining(", "))
            + ")");
  }
}
