package dev.trafficctl.workflows.splitting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import dev.trafficctl.workflows.canary.testing.FakeRouter;
import dev.trafficctl.workflows.ports.RouteLayer;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A split cancelled as the CLI withdraws it, on the time-skipping test server (v1 serves 100% at
 * first): whether a worker took it up just before or not at all, the weights end as they were and
 * the workflow ends cancelled, never completed with the new weights and no owner.
 */
class TrafficSplitCancellationTest {

  private static final Map<String, Integer> BEFORE = Map.of("v1", 100, "v2", 0);
  private static final Map<String, Integer> ASKED = Map.of("v1", 80, "v2", 20);

  private static SplitInput split() {
    return new SplitInput("api", "production", CanaryDocs.target(), ASKED, "alice", null);
  }

  /** Starts the split, returns its untyped stub. */
  private static WorkflowStub start(SplittingHarness h) {
    TrafficSplitWorkflow wf = h.split();
    WorkflowClient.start(wf::run, split());
    return WorkflowStub.fromTyped(wf);
  }

  private static void assertEndsCancelled(WorkflowStub stub) {
    WorkflowFailedException failed =
        assertThrows(WorkflowFailedException.class, () -> stub.getResult(SplitResult.class));
    assertInstanceOf(CanceledFailure.class, failed.getCause(), failed.toString());
    assertEquals(
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, stub.describe().getStatus());
  }

  @Test
  void cancelledRightAfterItsChangeWasAppliedItPutsThePreviousWeightsBack() throws Exception {
    try (SplittingHarness h = new SplittingHarness()) {
      FakeRouter.Hold answer = h.router.holdNextAnswer();
      WorkflowStub stub = start(h);
      answer.awaitArrival();
      assertEquals(ASKED, h.router.current(), "the split is in force, its answer on its way");

      stub.cancel("no worker picked the split up within 30s (withdrawn)");
      assertEndsCancelled(stub);
      answer.release();

      assertEquals(BEFORE, h.router.current());
      List<Map<String, Integer>> applied =
          h.router.changes().stream().map(c -> Map.copyOf(c.weights().percent())).toList();
      assertEquals(List.of(ASKED, BEFORE), applied, "put in force, then put back");
      assertEquals(Set.of(RouteLayer.WEIGHTS), h.router.lastChange().layers());
      RolloutStatus status = stub.query("status", RolloutStatus.class);
      assertEquals(Phase.ABORTED, status.phase());
      assertTrue(
          status.message().startsWith("cancelled: put back what was in force before the split"),
          status.message());
    }
  }

  @Test
  void aChangeStillOnItsWayWhenCancelledIsOvertakenByThePutBack() throws Exception {
    try (SplittingHarness h = new SplittingHarness()) {
      FakeRouter.Hold change = h.router.holdNextChange();
      WorkflowStub stub = start(h);
      change.awaitArrival();

      stub.cancel("withdrawn");
      assertEndsCancelled(stub);
      change.release();

      // The late change is older than the put-back: the router refuses it as stale.
      assertTrue(change.awaitOutcome().isPresent(), "the late change must be refused as stale");
      assertEquals(BEFORE, h.router.current());
    }
  }

  @Test
  void cancelledServerWeightsGoBackToWhatTheyWere() throws Exception {
    try (SplittingHarness h = new SplittingHarness()) {
      h.router.serverWeights(Map.of("127.0.0.1:18081", 3));
      h.metrics.utilization("127.0.0.1:18081", 92.0);
      h.metrics.utilization("127.0.0.1:18082", 35.0);
      FakeRouter.Hold answer = h.router.holdNextAnswer();
      TrafficSplitWorkflow wf = h.split();
      WorkflowClient.start(wf::run, TrafficSplitCapacityTest.capacity(false));
      WorkflowStub stub = WorkflowStub.fromTyped(wf);
      answer.awaitArrival();
      assertEquals(2, h.router.serverWeights().get("127.0.0.1:18081"), "the plan is in force");

      stub.cancel("withdrawn");
      assertEndsCancelled(stub);
      answer.release();

      assertEquals(Map.of("127.0.0.1:18081", 3), h.router.serverWeights());
      assertEquals(Set.of(RouteLayer.SERVERS), h.router.lastChange().layers());
      assertEquals(BEFORE, h.router.current(), "the version weights were never touched");
    }
  }

  @Test
  void cancelledBeforeAnyWorkerTookItUpItChangesNothing() {
    try (SplittingHarness h = SplittingHarness.withoutWorkerYet()) {
      WorkflowStub stub = start(h);
      stub.cancel("withdrawn");

      h.startWorker();

      assertEndsCancelled(stub);
      assertEquals(0, h.router.calls(), "the router was not even read");
      assertEquals(BEFORE, h.router.current());
    }
  }
}
