package dev.trafficctl.workflows.archfixture;

/**
 * A deliberately non-deterministic "workflow" (test sources only, never run) that the architecture
 * test must catch, so the determinism rule is known to bite.
 */
public class NonDeterministicWorkflowImpl {

  public long startedAt() {
    return System.currentTimeMillis();
  }
}
