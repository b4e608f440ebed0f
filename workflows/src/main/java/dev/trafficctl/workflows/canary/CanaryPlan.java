package dev.trafficctl.workflows.canary;

import dev.trafficctl.config.canary.CanarySpec;
import dev.trafficctl.config.canary.CanaryStep;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of a canary as the workflow walks them. Step numbers are 1-based, as people count them.
 * The promotion step is a final step at 100% without a hold: reaching it makes the candidate the
 * stable version; with {@code auto_promote: false} a person must promote into it.
 */
public final class CanaryPlan {

  private final List<CanaryStep> steps;

  public CanaryPlan(CanarySpec spec) {
    this.steps = spec.steps();
  }

  public int totalSteps() {
    return steps.size();
  }

  public CanaryStep step(int number) {
    return steps.get(number - 1);
  }

  public int weightOf(int number) {
    return step(number).trafficPercent();
  }

  /** The candidate's weight in the step after {@code number}, or null after the last. */
  public Integer nextWeight(int number) {
    return number < steps.size() ? weightOf(number + 1) : null;
  }

  /** How long {@code number} holds; zero when it has no duration. */
  public Duration holdOf(int number) {
    Duration d = step(number).duration();
    return d == null ? Duration.ZERO : d;
  }

  public boolean isLast(int number) {
    return number == steps.size();
  }

  /** The final 100% step without a hold: entering it is the promotion. */
  public boolean isPromotionStep(int number) {
    return isLast(number) && weightOf(number) == 100 && holdOf(number).isZero();
  }

  /** Stable and candidate weights for a candidate share of {@code candidatePercent}. */
  public static Map<String, Integer> weights(
      String stable, String candidate, int candidatePercent) {
    Map<String, Integer> w = new LinkedHashMap<>();
    w.put(stable, 100 - candidatePercent);
    w.put(candidate, candidatePercent);
    return w;
  }
}
