package dev.trafficctl.workflows.bluegreen;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.time.Duration;
import java.util.List;

/**
 * What the command line adds to the blue-green document for one rollout.
 *
 * @param autoPromote overrides {@code strategy.auto_promote} when not null
 * @param healthThreshold percent of health probes of the idle color that must succeed over {@code
 *     health_check_timeout} before traffic moves; default 100
 * @param monitorDuration overrides {@code rollback.monitor_duration} when not null
 * @param gradual move the traffic in {@code gradualSteps} rather than at once; default false
 * @param gradualSteps the new color's percent at each step, rising, ending at 100; default 10, 50,
 *     100
 * @param stepDuration how long each gradual step is held and judged; default 30s
 * @param version what the idle color now runs, for the record; optional
 * @param switchTo for a manual switch ({@code switch --from --to}): the color to move to, which
 *     must be the idle one; null for a deploy, which targets whichever color is idle
 */
public record BlueGreenOptions(
    Boolean autoPromote,
    Double healthThreshold,
    Duration monitorDuration,
    Boolean gradual,
    List<Integer> gradualSteps,
    Duration stepDuration,
    String version,
    String switchTo)
    implements Validatable {

  public static final List<Integer> DEFAULT_STEPS = List.of(10, 50, 100);

  public BlueGreenOptions {
    healthThreshold = healthThreshold == null ? 100.0 : healthThreshold;
    // Boxed, like the others, so that a pipeline's input may leave it out.
    gradual = Boolean.TRUE.equals(gradual);
    gradualSteps = gradualSteps == null || gradualSteps.isEmpty() ? DEFAULT_STEPS : gradualSteps;
    gradualSteps = List.copyOf(gradualSteps);
    stepDuration = stepDuration == null ? Duration.ofSeconds(30) : stepDuration;
  }

  /** A deploy with the document's settings only. */
  public static BlueGreenOptions defaults() {
    return new BlueGreenOptions(null, null, null, false, null, null, null, null);
  }

  @Override
  public void validate(Validator at) {
    at.percentage("health_threshold", healthThreshold);
    if (monitorDuration != null) {
      at.positive("monitor_duration", monitorDuration);
    }
    at.positive("step_duration", stepDuration);
    int previous = 0;
    for (int i = 0; i < gradualSteps.size(); i++) {
      Integer step = gradualSteps.get(i);
      at.at("gradual_steps")
          .index(i)
          .check(
              step != null && step > previous && step <= 100,
              "",
              "must rise above " + previous + " and be at most 100, not " + step);
      previous = step == null ? previous : step;
    }
    at.check(previous == 100, "gradual_steps", "must end at 100");
    if (version != null) {
      at.nameField("version", version, "version");
    }
    at.check(switchTo == null || Colors.isColor(switchTo), "switch_to", "must be blue or green");
  }
}
