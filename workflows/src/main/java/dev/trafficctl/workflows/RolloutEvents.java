package dev.trafficctl.workflows;

import dev.trafficctl.config.catalog.NotificationTargets;
import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.config.notification.NotificationSpec;
import dev.trafficctl.workflows.ports.Notifier;
import dev.trafficctl.workflows.ports.RolloutNotification;
import dev.trafficctl.workflows.status.NotificationFailure;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * A rollout's notifications, from workflow code: sent without waiting, so a failing channel never
 * fails or holds up the rollout, and delivered before the workflow closes.
 */
public final class RolloutEvents {

  private static final Logger log = Workflow.getLogger(RolloutEvents.class);

  private final Notifier notifier = ActivityStubs.notifier();
  private final NotificationSpec spec;
  private final NotificationTargets targets;
  private static final int KEPT_FAILURES = 5;

  private final List<Promise<Void>> pending = new ArrayList<>();
  private final List<NotificationFailure> failures = new ArrayList<>();
  private int sequence;

  public RolloutEvents(NotificationSpec spec, NotificationTargets targets) {
    this.spec = spec;
    this.targets = targets;
  }

  /**
   * Sends {@code event} with {@code status} as its content, when the document asks for it: one
   * activity per channel, so a failing channel retries alone and never holds up the others.
   */
  public void send(NotificationEvent event, RolloutStatus status) {
    if (spec == null || !spec.wants(event)) {
      return;
    }
    int seq = ++sequence;
    for (NotificationChannel channel : spec.channels()) {
      // Stable across retries of the activity, so channels that can deduplicate do.
      String eventId =
          Workflow.getInfo().getWorkflowId()
              + "/"
              + Workflow.getInfo().getRunId()
              + "/"
              + seq
              + "/"
              + channel.wire();
      RolloutNotification notification =
          new RolloutNotification(eventId, event, List.of(channel), targets, status);
      pending.removeIf(Promise::isCompleted);
      pending.add(
          Async.procedure(notifier::send, notification)
              .exceptionally(
                  failure -> {
                    String error = WorkflowFailures.rootMessage(failure);
                    log.warn("notification {} {} failed: {}", eventId, event.wire(), error);
                    failures.add(
                        new NotificationFailure(
                            Instant.ofEpochMilli(Workflow.currentTimeMillis()),
                            event.wire(),
                            channel.wire(),
                            error));
                    // The status (and memo) keeps the latest few: enough to see what is broken.
                    while (failures.size() > KEPT_FAILURES) {
                      failures.remove(0);
                    }
                    return null;
                  }));
    }
  }

  /**
   * A continued run keeps the failures its previous runs listed, and numbers its events on from
   * theirs, so a rollout's event numbers keep their order across runs.
   */
  public void carryOn(int sentBefore, List<NotificationFailure> earlier) {
    sequence = sentBefore;
    failures.addAll(earlier);
  }

  /** Events sent so far (the number of the latest). */
  public int sequence() {
    return sequence;
  }

  /** Notifications that failed after their retries, the latest {@value #KEPT_FAILURES}. */
  public List<NotificationFailure> failures() {
    return List.copyOf(failures);
  }

  /**
   * Waits for notifications still on their way: activities of a closed workflow never run, and the
   * last events (promoted, rolled back, aborted) are the ones people wait for. Bounded by the
   * notify activity's schedule-to-close timeout; failures were logged.
   */
  public void deliver() {
    Promise.allOf(pending).get();
    pending.clear();
  }
}
