package dev.trafficctl.workflows.bluegreen;

import static dev.trafficctl.workflows.bluegreen.testing.BlueGreenDocs.SPEC_EXAMPLE;
import static dev.trafficctl.workflows.bluegreen.testing.BlueGreenDocs.autoPromote;
import static dev.trafficctl.workflows.bluegreen.testing.BlueGreenDocs.input;
import static dev.trafficctl.workflows.bluegreen.testing.BlueGreenDocs.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trafficctl.config.catalog.DriftAction;
import dev.trafficctl.workflows.bluegreen.testing.BlueGreenDocs;
import dev.trafficctl.workflows.bluegreen.testing.BlueGreenHarness;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.testing.RecordedHistories;
import io.temporal.api.enums.v1.EventType;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays recorded blue-green histories ({@code histories/blue-green-*.json}) against today's
 * {@link BlueGreenWorkflowImpl}. Re-record with {@code mvn test -pl workflows
 * -Dtest=BlueGreenReplayTest -Dtrafficctl.recordHistories=true}.
 */
class BlueGreenReplayTest {

  private static final Map<String, Consumer<BlueGreenHarness>> SCENARIOS = new LinkedHashMap<>();

  static {
    SCENARIOS.put(
        "promoted",
        h -> {
          BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, options()));
          h.await(bg, s -> s.phase() == Phase.PAUSED, Duration.ofMinutes(5));
          bg.promote(new ControlRequest("bob", "looks good"));
          assertEquals(Phase.PROMOTED, h.result(bg).status().phase());
        });
    SCENARIOS.put(
        "rolled-back-after-switch",
        h -> {
          BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote(), true));
          h.await(bg, s -> s.step() == Stage.MONITORING.number(), Duration.ofMinutes(5));
          h.metrics.failing("green", 80);
          assertEquals(Phase.ROLLED_BACK, h.result(bg).status().phase());
        });
    SCENARIOS.put(
        "gradual",
        h -> {
          BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, BlueGreenDocs.gradual(true), true));
          assertEquals(Phase.PROMOTED, h.result(bg).status().phase());
        });
    SCENARIOS.put(
        "switched-to-blue-in-cleanup",
        h -> {
          BlueGreenWorkflow bg = h.start(input(SPEC_EXAMPLE, autoPromote()));
          h.await(bg, s -> s.step() == Stage.CLEANUP.number(), Duration.ofMinutes(10));
          bg.switchToBlue(new ControlRequest("dave", "customer reports"));
          assertEquals(Phase.ROLLED_BACK, h.result(bg).status().phase());
        });
    // Recorded after the drift check (Workflow.getVersion "weights-drift-check").
    SCENARIOS.put(
        "drift-paused-then-promoted",
        h -> {
          BlueGreenWorkflow bg =
              BlueGreenWorkflowTest.weightsSetByHandWhileMonitoring(h, DriftAction.PAUSE);
          h.await(bg, s -> s.phase() == Phase.PAUSED, Duration.ofMinutes(2));
          bg.promote(new ControlRequest("bob", "set by mistake"));
          assertEquals(Phase.PROMOTED, h.result(bg).status().phase());
        });
  }

  @BeforeAll
  static void recordWhenAsked() throws IOException {
    if (!RecordedHistories.recording()) {
      return;
    }
    for (Map.Entry<String, Consumer<BlueGreenHarness>> scenario : SCENARIOS.entrySet()) {
      try (BlueGreenHarness h = new BlueGreenHarness()) {
        scenario.getValue().accept(h);
        RecordedHistories.record(
            "blue-green-" + scenario.getKey(), h.client(), BlueGreenHarness.WORKFLOW_ID);
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRecordedHistoryReplays() {
    return SCENARIOS.keySet().stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    "blue-green-" + name,
                    () ->
                        RecordedHistories.replay(
                            "blue-green-" + name,
                            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
                            BlueGreenWorkflowImpl.class)));
  }
}
