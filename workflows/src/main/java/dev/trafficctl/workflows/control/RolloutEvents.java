package dev.trafficctl.workflows.control;

import dev.trafficctl.config.catalog.NotificationTargets;
import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.config.notification.NotificationSpec;
import dev.trafficctl.workflows.ActivityStubs;
import dev.trafficctl.workflows.WorkflowFailures;
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
 * fails or holds up the rollout, and delivered before the workflow closes or continues as new. The
 * count of events sent and the latest failures live in the rollout's state, so a continued run
 * numbers its events on and still lists what could not be sent.
 */
final class RolloutEvents {

  private static final Logger log = Workflow.getLogger(RolloutEvents.class);
  private static final int KEPT_FAILURES = 5;

  private final Notifier notifier;
  private final NotificationSpec spec;
  private final NotificationTargets targets;
  private final List<Promise<Void>> pending = new ArrayList<>();

  /** Events of a rollout whose document and catalog entry say these; none when spec is null. */
  RolloutEvents(NotificationSpec spec, NotificationTargets targets) {
    this.spec = spec;
    this.targets = targets;
    // A rollout that notifies nothing needs no stub, and neither does a control not yet begun.
    this.notifier = spec == null ? null : ActivityStubs.notifier();
  }

  /**
   * Sends {@code event} with {@code status} as its content, when the document asks for it: one
   * activity per channel, so a failing channel retries alone and never holds up the others.
   */
  void send(NotificationEvent event, RolloutStatus status, RolloutState state) {
    if (spec == null || !spec.wants(event)) {
      return;
    }
    int seq = ++state.notificationsSent;
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
                    List<NotificationFailure> failures = state.notificationFailures;
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
   * Waits for notifications still on their way: activities of a closed run never run, and the last
   * events (promoted, rolled back, aborted) are the ones people wait for. Bounded by the notify
   * activity's schedule-to-close timeout; failures were logged.
   */
  void deliver() {
    Promise.allOf(pending).get();
    pending.clear();
  }
}
