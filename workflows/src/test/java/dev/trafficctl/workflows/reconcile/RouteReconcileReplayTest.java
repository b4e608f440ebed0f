package dev.trafficctl.workflows.reconcile;

import dev.trafficctl.workflows.testing.RecordedHistories;
import io.temporal.api.enums.v1.EventType;
import org.junit.jupiter.api.Test;

/**
 * Replays the recorded reconciler history against today's {@link RouteReconcileWorkflowImpl}. It is
 * recorded with the canary's {@code handed-over} scenario ({@code CanaryReplayTest}), where the
 * reconciler starts.
 */
class RouteReconcileReplayTest {

  @Test
  void theRecordedReconcilerReplays() throws Exception {
    RecordedHistories.replay(
        "reconcile-applied",
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
        RouteReconcileWorkflowImpl.class);
  }
}
