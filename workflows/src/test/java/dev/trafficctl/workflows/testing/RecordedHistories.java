package dev.trafficctl.workflows.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.workflows.canary.testing.CanaryHarness;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Recorded workflow histories in {@code src/test/resources/histories/<name>.json}, replayed against
 * today's workflow code: a change that would break running rollouts (non-determinism) fails the
 * replay. Recording happens only when asked ({@code -Dtrafficctl.recordHistories=true}, or {@code
 * =missing} for new scenarios only): these follow the code. What a release recorded ({@code
 * histories/<release>/}) never changes, and a change that would break it goes behind {@code
 * Workflow.getVersion} (docs/upgrading.md).
 */
public final class RecordedHistories {

  private static final Path HISTORIES =
      Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "histories");

  /**
   * The release whose histories this run records as well ({@code
   * -Dtrafficctl.recordRelease=v0.1.0}, with the release's build), into {@code
   * histories/<release>/}; null when none is.
   */
  private static final String RELEASE = System.getProperty("trafficctl.recordRelease");

  /** A release's histories are recorded once, from its build, and never again. */
  private static final boolean RELEASE_RECORDED_BEFORE =
      RELEASE != null && Files.exists(HISTORIES.resolve(RELEASE));

  private RecordedHistories() {}

  /** Whether this run records a release's histories. */
  public static boolean recordingRelease() {
    return RELEASE != null;
  }

  /**
   * Saves the history of {@code workflowId}, which may still be running (a history that stops
   * mid-step, mid-pause, mid-analysis), as {@code histories/<release>/<name>.json}.
   */
  public static void recordRelease(String name, WorkflowClient client, String workflowId)
      throws IOException {
    if (RELEASE == null) {
      return;
    }
    if (RELEASE_RECORDED_BEFORE) {
      throw new IllegalStateException(
          "the histories of " + RELEASE + " are recorded already; a release's never change");
    }
    Path dir = HISTORIES.resolve(RELEASE);
    Files.createDirectories(dir);
    String json = client.fetchHistory(workflowId).toJson(true);
    Files.writeString(dir.resolve(name + ".json"), json + "\n", StandardCharsets.UTF_8);
  }

  /** Every recorded history of every release, {@code histories/v*\/*.json}, in name order. */
  public static List<Path> released() throws IOException {
    if (!Files.isDirectory(HISTORIES)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(HISTORIES, 2)) {
      return files
          .filter(f -> f.getParent().getFileName().toString().startsWith("v"))
          .filter(f -> f.getFileName().toString().endsWith(".json"))
          .sorted()
          .toList();
    }
  }

  /** Reads a history file. */
  public static WorkflowExecutionHistory read(Path file) throws IOException {
    return WorkflowExecutionHistory.fromJson(Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * Whether to record anything: {@code -Dtrafficctl.recordHistories=true} records every fixture
   * again, {@code =missing} only the ones not there yet (a new scenario).
   */
  public static boolean recording() {
    String asked = System.getProperty("trafficctl.recordHistories", "");
    return asked.equals("true") || asked.equals("missing");
  }

  /** Whether fixture {@code name} is to be recorded now. */
  public static boolean recording(String name) {
    String asked = System.getProperty("trafficctl.recordHistories", "");
    return asked.equals("true") || (asked.equals("missing") && !Files.exists(fixture(name)));
  }

  /** Saves the history of {@code workflowId} as fixture {@code name}, if it is to be recorded. */
  public static void record(String name, WorkflowClient client, String workflowId)
      throws IOException {
    if (!recording(name)) {
      return;
    }
    Files.createDirectories(HISTORIES);
    String json = client.fetchHistory(workflowId).toJson(true);
    Files.writeString(fixture(name), json + "\n", StandardCharsets.UTF_8);
    recordRelease(name, client, workflowId);
  }

  /** Replays fixture {@code name}, which must end with {@code lastEvent}, on {@code workflow}. */
  public static void replay(String name, EventType lastEvent, Class<?> workflow) throws Exception {
    Path file = fixture(name);
    assertTrue(
        Files.exists(file), file + " is missing; record it with -Dtrafficctl.recordHistories=true");
    WorkflowExecutionHistory history =
        WorkflowExecutionHistory.fromJson(Files.readString(file, StandardCharsets.UTF_8));
    assertEquals(lastEvent, history.getLastEvent().getEventType(), name);
    replay(history, workflow);
  }

  /** Replays {@code history} (recorded or just fetched) on {@code workflow}. */
  public static void replay(WorkflowExecutionHistory history, Class<?> workflow) throws Exception {
    // The replaying worker needs trafficctl's data converter to read the snake_case input, so it
    // comes from an environment configured as the product's client.
    try (TestWorkflowEnvironment env = CanaryHarness.newEnvironment()) {
      Worker worker = env.newWorker(history.getWorkflowExecution().getRunId() + "-replay");
      worker.registerWorkflowImplementationTypes(workflow);
      WorkflowReplayer.replayWorkflowExecution(history, worker);
    }
  }

  private static Path fixture(String name) {
    return HISTORIES.resolve(name + ".json");
  }
}
