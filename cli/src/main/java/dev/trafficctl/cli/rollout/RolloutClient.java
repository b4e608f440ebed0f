package dev.trafficctl.cli.rollout;

import com.google.common.util.concurrent.ListenableFuture;
import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.client.TemporalConnection;
import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.bluegreen.ColorEnvironment;
import dev.trafficctl.workflows.TaskQueues;
import dev.trafficctl.workflows.TrafficDataConverter;
import dev.trafficctl.workflows.TrafficSearchAttributes;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.abtest.AbTestInput;
import dev.trafficctl.workflows.abtest.AbTestResult;
import dev.trafficctl.workflows.abtest.AbTestWorkflow;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults;
import dev.trafficctl.workflows.bluegreen.BlueGreenInput;
import dev.trafficctl.workflows.bluegreen.BlueGreenOptions;
import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflow;
import dev.trafficctl.workflows.bluegreen.Colors;
import dev.trafficctl.workflows.canary.CanaryInput;
import dev.trafficctl.workflows.canary.CanaryWorkflow;
import dev.trafficctl.workflows.splitting.MigrationInput;
import dev.trafficctl.workflows.splitting.SplitInput;
import dev.trafficctl.workflows.splitting.SplitResult;
import dev.trafficctl.workflows.splitting.TrafficMigrationWorkflow;
import dev.trafficctl.workflows.splitting.TrafficSplitWorkflow;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
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
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The CLI's side of the workflow contract: starts rollouts, reads their status (live from a worker,
 * else from the memo), and sends updates, turning every Temporal error into one line and an exit
 * code.
 */
public final class RolloutClient implements AutoCloseable {

  /** Status and updates should answer quickly; a person is waiting. */
  private static final Duration RPC_TIMEOUT = Duration.ofSeconds(5);

  /** A worker that is up answers a query in milliseconds. */
  private static final Duration QUERY_DEADLINE = Duration.ofSeconds(3);

  public static final String MEMO_STATUS = "status";

  /**
   * A blue-green rollout's steps: readiness, health check, promotion, switch, monitoring, cleanup.
   */
  private static final int BLUE_GREEN_STAGES = 6;

  private final TemporalConnection connection;

  public RolloutClient(ClientConfigProfile profile) {
    this.connection = TemporalConnection.open(profile, RPC_TIMEOUT);
  }

  public String address() {
    return connection.address();
  }

  public WorkflowClient client() {
    return connection.client();
  }

  /** Starts a canary; refuses (exit 4) when any rollout already owns the service's traffic. */
  public String startCanary(String workflowId, CanaryInput input) {
    return start(
        CanaryWorkflow.TYPE,
        workflowId,
        input,
        waitingForWorker(
            workflowId,
            input.service(),
            input.env(),
            "canary",
            null,
            input.version(),
            input.canary().steps().size(),
            input.canary().steps().get(0).trafficPercent()),
        input.version(),
        "canary " + input.service() + " (" + input.env() + ") -> " + input.version());
  }

  /**
   * Starts a blue-green rollout (a deploy, or a manual switch when {@code options.switchTo} is
   * set); refuses (exit 4) when any rollout already owns the service's traffic.
   */
  public String startBlueGreen(String workflowId, BlueGreenInput input) {
    BlueGreenOptions options = input.options();
    ColorEnvironment blue = input.blueGreen().environments().blue();
    ColorEnvironment green = input.blueGreen().environments().green();
    // Before a worker reads the router, the document's weights are the best word on which is live.
    String live =
        options.switchTo() != null
            ? Colors.other(options.switchTo())
            : blue.weight() >= green.weight() ? Colors.BLUE : Colors.GREEN;
    String next = Colors.other(live);
    List<Integer> moves = options.gradual() ? options.gradualSteps() : List.of(100);
    String what = options.switchTo() != null ? "switch" : "deploy";
    return start(
        BlueGreenWorkflow.TYPE,
        workflowId,
        input,
        waitingForWorker(
            workflowId,
            input.service(),
            input.env(),
            "blue-green",
            live,
            next,
            BLUE_GREEN_STAGES,
            moves.get(0)),
        options.version() != null ? options.version() : "blue-green",
        "blue-green "
            + what
            + " "
            + input.service()
            + " ("
            + input.env()
            + ") "
            + live
            + " -> "
            + next
            + (options.version() == null ? "" : " (" + options.version() + ")"));
  }

  /**
   * Starts a static split; refuses (exit 4) when any rollout already owns the service's traffic.
   * The version searched and shown is the one given the most traffic (the first of a tie).
   */
  public String startSplit(String workflowId, SplitInput input) {
    Map.Entry<String, Integer> top = heaviest(input.weights());
    return start(
        TrafficSplitWorkflow.TYPE,
        workflowId,
        input,
        waitingForWorker(
            workflowId,
            input.service(),
            input.env(),
            "split",
            null,
            top.getKey(),
            1,
            top.getValue()),
        top.getKey(),
        "split " + input.service() + " (" + input.env() + "): " + weightsLine(input.weights()));
  }

  /**
   * Starts a gradual migration; refuses (exit 4) when any rollout already owns the service's
   * traffic. Its version is the destination.
   */
  public String startMigration(String workflowId, MigrationInput input) {
    return start(
        TrafficMigrationWorkflow.TYPE,
        workflowId,
        input,
        waitingForWorker(
            workflowId,
            input.service(),
            input.env(),
            "migration",
            input.from(),
            input.to(),
            // Until the worker reads the router, the moves from 0% are the best estimate.
            (100 + input.rate() - 1) / input.rate(),
            input.rate()),
        input.to(),
        "migration "
            + input.service()
            + " ("
            + input.env()
            + ") "
            + input.from()
            + " -> "
            + input.to()
            + ", "
            + input.rate()
            + " points every "
            + SpecDurations.format(input.interval()));
  }

  /**
   * Starts an A/B test; refuses (exit 4) when any rollout already owns the service's traffic. Its
   * version is the first treatment's; the test's name is searchable at once ({@code
   * TrafficAbTest}), before a worker picks it up.
   */
  public String startAbTest(String workflowId, AbTestInput input) {
    List<String> variants = List.copyOf(input.variantVersions().keySet());
    String control = input.variantVersions().get(variants.get(0));
    String treatment = input.variantVersions().get(variants.get(1));
    return start(
        AbTestWorkflow.TYPE,
        workflowId,
        input,
        waitingForWorker(
            workflowId,
            input.service(),
            input.env(),
            AbTestWorkflow.STRATEGY,
            control,
            treatment,
            0,
            0),
        treatment,
        "A/B test "
            + input.name()
            + " on "
            + input.service()
            + " ("
            + input.env()
            + "): "
            + String.join(" vs ", variants),
        attributes -> attributes.set(TrafficSearchAttributes.AB_TEST, input.name()));
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
    if (!workerPolling()) {
      throw new CommandFailure(
          ExitCode.UNREACHABLE,
          "no worker is polling "
              + TaskQueues.ROLLOUTS
              + " to answer the results query; start one (bin/trafficctl-worker) and try again");
    }
    return query(workflowId, execution.getRunId(), "results", AbTestResults.class)
        .orElseThrow(
            () ->
                new CommandFailure(
                    ExitCode.UNREACHABLE,
                    workflowId + ": no worker answered the results query in time; try again"));
  }

  /** The entry with the highest weight, the first of a tie. */
  static Map.Entry<String, Integer> heaviest(Map<String, Integer> weights) {
    Map.Entry<String, Integer> top = null;
    for (Map.Entry<String, Integer> w : weights.entrySet()) {
      if (top == null || w.getValue() > top.getValue()) {
        top = w;
      }
    }
    if (top == null) {
      throw new IllegalArgumentException("no weights");
    }
    return top;
  }

  /** {@code v1 80%, v2 20%}. */
  public static String weightsLine(Map<String, Integer> weights) {
    StringBuilder line = new StringBuilder();
    weights.forEach(
        (version, percent) ->
            line.append(line.length() == 0 ? "" : ", ")
                .append(version)
                .append(' ')
                .append(percent)
                .append('%'));
    return line.toString();
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
      boolean invalidInput =
          e.getCause() instanceof ApplicationFailure a
              && WorkflowFailures.INVALID_INPUT.equals(a.getType());
      throw new CommandFailure(
          invalidInput ? ExitCode.BAD_INPUT : ExitCode.ROLLED_BACK,
          workflowId + ": the workflow failed: " + rootMessage(e));
    } catch (WorkflowNotFoundException e) {
      throw notFound(workflowId);
    } catch (WorkflowServiceException e) {
      throw translate(e, workflowId);
    } catch (StatusRuntimeException e) {
      throw unreachable(e);
    }
  }

  /** Ends run {@code runId} at once, for {@code reason}; used only on a run no worker has seen. */
  public void withdraw(String workflowId, String runId, String reason) {
    call(
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

  /** The result of a run that completed: kept with its history, so it needs no worker. */
  private <T> T completedResult(WorkflowExecution execution, Class<T> type) {
    String workflowId = execution.getWorkflowId();
    return call(
        workflowId,
        () ->
            connection
                .client()
                .newUntypedWorkflowStub(
                    workflowId, Optional.of(execution.getRunId()), Optional.empty())
                .getResult(type));
  }

  /**
   * Starts workflow {@code type} under the one id of the service's traffic, with the search
   * attributes every rollout keeps and a first status in the memo.
   */
  private String start(
      String type,
      String workflowId,
      Object input,
      RolloutStatus waiting,
      String version,
      String summary) {
    return start(type, workflowId, input, waiting, version, summary, attributes -> {});
  }

  private String start(
      String type,
      String workflowId,
      Object input,
      RolloutStatus waiting,
      String version,
      String summary,
      Consumer<SearchAttributes.Builder> moreAttributes) {
    SearchAttributes.Builder attributes =
        SearchAttributes.newBuilder()
            .set(TrafficSearchAttributes.SERVICE, waiting.service())
            .set(TrafficSearchAttributes.ENV, waiting.env())
            .set(TrafficSearchAttributes.STRATEGY, waiting.strategy())
            .set(TrafficSearchAttributes.PHASE, waiting.phase().display())
            .set(TrafficSearchAttributes.VERSION, version)
            .set(TrafficSearchAttributes.WEIGHT, (long) waiting.weight());
    moreAttributes.accept(attributes);
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(TaskQueues.ROLLOUTS)
            .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setTypedSearchAttributes(attributes.build())
            // Until a worker picks the rollout up, status answers from this memo.
            .setMemo(Map.of(MEMO_STATUS, waiting))
            .setStaticSummary(summary)
            .build();
    try {
      return connection.client().newUntypedWorkflowStub(type, options).start(input).getRunId();
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new CommandFailure(ExitCode.REFUSED, alreadyRunning(workflowId));
    } catch (WorkflowServiceException e) {
      throw translate(e, workflowId);
    }
  }

  private static RolloutStatus waitingForWorker(
      String workflowId,
      String service,
      String env,
      String strategy,
      String stable,
      String candidate,
      int totalSteps,
      int nextWeight) {
    return new RolloutStatus(
        workflowId,
        service,
        env,
        strategy,
        stable,
        candidate,
        Phase.PROGRESSING,
        "waiting for a worker to start it",
        0,
        totalSteps,
        0,
        nextWeight,
        Instant.now(),
        null,
        null,
        null,
        List.of(),
        List.of(),
        Instant.now(),
        List.of());
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
      throw translate(e, workflowId);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw unreachable(e);
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
    return call(
        workflowId, () -> connection.client().newUntypedWorkflowStub(workflowId).describe());
  }

  /** Rollouts matching a visibility query, newest first. */
  public List<WorkflowExecutionMetadata> list(String query, int limit) {
    return call(null, () -> connection.client().listExecutions(query).limit(limit).toList());
  }

  /** Whether any worker polled the rollouts task queue recently. */
  public boolean workerPolling() {
    return call(null, () -> pollersCount(startPollerCheck()) > 0);
  }

  /** Asks for the task queue's pollers without waiting, so it overlaps other calls. */
  private ListenableFuture<DescribeTaskQueueResponse> startPollerCheck() {
    return connection
        .stubs()
        .futureStub()
        .withDeadlineAfter(RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .describeTaskQueue(
            DescribeTaskQueueRequest.newBuilder()
                .setNamespace(connection.namespace())
                .setTaskQueue(TaskQueue.newBuilder().setName(TaskQueues.ROLLOUTS).build())
                .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
                .build());
  }

  private static int pollersCount(ListenableFuture<DescribeTaskQueueResponse> check) {
    try {
      return check.get().getPollersCount();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException s) {
        throw s;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * The rollout's status: from the workflow's query while a worker answers, else from the memo the
   * workflow keeps current, saying why.
   */
  public StatusAnswer status(String workflowId) {
    // The two questions are independent: ask both at once (start-up time matters to people).
    ListenableFuture<DescribeTaskQueueResponse> pollers = startPollerCheck();
    WorkflowExecutionDescription d = describe(workflowId);
    boolean running = d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    if (running) {
      if (call(workflowId, () -> pollersCount(pollers)) == 0) {
        return fromMemo(
            d, true, "no worker is polling " + TaskQueues.ROLLOUTS + "; last saved status");
      }
      return query(workflowId)
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
          yield new WorkflowFailure("failed", false);
        } catch (WorkflowFailedException e) {
          Throwable cause = e.getCause();
          boolean invalidInput =
              cause instanceof ApplicationFailure a
                  && WorkflowFailures.INVALID_INPUT.equals(a.getType());
          yield new WorkflowFailure("failed: " + rootMessage(e), invalidInput);
        }
      }
      default ->
          new WorkflowFailure(
              status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT),
              false);
    };
  }

  /**
   * The workflow's status query with a hard deadline. A worker killed a moment ago still shows
   * among the task queue's pollers, and the SDK's query call would keep retrying for it; a person
   * asking for status should get the saved status in seconds instead.
   */
  private Optional<RolloutStatus> query(String workflowId) {
    return query(workflowId, null, "status", RolloutStatus.class);
  }

  /** Query {@code name} of run {@code runId} (the latest when null), with the same deadline. */
  private <T> Optional<T> query(String workflowId, String runId, String name, Class<T> type) {
    WorkflowExecution.Builder execution = WorkflowExecution.newBuilder().setWorkflowId(workflowId);
    if (runId != null) {
      execution.setRunId(runId);
    }
    try {
      QueryWorkflowResponse response =
          connection
              .stubs()
              .blockingStub()
              .withDeadlineAfter(QUERY_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
              .queryWorkflow(
                  QueryWorkflowRequest.newBuilder()
                      .setNamespace(connection.namespace())
                      .setExecution(execution)
                      .setQuery(WorkflowQuery.newBuilder().setQueryType(name))
                      .build());
      if (response.hasQueryRejected() || !response.hasQueryResult()) {
        return Optional.empty();
      }
      return Optional.of(
          TrafficDataConverter.get()
              .fromPayloads(0, Optional.of(response.getQueryResult()), type, type));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        throw unreachable(e);
      }
      return Optional.empty();
    }
  }

  private StatusAnswer fromMemo(WorkflowExecutionDescription d, boolean running, String note) {
    RolloutStatus saved = (RolloutStatus) d.getMemo(MEMO_STATUS, RolloutStatus.class);
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
    if (!workerPolling()) {
      throw new CommandFailure(
          ExitCode.UNREACHABLE,
          "no worker is polling "
              + TaskQueues.ROLLOUTS
              + "; start one (bin/trafficctl-worker) and try again");
    }
    WorkflowStub stub = connection.client().newUntypedWorkflowStub(workflowId);
    try {
      return stub.update(name, RolloutStatus.class, request);
    } catch (WorkflowUpdateException e) {
      throw new CommandFailure(ExitCode.REFUSED, workflowId + ": " + rootMessage(e));
    } catch (WorkflowNotFoundException e) {
      throw notFound(workflowId);
    } catch (WorkflowServiceException e) {
      throw translate(e, workflowId);
    }
  }

  /** Runs {@code call}, mapping Temporal's errors to one-line command failures. */
  private <T> T call(String workflowId, Supplier<T> call) {
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

  private CommandFailure notFound(String workflowId) {
    return new CommandFailure(ExitCode.REFUSED, "no rollout " + workflowId + " has run");
  }

  private CommandFailure translate(WorkflowServiceException e, String workflowId) {
    if (e.getCause() instanceof StatusRuntimeException s) {
      if (s.getStatus().getCode() == Status.Code.NOT_FOUND && workflowId != null) {
        return notFound(workflowId);
      }
      return unreachable(s);
    }
    return new CommandFailure(ExitCode.UNREACHABLE, rootMessage(e), e);
  }

  private CommandFailure unreachable(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    if (code == Status.Code.NOT_FOUND) {
      return new CommandFailure(ExitCode.REFUSED, e.getStatus().getDescription(), e);
    }
    return new CommandFailure(
        ExitCode.UNREACHABLE,
        "cannot reach Temporal at "
            + connection.address()
            + " ("
            + code
            + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription())
            + ")",
        e);
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ApplicationFailure a) {
      return a.getOriginalMessage();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public void close() {
    connection.close();
  }
}
