package dev.trafficctl.cli.rollout;

import com.google.common.util.concurrent.ListenableFuture;
import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.client.TemporalConnection;
import dev.trafficctl.client.payload.PayloadEncryption;
import dev.trafficctl.config.SpecDurations;
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
import io.temporal.api.enums.v1.TaskQueueType;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The CLI's side of the workflow contract: starts rollouts, reads their status (live from a worker,
 * else from the memo), and sends updates, turning every Temporal error into one line and an exit
 * code.
 */
public final class RolloutClient implements AutoCloseable {

  /** How often {@link #withdraw} looks whether the run it cancelled has closed. */
  private static final Duration WITHDRAWAL_POLL = Duration.ofMillis(250);

  private final TemporalConnection connection;
  private final TemporalErrors errors;
  private final WorkerQueries workers;

  /**
   * @param encryption the payload keys the CLI holds: it encrypts what it sends with the first and
   *     reads what the workflows saved (memo, results, queries) with any of them
   */
  public RolloutClient(ClientConfigProfile profile, PayloadEncryption encryption) {
    this.connection = TemporalConnection.open(profile, WorkerQueries.RPC_TIMEOUT, encryption);
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
    requireWorker(" to answer the results query; start one (bin/trafficctl-worker) and try again");
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

  /**
   * Withdraws run {@code runId}, which no worker seemed to have taken up, by cancelling it for
   * {@code reason}, then waits up to {@code grace} for it to close; returns how it stands then.
   *
   * <p>Cancelled, never terminated: a worker may have taken the run up just now and changed
   * traffic. A cancelled workflow puts back what it changed and says so; a terminated one would
   * stop where it was, its change in force and no run left to own it. A run no worker has taken up
   * stays open, cancel requested, until one does, and then ends without changing anything. A run
   * that closed before the request (a worker completed it meanwhile) is left as it is.
   */
  public WorkflowExecutionDescription withdraw(
      String workflowId, String runId, String reason, Duration grace) {
    WorkflowStub run =
        connection
            .client()
            .newUntypedWorkflowStub(workflowId, Optional.of(runId), Optional.empty());
    errors.call(
        workflowId,
        () -> {
          try {
            run.cancel(reason);
          } catch (WorkflowNotFoundException closedMeanwhile) {
            // "already completed": described below.
          } catch (WorkflowServiceException e) {
            if (!(e.getCause() instanceof StatusRuntimeException s
                && s.getStatus().getCode() == Status.Code.NOT_FOUND)) {
              throw e;
            }
          }
          return null;
        });
    Instant until = Instant.now().plus(grace);
    WorkflowExecutionDescription d = errors.call(workflowId, run::describe);
    while (d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        && Instant.now().isBefore(until)) {
      try {
        Thread.sleep(WITHDRAWAL_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      d = errors.call(workflowId, run::describe);
    }
    return d;
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
   * Whether any worker polled router host {@code host}'s queue recently ({@code --router-host}).
   */
  public boolean routerHostPolled(String host) {
    return errors.call(
        null,
        () ->
            WorkerQueries.pollers(
                    workers.askPollers(
                        TaskQueues.routerHost(host), TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY))
                > 0);
  }

  /**
   * Refuses (exit 3) what needs a worker when none polls, saying {@code no worker is polling
   * trafficctl-rollouts} and then {@code consequence} (e.g. {@code ; nothing was sent ...}).
   */
  private void requireWorker(String consequence) {
    if (!workerPolling()) {
      throw new CommandFailure(
          ExitCode.UNREACHABLE, "no worker is polling " + TaskQueues.ROLLOUTS + consequence);
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
    return ended(d);
  }

  /**
   * The status of a run that has closed, from how it closed: what it saved last when it completed
   * (promoted, rolled back, aborted), else phase Failed saying why it failed, was terminated or
   * timed out, never the status it saved while it still ran.
   */
  private StatusAnswer ended(WorkflowExecutionDescription d) {
    WorkflowFailure failure = failureOf(d);
    if (failure != null && d.getMemo(RolloutVisibility.MEMO_STATUS, RolloutStatus.class) == null) {
      // Started without the memo the CLI seeds (e.g. through Temporal's API): how it ended is all
      // there is to say.
      throw new CommandFailure(
          failure.exitCode(),
          d.getExecution().getWorkflowId() + ": the workflow " + failure.message());
    }
    StatusAnswer saved = fromMemo(d, false, null);
    if (failure == null) {
      return saved;
    }
    Instant closed = d.getCloseTime() == null ? Instant.now() : d.getCloseTime();
    return new StatusAnswer(
        saved.status().closedBy(failure.statusMessage(), closed), false, false, null, failure);
  }

  /**
   * The latest run under {@code workflowId} as control commands need it: empty when none ever ran;
   * its workflow type, and for a closed run how it ended.
   */
  public Optional<LatestRun> latest(String workflowId) {
    return describeIfAny(workflowId)
        .map(
            d ->
                d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                    ? new LatestRun(d.getWorkflowType(), null)
                    : new LatestRun(d.getWorkflowType(), ended(d).status()));
  }

  /**
   * The version weights the service's last traffic-changing run left on the router, as it recorded
   * them: a completed split's, as it read them back; else those of a rollout that ended. Runs that
   * failed before a worker took them up changed nothing and are passed over. Empty when none ran,
   * one runs (a start is refused anyway), or that run did not say where traffic is (it failed or
   * was terminated midway).
   */
  public Optional<WeightsOnRecord> weightsOnRecord(String workflowId) {
    String query = "WorkflowId = '" + Listing.checkedName(workflowId, "workflow id") + "'";
    for (WorkflowExecutionMetadata run : list(query, 10)) {
      WorkflowExecutionStatus status = run.getStatus();
      if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return Optional.empty();
      }
      RolloutStatus saved =
          (RolloutStatus) run.getMemo(RolloutVisibility.MEMO_STATUS, RolloutStatus.class);
      boolean completed = status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED;
      if (!completed
          && saved != null
          && RolloutInput.WAITING_FOR_A_WORKER.equals(saved.message())) {
        continue;
      }
      if (completed && TrafficSplitWorkflow.TYPE.equals(run.getWorkflowType())) {
        SplitResult split = completedResult(run.getExecution(), SplitResult.class);
        return Optional.of(new WeightsOnRecord(split.weights(), "split"));
      }
      return completed ? WeightsOnRecord.of(saved) : Optional.empty();
    }
    return Optional.empty();
  }

  /** Why a closed run did not complete, or null when it completed. */
  private WorkflowFailure failureOf(WorkflowExecutionDescription d) {
    WorkflowExecutionStatus status = d.getStatus();
    if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
        || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW) {
      return null;
    }
    String how = status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT);
    how = how.replace('_', ' ');
    try {
      connection
          .client()
          .newUntypedWorkflowStub(
              d.getExecution().getWorkflowId(),
              Optional.of(d.getExecution().getRunId()),
              Optional.empty())
          .getResult(Object.class);
      return new WorkflowFailure(how, null, ExitCode.ROLLED_BACK);
    } catch (WorkflowFailedException e) {
      String why = TemporalErrors.rootMessage(e);
      // A failure that says nothing of itself is named by its class: leave it out.
      boolean said = why != null && !why.isBlank() && !why.endsWith("Failure");
      return new WorkflowFailure(how, said ? why : null, TemporalErrors.exitCode(e));
    }
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

  /**
   * Sends an update and waits up to {@code answerWithin} for the rollout's answer. Nothing is sent
   * when no worker polls (exit 3); an update a worker has not applied in time stays with Temporal
   * for the next one (exit 5); a rejection by the rollout's state is exit 4 with the rollout's
   * reason.
   */
  public RolloutStatus update(
      String workflowId, String name, Object request, Duration answerWithin) {
    requireWorker("; nothing was sent (start one: bin/trafficctl-worker)");
    WorkflowStub stub = connection.client().newUntypedWorkflowStub(workflowId);
    // The SDK waits for the answer as long as it takes; the person (or pipeline) does not.
    CompletableFuture<RolloutStatus> answer =
        CompletableFuture.supplyAsync(() -> stub.update(name, RolloutStatus.class, request));
    try {
      return answer.get(answerWithin.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new CommandFailure(
          ExitCode.STILL_RUNNING,
          workflowId
              + ": "
              + name
              + " sent; it applies when a worker polls (no answer within "
              + SpecDurations.format(answerWithin)
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailure(ExitCode.STILL_RUNNING, workflowId + ": " + name + " sent");
    } catch (ExecutionException e) {
      throw updateFailure(workflowId, e.getCause());
    }
  }

  private CommandFailure updateFailure(String workflowId, Throwable failure) {
    if (failure instanceof WorkflowUpdateException e) {
      return new CommandFailure(
          ExitCode.REFUSED, workflowId + ": " + TemporalErrors.rootMessage(e));
    }
    if (failure instanceof WorkflowNotFoundException) {
      return errors.notFound(workflowId);
    }
    if (failure instanceof WorkflowServiceException e) {
      return errors.translate(e, workflowId);
    }
    if (failure instanceof StatusRuntimeException e) {
      return errors.unreachable(e);
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    throw new IllegalStateException(failure);
  }

  @Override
  public void close() {
    connection.close();
  }
}
