package dev.trafficctl.worker;

import picocli.CommandLine.Option;

/** The flags of {@link WorkerTuning}; each unset keeps the SDK's default. */
final class WorkerTuningOptions {

  @Option(
      names = "--workflow-task-slots",
      paramLabel = "N",
      description = "Workflow tasks run at once (default: the SDK's, 200).")
  Integer workflowTaskSlots;

  @Option(
      names = "--activity-slots",
      paramLabel = "N",
      description = "Activities run at once (default: the SDK's, 200).")
  Integer activitySlots;

  @Option(
      names = "--workflow-pollers",
      paramLabel = "N|auto",
      converter = PollerCount.class,
      description =
          "Workflow task pollers: at most N, or auto to let the SDK scale them with the backlog"
              + " (default: the SDK's).")
  Integer workflowPollers;

  @Option(
      names = "--activity-pollers",
      paramLabel = "N|auto",
      converter = PollerCount.class,
      description = "Activity task pollers: at most N, or auto (default: the SDK's).")
  Integer activityPollers;

  @Option(
      names = "--workflow-cache",
      paramLabel = "N",
      description =
          "Rollouts kept in memory between their tasks; one evicted is replayed from its history"
              + " at its next task (default: the SDK's, 600).")
  Integer workflowCache;

  @Option(
      names = "--workflow-threads",
      paramLabel = "N",
      description =
          "Threads for the rollouts in memory, at least one each (default: the SDK's, 600).")
  Integer workflowThreads;

  /** The settings given, checked: every count positive. */
  WorkerTuning tuning() {
    positive("--workflow-task-slots", workflowTaskSlots);
    positive("--activity-slots", activitySlots);
    positive("--workflow-cache", workflowCache);
    positive("--workflow-threads", workflowThreads);
    return new WorkerTuning(
        workflowTaskSlots,
        activitySlots,
        workflowPollers,
        activityPollers,
        workflowCache,
        workflowThreads);
  }

  private static void positive(String flag, Integer value) {
    if (value != null && value < 1) {
      throw new StartupFailure(
          StartupFailure.BAD_INPUT, flag + " " + value + " must be at least 1");
    }
  }

  /** {@code auto} (0: autoscaled) or a count of at least 1. */
  static final class PollerCount implements picocli.CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      if (value.equalsIgnoreCase("auto")) {
        return 0;
      }
      int n;
      try {
        n = Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a number of pollers or auto");
      }
      if (n < 1) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' must be at least 1, or auto");
      }
      return n;
    }
  }
}
