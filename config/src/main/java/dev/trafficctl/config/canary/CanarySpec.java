package dev.trafficctl.config.canary;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import dev.trafficctl.config.notification.NotificationSpec;
import java.time.Duration;
import java.util.List;

/**
 * {@code canary.<service>:} how to roll a candidate version out in steps.
 *
 * @param steps the candidate's weights in order, non-decreasing, the last one 100
 * @param metrics bounds every analysis checks
 * @param autoPromote go to 100% after the last held step without asking; default true
 * @param autoRollback roll back on a breach; default true (else pause with the reason)
 * @param notification who hears which events
 * @param analysis analysis cadence and limits (trafficctl extension, all defaulted)
 * @param progressDeadline a step that makes no progress for this long aborts (optional)
 */
public record CanarySpec(
    List<CanaryStep> steps,
    CanaryMetrics metrics,
    Boolean autoPromote,
    Boolean autoRollback,
    NotificationSpec notification,
    AnalysisSettings analysis,
    Duration progressDeadline)
    implements Validatable {

  public CanarySpec {
    steps = steps == null ? null : List.copyOf(steps);
    metrics = metrics == null ? new CanaryMetrics(null, null, null) : metrics;
    autoPromote = autoPromote == null ? Boolean.TRUE : autoPromote;
    autoRollback = autoRollback == null ? Boolean.TRUE : autoRollback;
    notification = notification == null ? new NotificationSpec(null, null) : notification;
    analysis = analysis == null ? AnalysisSettings.DEFAULTS : analysis;
  }

  @Override
  public void validate(Validator at) {
    if (at.required("steps", steps) && at.notEmpty("steps", steps)) {
      at.each("steps", steps);
      Validator list = at.at("steps");
      for (int i = 1; i < steps.size(); i++) {
        CanaryStep previous = steps.get(i - 1);
        CanaryStep step = steps.get(i);
        if (previous != null && step != null && step.trafficPercent() < previous.trafficPercent()) {
          list.index(i)
              .at("traffic_percent")
              .fail(
                  step.trafficPercent()
                      + " is below the previous step's "
                      + previous.trafficPercent()
                      + " (steps must not decrease)");
        }
      }
      CanaryStep last = steps.get(steps.size() - 1);
      if (last != null && last.trafficPercent() != 100) {
        list.index(steps.size() - 1)
            .at("traffic_percent")
            .fail(last.trafficPercent() + " ends the steps; the last step must be 100");
      }
    }
    at.nested("metrics", metrics);
    at.nested("notification", notification);
    at.nested("analysis", analysis);
    at.positive("progress_deadline", progressDeadline);
  }
}
