package dev.trafficctl.worker;

import dev.trafficctl.workflows.WorkflowFailures;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import org.slf4j.Logger;

/**
 * Logs how a workflow failed: one line, with its id, when it refused its input (a person's mistake,
 * told to them by the CLI, not a bug) or was cancelled, the stack trace otherwise. It stands in for
 * the SDK's own warning, a 20-line trace for every failure, which simplelogger.properties turns
 * off. Logged through the workflow's logger, so a replay does not log it again.
 */
final class FailureLogging extends WorkerInterceptorBase {

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        try {
          return super.execute(input);
        } catch (RuntimeException e) {
          log(e);
          throw e;
        }
      }
    };
  }

  private static void log(RuntimeException failure) {
    Logger log = Workflow.getLogger(FailureLogging.class);
    WorkflowInfo info = Workflow.getInfo();
    if (failure instanceof CanceledFailure cancelled) {
      // Asked for (e.g. the CLI withdrawing a split no worker seemed to take up): not a bug.
      log.info(
          "{} ({}, run {}) cancelled: {}",
          info.getWorkflowId(),
          info.getWorkflowType(),
          info.getRunId(),
          cancelled.getOriginalMessage());
    } else if (failure instanceof ApplicationFailure a
        && WorkflowFailures.INVALID_INPUT.equals(a.getType())) {
      log.warn(
          "{} ({}) refused its input: {}",
          info.getWorkflowId(),
          info.getWorkflowType(),
          a.getOriginalMessage());
    } else {
      log.warn(
          "{} ({}, run {}) failed",
          info.getWorkflowId(),
          info.getWorkflowType(),
          info.getRunId(),
          failure);
    }
  }
}
