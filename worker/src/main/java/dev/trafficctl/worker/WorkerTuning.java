package dev.trafficctl.worker;

import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.tuning.PollerBehavior;
import io.temporal.worker.tuning.PollerBehaviorAutoscaling;
import io.temporal.worker.tuning.PollerBehaviorSimpleMaximum;
import java.util.ArrayList;
import java.util.List;

/**
 * How much work one worker takes on at once: task slots, pollers and the sticky cache of workflows
 * it keeps in memory. Each value is the SDK's default when not set (null). docs/capacity.md says
 * which to raise for how many rollouts, from bench/scale.sh's figures.
 *
 * @param workflowTaskSlots workflow tasks run at once (SDK default 200)
 * @param activitySlots activities run at once (SDK default 200)
 * @param workflowPollers workflow task pollers: a fixed maximum, or 0 for the SDK's autoscaling
 * @param activityPollers activity task pollers: a fixed maximum, or 0 for autoscaling
 * @param workflowCache workflows kept in memory between tasks (SDK default 600): a workflow evicted
 *     from it is replayed from its history at its next task
 * @param workflowThreads threads for the cached workflows (SDK default 600), at least one each
 */
record WorkerTuning(
    Integer workflowTaskSlots,
    Integer activitySlots,
    Integer workflowPollers,
    Integer activityPollers,
    Integer workflowCache,
    Integer workflowThreads) {

  /** The SDK's defaults throughout. */
  static final WorkerTuning DEFAULTS = new WorkerTuning(null, null, null, null, null, null);

  /** The worker's options with these settings. */
  WorkerOptions.Builder apply(WorkerOptions.Builder options) {
    if (workflowTaskSlots != null) {
      options.setMaxConcurrentWorkflowTaskExecutionSize(workflowTaskSlots);
    }
    if (activitySlots != null) {
      options.setMaxConcurrentActivityExecutionSize(activitySlots);
    }
    if (workflowPollers != null) {
      options.setWorkflowTaskPollersBehavior(pollers(workflowPollers));
    }
    if (activityPollers != null) {
      options.setActivityTaskPollersBehavior(pollers(activityPollers));
    }
    return options;
  }

  /** The worker factory's options with these settings. */
  WorkerFactoryOptions.Builder apply(WorkerFactoryOptions.Builder options) {
    if (workflowCache != null) {
      options.setWorkflowCacheSize(workflowCache);
    }
    if (workflowThreads != null) {
      options.setMaxWorkflowThreadCount(workflowThreads);
    }
    return options;
  }

  private static PollerBehavior pollers(int maximum) {
    return maximum == 0
        ? new PollerBehaviorAutoscaling()
        : new PollerBehaviorSimpleMaximum(maximum);
  }

  /** The settings that differ from the SDK's defaults, for the worker's start-up line. */
  String describe() {
    List<String> set = new ArrayList<>();
    add(set, "workflow task slots", workflowTaskSlots);
    add(set, "activity slots", activitySlots);
    add(set, "workflow pollers", workflowPollers);
    add(set, "activity pollers", activityPollers);
    add(set, "workflow cache", workflowCache);
    add(set, "workflow threads", workflowThreads);
    return set.isEmpty() ? "the SDK's default slots, pollers and cache" : String.join(", ", set);
  }

  private static void add(List<String> set, String name, Integer value) {
    if (value != null) {
      set.add(name + " " + (value == 0 && name.endsWith("pollers") ? "autoscaled" : value));
    }
  }
}
