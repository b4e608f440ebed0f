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
 * its input is bad input (exit 2), one that the state of things refused is exit 4.
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

  /**
   * A run that failed: exit 2 when its input was refused, 4 when the state of things refused it
   * (the router's weights belong to another strategy, ...), else 1.
   */
  static CommandFailure failed(String workflowId, WorkflowFailedException e) {
    return new CommandFailure(exitCode(e), workflowId + ": the workflow failed: " + rootMessage(e));
  }

  /** The exit code of a run that failed; see {@link #failed}. */
  static int exitCode(WorkflowFailedException e) {
    if (e.getCause() instanceof ApplicationFailure a) {
      if (WorkflowFailures.INVALID_INPUT.equals(a.getType())) {
        return ExitCode.BAD_INPUT;
      }
      if (WorkflowFailures.REFUSED.equals(a.getType())) {
        return ExitCode.REFUSED;
      }
    }
    return ExitCode.ROLLED_BACK;
  }

  static String rootMessage(Throwable e) {
    return WorkflowFailures.rootMessage(e);
  }
}
