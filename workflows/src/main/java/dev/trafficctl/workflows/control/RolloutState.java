package dev.trafficctl.workflows.control;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.NotificationFailure;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.StepRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What every rollout knows of itself: where it stands and since when, whether a person paused it,
 * what people did, its steps, its latest analysis and the notifications it sent. A strategy's state
 * extends it with its own fields. The workflow keeps one instance, changes it in place, and hands
 * it to continue-as-new as it is, so a continued run goes on exactly where the previous one was.
 *
 * <p>Fields, not accessors, are its JSON (snake_case, as every workflow input): only {@link
 * RolloutControl} and {@link RolloutEvents} change these, a strategy changes its own.
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.ANY,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE,
    setterVisibility = Visibility.NONE)
public class RolloutState {

  Phase phase = Phase.PROGRESSING;
  String message = "starting";

  /** When the current phase began; null until the rollout starts. */
  Instant phaseSince;

  /** A person (or an analysis acting for one) stopped the rollout's clock. */
  boolean paused;

  /**
   * The rollout paused because the weights in force were not its own ({@code rollback.on_drift:
   * pause}), and no person has decided since: a resume is that decision. Written only when set, so
   * that the state a run carries reads as before for every other rollout.
   */
  @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  boolean pausedForDrift;

  AnalysisReport lastAnalysis;
  List<StepRecord> steps = new ArrayList<>();
  List<ActionRecord> actions = new ArrayList<>();

  /** Events notified so far, so that a continued run numbers its events on. */
  int notificationsSent;

  /** Notifications that failed after their retries, the latest few. */
  List<NotificationFailure> notificationFailures = new ArrayList<>();

  /** The number of the latest router change, so that the next one outnumbers it. */
  long lastRouterChange;
}
