package dev.trafficctl.workflows.control;

import dev.trafficctl.config.catalog.DriftAction;
import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.TrafficRouter;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The look at the router every rollout takes before an analysis: what is analysed must be what the
 * rollout thinks it runs. It reads the weights in force and, when they are not the rollout's,
 * records so once (a finding repeated at every analysis is one action), and says what to do about
 * it, as the catalog's {@code rollback.on_drift} says: put the rollout's weights back (the weights
 * layer only; other layers belong to their owners) or pause for a person. Workflow code.
 */
public final class DriftCheck {

  /**
   * The change id of the check ({@link Workflow#getVersion}): runs begun before it keep analysing
   * without it. One id for every workflow type, as versions are kept per run.
   */
  public static final String CHANGE_ID = "weights-drift-check";

  /** What the drift action is recorded as. */
  public static final String ACTION = "weights-drift";

  /** Reads briefly: an analysis must not wait on a router outage, which is no drift. */
  private final TrafficRouter reader = ActivityStubs.router(Duration.ofSeconds(20));

  /** The same read as a local activity ({@link ActivityStubs#LOCAL_READS}). */
  private final TrafficRouter localReader = ActivityStubs.localRouterReads();

  private final RolloutControl control;
  private final RouteTarget target;
  private final DriftAction action;

  /**
   * @param target where the rollout's weights are, with the catalog entry that says what to do
   */
  public DriftCheck(RolloutControl control, RouteTarget target) {
    this.control = control;
    this.target = target;
    this.action = target.entry().rollback().onDrift();
  }

  /**
   * Empty when the router serves {@code ours}, cannot be read now, or the run began before the
   * check; otherwise what differs and who set it, in one line, recorded.
   */
  public Optional<String> find(Map<String, Integer> ours) {
    if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return Optional.empty();
    }
    RouteState inForce;
    try {
      boolean local = ActivityStubs.readsLocally(target.routerHost());
      inForce = control.inForce((local ? localReader : reader).read(target));
    } catch (ActivityFailure unreachable) {
      // Not drift: a router that cannot be read now is dealt with where a change needs it.
      return Optional.empty();
    }
    Optional<String> drift = WeightsDrift.between(ours, inForce);
    drift.ifPresent(found -> control.recordOnce(ACTION, RolloutControl.TRAFFICCTL, found));
    return drift;
  }

  /** What a rollout does about what {@link #check} found. */
  public enum Response {
    /** Nothing: no drift, or paused already, leaving the weights as found. */
    NONE,
    /** Put the rollout's weights back (the weights layer only). */
    RESTORE,
    /** Pause for a person; their resume (or promote) is the decision to put the weights back. */
    PAUSE
  }

  /**
   * What a check found and what to do about it.
   *
   * @param drift what differs, in one line; null when nothing does
   */
  public record Finding(Response response, String drift) {

    static final Finding NONE = new Finding(Response.NONE, null);
  }

  /**
   * Looks at the weights in force and says what to do, as {@code rollback.on_drift} says: restore
   * them, or pause for a person. A rollout that paused for drift and was resumed since puts them
   * back: the resume was a person's decision. A paused rollout leaves them as found.
   */
  public Finding check(Map<String, Integer> ours) {
    Optional<String> found = find(ours);
    if (found.isEmpty()) {
      if (!control.paused()) {
        control.pausedForDrift(false);
      }
      return Finding.NONE;
    }
    String drift = found.get();
    if (action == DriftAction.RESTORE) {
      return new Finding(Response.RESTORE, drift);
    }
    if (control.paused()) {
      return new Finding(Response.NONE, drift);
    }
    if (control.pausedForDrift()) {
      decided();
      return new Finding(Response.RESTORE, drift);
    }
    control.pausedForDrift(true);
    return new Finding(Response.PAUSE, drift);
  }

  /** A person decided about the drift that paused the rollout: the next drift pauses again. */
  public void decided() {
    control.pausedForDrift(false);
  }

  /** {@code restore the rollout's weights: <drift>}: the reason of the change that restores. */
  public static String restoring(String drift) {
    return "restore the rollout's weights: " + drift;
  }
}
