package dev.trafficctl.activities.archfixture;

import dev.trafficctl.workflows.canary.CanaryWorkflowImpl;

/**
 * An adapter that reaches into a workflow implementation (test sources only, never run) that the
 * architecture test must catch.
 */
public class AdapterReachingIntoAWorkflow {

  public Class<?> workflow() {
    return CanaryWorkflowImpl.class;
  }
}
