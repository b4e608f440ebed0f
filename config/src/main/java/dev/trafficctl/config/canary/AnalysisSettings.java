package dev.trafficctl.config.canary;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.time.Duration;

/**
 * {@code canary.<service>.analysis}: how often a step is judged and how many bad judgements it
 * takes to act. Not in the original spec; every field has a default, so the spec's documents load
 * unchanged. The limits mirror Argo Rollouts' failureLimit, inconclusiveLimit and
 * consecutiveErrorLimit.
 *
 * @param interval time between analyses within a step; default 30s
 * @param minimumRequests fewer requests than this in a window is inconclusive; default 50
 * @param failureLimit failed analyses (a metric outside its bound) in one rollout that make it act:
 *     roll back with {@code auto_rollback}, else pause; default 1, the first breach acts
 * @param inconclusiveLimit consecutive inconclusive analyses before {@code on_inconclusive};
 *     default 3
 * @param consecutiveErrorLimit consecutive analyses that could not read metrics before the rollout
 *     is rolled back; default 4
 * @param onInconclusive {@code pause} (default) or {@code rollback}
 */
public record AnalysisSettings(
    Duration interval,
    Integer minimumRequests,
    Integer failureLimit,
    Integer inconclusiveLimit,
    Integer consecutiveErrorLimit,
    InconclusiveAction onInconclusive)
    implements Validatable {

  /** Fewer requests than this in a window is inconclusive, unless a document says otherwise. */
  public static final int DEFAULT_MINIMUM_REQUESTS = 50;

  public static final AnalysisSettings DEFAULTS =
      new AnalysisSettings(null, null, null, null, null, null);

  public AnalysisSettings {
    interval = interval == null ? Duration.ofSeconds(30) : interval;
    minimumRequests = minimumRequests == null ? DEFAULT_MINIMUM_REQUESTS : minimumRequests;
    failureLimit = failureLimit == null ? 1 : failureLimit;
    inconclusiveLimit = inconclusiveLimit == null ? 3 : inconclusiveLimit;
    consecutiveErrorLimit = consecutiveErrorLimit == null ? 4 : consecutiveErrorLimit;
    onInconclusive = onInconclusive == null ? InconclusiveAction.PAUSE : onInconclusive;
  }

  @Override
  public void validate(Validator at) {
    at.positive("interval", interval);
    at.atLeast("minimum_requests", minimumRequests, 1);
    at.atLeast("failure_limit", failureLimit, 1);
    at.atLeast("inconclusive_limit", inconclusiveLimit, 1);
    at.atLeast("consecutive_error_limit", consecutiveErrorLimit, 1);
  }
}
