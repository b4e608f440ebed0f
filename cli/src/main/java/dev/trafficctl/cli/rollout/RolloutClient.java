package dev.trafficctl.cli.rollout;

import com.google.common.util.concurrent.ListenableFuture;
import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.client.TemporalConnection;
import dev.trafficctl.workflows.RolloutInput;
import dev.trafficctl.workflows.RolloutVisibility;
import dev.trafficctl.workflows.TaskQueues;
import dev.trafficctl.workflows.TrafficSearchAttributes;
import dev.trafficctl.workflows.abtest.AbTestResult;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults;
import dev.trafficctl.workflows.splitting.SplitResult;
import dev.trafficctl.workflows.splitting.TrafficSplitWorkflow;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.SearchAttributes;
import io.temporal.envconfig.ClientConfigProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The CLI's side of the workflow contract: starts rollouts, reads their status (live from a worker,
 * else from the memo), and sends updates, turning every Temporal error into one line and an exit
 * code.
 */
public final class RolloutClient implements AutoCloseable {

  private final TemporalConnection connection;
  private final TemporalErrors errors;
  private final WorkerQueries workers;

  public RolloutClient(ClientConfigProfile profile) {
    this.connection = TemporalConnection.open(profile, WorkerQueries.RPC_TIMEOUT);
    this.errors = new TemporalErrors(connection.address());
    this.workers = new WorkerQueries(connection, errors);
  }

  public String address() {
    return connection.address();
  }

  public WorkflowClient client() {
    return connection.client();
  }

  /**
   * Starts the workflow {@code input} describes, under its id, with the search attributes every
   * rollout keeps and its waiting status in the memo; refuses (exit 4) when one already runs under
   * that id (for a rollout: when any rollout owns the service's traffic). Returns the run's id.
   */
  public String start(RolloutInput input) {
    String workflowId = input.workflowId();
    RolloutStatus waiting = input.waitingStatus(Instant.now());
    SearchAttributes.Builder attributes =
        SearchAttributes.newBuilder()
            .set(TrafficSearchAttributes.KIND, input.kind().wire())
            .set(TrafficSearchAttributes.SERVICE, input.service())
            .set(TrafficSearchAttributes.ENV, input.env())
            .set(TrafficSearchAttributes.STRATEGY, input.strategy())
            .set(TrafficSearchAttributes.PHASE, waiting.phase().display())
            .set(TrafficSearchAttributes.VERSION, input.version())
            .set(TrafficSearchAttributes.WEIGHT, (long) waiting.weight());
    input.addSearchAttributes(attributes);
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(TaskQueues.ROLLOUTS)
            .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setTypedSearchAttributes(attributes.build())
            // Until a worker picks the rollout up, status answers from this memo.
            .setMemo(Map.of(RolloutVisibility.MEMO_STATUS, waiting))
            .setStaticSummary(input.summary())
            .build();
    try {
      return connection
          .client()
          .newUntypedWorkflowStub(input.workflowType(), options)
          .start(input)
          .getRunId();
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new CommandFailure(ExitCode.REFUSED, alreadyRunning(workflowId));
    } catch (WorkflowServiceException e) {
      throw errors.translate(e, workflowId);
    }
  }

  /**
   * An A/B test's results. A completed run's are its result, which Temporal keeps with the history,
   * so they need no worker; a running test's (or one that ended otherwise) come from the {@code
   * results} query, which a worker answers (for an ended run by replaying its history).
   */
  public AbTestResults abTestResults(WorkflowExecutionMetadata test) {
    WorkflowExecution execution = test.getExecution();
    if (test.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      return completedResult(execution, AbTestResult.class).results();
    }
    String workflowId = execution.getWorkflowId();
    requireWorker(" to answer the results query");
    return workers
        .query(workflowId, execution.getRunId(), "results", AbTestResults.class)
        .orElseThrow(
            () ->
                new CommandFailure(
                    ExitCode.UNREACHABLE,
                    workflowId + ": no worker answered the results query in time; try again"));
  }

  /**
   * Waits up to {@code bound} for the result of run {@code runId}: empty when it has not ended by
   * then; a run that failed is a one-line failure (exit 2 when its input was invalid, else 1).
   */
  public <T> Optional<T> awaitResult(
      String workflowId, String runId, Class<T> type, Duration bound) {
    WorkflowStub stub =
        connection
            .client()
            .newUntypedWorkflowStub(workflowId, Optional.of(runId), Optional.empty());
    try {
      return Optional.of(stub.getResult(bound.toMillis(), TimeUnit.MILLISECONDS, type));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (WorkflowFailedException e) {
      throw TemporalErrors.failed(workflowId, e);
    } catch (WorkflowNotFoundException e) {
      throw errors.notFound(workflowId);
    } catch (WorkflowServiceException e) {
      throw errors.translate(e, workflowId);
    } catch (StatusRuntimeException e) {
      throw errors.unreachable(e);
    }
  }

  /** Ends run {@code runId} at once, for {@code reason}; used only on a run no worker has seen. */
  public void withdraw(String workflowId, String runId, String reason) {
    errors.call(
        workflowId,
        () -> {
          connection
              .client()
              .newUntypedWorkflowStub(workflowId, Optional.of(runId), Optional.empty())
              .terminate(reason);
          return null;
        });
  }

  /**
   * The result of the service's latest run when that run was a split which completed; empty when it
   * was another strategy, is still running, did not complete, or none has run.
   */
  public Optional<SplitResult> lastSplit(String workflowId) {
    Optional<WorkflowExecutionDescription> latest = describeIfAny(workflowId);
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    WorkflowExecutionDescription d = latest.get();
    if (!TrafficSplitWorkflow.TYPE.equals(d.getWorkflowType())
        || d.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      return Optional.empty();
    }
    return Optional.of(completedResult(d.getExecution(), SplitResult.class));
  }

  /**
   * The version weights the service's last run left on the router, as it recorded them: a completed
   * split's, as it read them back; else those of a rollout that ended. Empty when none ran, one
   * runs (a start is refused anyway), or the last run did not say where traffic is (it failed or
   * was terminated midway, or refused its input and never touched traffic).
   */
  public Optional<WeightsOnRecord> weightsOnRecord(String workflowId) {
    Optional<WorkflowExecutionDescription> latest = describeIfAny(workflowId);
    if (latest.isEmpty()
        || latest.get().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return Optional.empty();
    }
    WorkflowExecutionDescription d = latest.get();
    if (TrafficSplitWorkflow.TYPE.equals(d.getWorkflowType())) {
      if (d.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
        return Optional.empty();
      }
      SplitResult split = completedResult(d.getExecution(), SplitResult.class);
      return Optional.of(new WeightsOnRecord(split.weights(), "split"));
    }
    return WeightsOnRecord.of(
        (RolloutStatus) d.getMemo(RolloutVisibility.MEMO_STATUS, RolloutStatus.class));
  }

  /** The result of a run that completed: kept with its history, so it needs no worker. */
  private <T> T completedResult(WorkflowExecution execution, Class<T> type) {
    String workflowId = execution.getWorkflowId();
    return errors.call(
        workflowId,
        () ->
            connection
                .client()
                .newUntypedWorkflowStub(
                    workflowId, Optional.of(execution.getRunId()), Optional.empty())
                .getResult(type));
  }

  /** The workflow type of the rollout running under {@code workflowId}, or empty when none runs. */
  public Optional<String> runningType(String workflowId) {
    return describeIfAny(workflowId)
        .filter(d -> d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
        .map(WorkflowExecutionDescription::getWorkflowType);
  }

  /** The latest run under {@code workflowId}, or empty when none ever ran. */
  private Optional<WorkflowExecutionDescription> describeIfAny(String workflowId) {
    try {
      return Optional.of(connection.client().newUntypedWorkflowStub(workflowId).describe());
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    } catch (WorkflowServiceException e) {
      if (e.getCause() instanceof StatusRuntimeException s
          && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw errors.translate(e, workflowId);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw errors.unreachable(e);
    }
  }

  private String alreadyRunning(String workflowId) {
    try {
      WorkflowExecutionDescription d = describe(workflowId);
      SearchAttributes sa = d.getTypedSearchAttributes();
      String strategy = sa.get(TrafficSearchAttributes.STRATEGY);
      String phase = sa.get(TrafficSearchAttributes.PHASE);
      String version = sa.get(TrafficSearchAttributes.VERSION);
      return workflowId
          + " is already running: "
          + (strategy == null ? d.getWorkflowType() : strategy)
          + (version == null ? "" : " of " + version)
          + (phase == null ? "" : ", phase " + phase)
          + "; abort it or wait for it to end";
    } catch (RuntimeException e) {
      return workflowId + " is already running; abort it or wait for it to end";
    }
  }

  public WorkflowExecutionDescription describe(String workflowId) {
    return errors.call(
        workflowId, () -> connection.client().newUntypedWorkflowStub(workflowId).describe());
  }

  /** Rollouts matching a visibility query, newest first. */
  public List<WorkflowExecutionMetadata> list(String query, int limit) {
    return errors.call(null, () -> connection.client().listExecutions(query).limit(limit).toList());
  }

  /** Whether any worker polled the rollouts task queue recently. */
  public boolean workerPolling() {
    return errors.call(null, () -> WorkerQueries.pollers(workers.askPollers()) > 0);
  }

  /**
   * Refuses (exit 3) what needs a worker when none polls: {@code what} is how the person's request
   * waits for one ({@code to answer the results query}), or empty.
   */
  private void requireWorker(String what) {
    if (!workerPolling()) {
      throw new CommandFailure(
          ExitCode.UNREACHABLE,
          "no worker is polling "
              + TaskQueues.ROLLOUTS
              + what
              + "; start one (bin/trafficctl-worker) and try again");
    }
  }

  /**
   * The rollout's status: from the workflow's query while a worker answers, else from the memo the
   * workflow keeps current, saying why.
   */
  public StatusAnswer status(String workflowId) {
    // The two questions are independent: ask both at once (start-up time matters to people).
    ListenableFuture<DescribeTaskQueueResponse> pollers = workers.askPollers();
    WorkflowExecutionDescription d = describe(workflowId);
    boolean running = d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    if (running) {
      if (errors.call(workflowId, () -> WorkerQueries.pollers(pollers)) == 0) {
        return fromMemo(
            d, true, "no worker is polling " + TaskQueues.ROLLOUTS + "; last saved status");
      }
      return workers
          .query(workflowId, null, "status", RolloutStatus.class)
          .map(live -> new StatusAnswer(live, true, true, null, null))
          .orElseGet(
              () -> fromMemo(d, true, "no worker answered the status query; last saved status"));
    }
    StatusAnswer ended = fromMemo(d, false, null);
    WorkflowFailure failure = failureOf(workflowId, d.getStatus());
    return failure == null
        ? ended
        : new StatusAnswer(
            ended.status(), false, false, "the workflow " + failure.message(), failure);
  }

  /** Why a closed workflow did not complete, or null when it completed. */
  private WorkflowFailure failureOf(String workflowId, WorkflowExecutionStatus status) {
    return switch (status) {
      case WORKFLOW_EXECUTION_STATUS_COMPLETED, WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW -> null;
      case WORKFLOW_EXECUTION_STATUS_FAILED -> {
        try {
          connection.client().newUntypedWorkflowStub(workflowId).getResult(Object.class);
          yield new WorkflowFailure("failed", ExitCode.ROLLED_BACK);
        } catch (WorkflowFailedException e) {
          yield new WorkflowFailure(
              "failed: " + TemporalErrors.rootMessage(e), TemporalErrors.exitCode(e));
        }
      }
      default ->
          new WorkflowFailure(
              status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT),
              ExitCode.ROLLED_BACK);
    };
  }

  private StatusAnswer fromMemo(WorkflowExecutionDescription d, boolean running, String note) {
    RolloutStatus saved =
        (RolloutStatus) d.getMemo(RolloutVisibility.MEMO_STATUS, RolloutStatus.class);
    if (saved == null) {
      throw new CommandFailure(
          ExitCode.REFUSED,
          d.getExecution().getWorkflowId()
              + " has no status yet ("
              + d.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase()
              + ")"
              + (note == null ? "" : "; " + note));
    }
    return new StatusAnswer(saved, false, running, note, null);
  }

  /** Sends an update; a rejection by the rollout's state is exit 4 with the rollout's reason. */
  public RolloutStatus update(String workflowId, String name, Object request) {
    requireWorker("");
    WorkflowStub stub = connection.client().newUntypedWorkflowStub(workflowId);
    try {
      return stub.update(name, RolloutStatus.class, request);
    } catch (WorkflowUpdateException e) {
      throw new CommandFailure(ExitCode.REFUSED, workflowId + ": " + TemporalErrors.rootMessage(e));
    } catch (WorkflowNotFoundException e) {
      throw errors.notFound(workflowId);
    } catch (WorkflowServiceException e) {
      throw errors.translate(e, workflowId);
    }
  }

  @Override
  public void close() {
    connection.close();
  }
}
