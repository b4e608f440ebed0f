package dev.trafficctl.cli.rollout;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.workflows.WorkflowFailures;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;

/**
 * Temporal's errors as the CLI reports them: one line and an exit code. A rollout that was never
 * started is refused (exit 4), a server that cannot be reached is exit 3, a workflow that refused
 * its input is bad input (exit 2).
 */
final class TemporalErrors {

  private final String address;

  /**
   * @param address where Temporal was looked for, for the unreachable message
   */
  TemporalErrors(String address) {
    this.address = address;
  }

  /** Runs {@code call}, mapping Temporal's errors about {@code workflowId} to one line. */
  <T> T call(String workflowId, Supplier<T> call) {
    try {
      return call.get();
    } catch (WorkflowNotFoundException e) {
      throw notFound(workflowId);
    } catch (WorkflowServiceException e) {
      throw translate(e, workflowId);
    } catch (StatusRuntimeException e) {
      throw unreachable(e);
    }
  }

  CommandFailure notFound(String workflowId) {
    return new CommandFailure(ExitCode.REFUSED, "no rollout " + workflowId + " has run");
  }

  CommandFailure translate(WorkflowServiceException e, String workflowId) {
    if (e.getCause() instanceof StatusRuntimeException s) {
      if (s.getStatus().getCode() == Status.Code.NOT_FOUND && workflowId != null) {
        return notFound(workflowId);
      }
      return unreachable(s);
    }
    return new CommandFailure(ExitCode.UNREACHABLE, rootMessage(e), e);
  }

  CommandFailure unreachable(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    if (code == Status.Code.NOT_FOUND) {
      return new CommandFailure(ExitCode.REFUSED, e.getStatus().getDescription(), e);
    }
    String description = e.getStatus().getDescription();
    return new CommandFailure(
        ExitCode.UNREACHABLE,
        "cannot reach Temporal at "
            + address
            + " ("
            + code
            + (description == null ? "" : ": " + description)
            + ")",
        e);
  }

  /** A run that failed: exit 2 when its input was refused, else 1. */
  static CommandFailure failed(String workflowId, WorkflowFailedException e) {
    return new CommandFailure(
        refusedInput(e) ? ExitCode.BAD_INPUT : ExitCode.ROLLED_BACK,
        workflowId + ": the workflow failed: " + rootMessage(e));
  }

  /** Whether the workflow failed because it could not use its input. */
  static boolean refusedInput(WorkflowFailedException e) {
    return e.getCause() instanceof ApplicationFailure a
        && WorkflowFailures.INVALID_INPUT.equals(a.getType());
  }

  static String rootMessage(Throwable e) {
    return WorkflowFailures.rootMessage(e);
  }
}
