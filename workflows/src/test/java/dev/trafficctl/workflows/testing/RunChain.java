package dev.trafficctl.workflows.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.workflows.HistoryBudget;
import dev.trafficctl.workflows.status.RolloutStatus;
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

  /**
   * Asserts that the workflow went through at least {@code minRuns} runs and that none grew past
   * the history budget (plus the few events of the iteration that noticed it); prints and returns
   * the lengths, first to last.
   */
  public static List<Long> assertBounded(
      WorkflowClient client, String workflowId, String firstRunId, int minRuns, String what) {
    List<Long> lengths = lengths(client, workflowId, firstRunId);
    System.out.println(what + ", events per run: " + lengths);
    assertTrue(lengths.size() >= minRuns, "runs: " + lengths);
    for (long length : lengths) {
      assertTrue(
          length < HistoryBudget.EVENTS + 50,
          "a run's history grew to " + length + " events: " + lengths);
    }
    return lengths;
  }

  /**
   * Asserts that a continued run shows the status its first run showed while waiting: the same
   * phase, message and phase start, the same time left (a stopped clock stays stopped), the same
   * records.
   */
  public static void assertCarriedOver(RolloutStatus before, RolloutStatus after) {
    assertEquals(before.phase(), after.phase());
    assertEquals(before.message(), after.message());
    assertEquals(before.phaseSince(), after.phaseSince());
    assertEquals(before.stepRemaining(), after.stepRemaining(), "frozen across the runs");
    assertEquals(before.steps(), after.steps());
    assertEquals(before.actions(), after.actions());
  }

  /** Every run's history length, first to last. */
  public static List<Long> lengths(WorkflowClient client, String workflowId, String firstRunId) {
    return histories(client, workflowId, firstRunId).stream()
        .map(h -> (long) h.getEvents().size())
        .toList();
  }
}
