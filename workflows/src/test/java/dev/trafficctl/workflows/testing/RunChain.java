package dev.trafficctl.workflows.testing;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.ArrayList;
import java.util.List;

/** The runs of one workflow, first to last, following continue-as-new. */
public final class RunChain {

  private RunChain() {}

  /** Every run's history, from run {@code firstRunId} on. */
  public static List<WorkflowExecutionHistory> histories(
      WorkflowClient client, String workflowId, String firstRunId) {
    List<WorkflowExecutionHistory> runs = new ArrayList<>();
    String runId = firstRunId;
    while (runId != null) {
      WorkflowExecutionHistory history = client.fetchHistory(workflowId, runId);
      runs.add(history);
      List<HistoryEvent> events = history.getEvents();
      HistoryEvent last = events.get(events.size() - 1);
      runId =
          last.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
              ? last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId()
              : null;
    }
    return runs;
  }

  /** Every run's history length, first to last. */
  public static List<Long> lengths(WorkflowClient client, String workflowId, String firstRunId) {
    return histories(client, workflowId, firstRunId).stream()
        .map(h -> (long) h.getEvents().size())
        .toList();
  }
}
