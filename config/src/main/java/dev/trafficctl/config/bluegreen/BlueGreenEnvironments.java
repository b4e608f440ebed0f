package dev.trafficctl.config.bluegreen;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code blue_green.<service>.environments}: exactly the two colors. The weights say which color is
 * live now (the spec's {@code blue: 100, green: 0}) and must add up to 100.
 *
 * @param blue the blue color; required
 * @param green the green color; required
 */
public record BlueGreenEnvironments(ColorEnvironment blue, ColorEnvironment green)
    implements Validatable {

  @Override
  public void validate(Validator at) {
    at.required("blue", blue);
    at.required("green", green);
    at.nested("blue", blue);
    at.nested("green", green);
    // The sum is checked only between valid weights: one out of range has its own problem.
    if (blue != null && green != null && isWeight(blue.weight()) && isWeight(green.weight())) {
      Map<String, Integer> weights = new LinkedHashMap<>();
      weights.put("blue", blue.weight());
      weights.put("green", green.weight());
      at.sumsTo100("", weights);
    }
  }

  private static boolean isWeight(Integer weight) {
    return weight != null && weight >= 0 && weight <= 100;
  }
}
