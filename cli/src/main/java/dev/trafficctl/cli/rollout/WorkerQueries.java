package dev.trafficctl.cli.rollout;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.Timestamp;
import dev.trafficctl.client.TemporalConnection;
import dev.trafficctl.workflows.TaskQueues;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What only a worker can answer, asked with hard deadlines: whether one polls the rollouts task
 * queue, and a workflow's queries. A worker killed a moment ago still shows among the pollers, and
 * the SDK's query call would keep retrying for it; a person asking for status gets the saved status
 * in seconds instead.
 */
final class WorkerQueries {

  /** Status and updates should answer quickly; a person is waiting. */
  static final Duration RPC_TIMEOUT = Duration.ofSeconds(5);

  /** A worker that is up answers a query in milliseconds. */
  private static final Duration QUERY_DEADLINE = Duration.ofSeconds(3);

  private final TemporalConnection connection;
  private final TemporalErrors errors;

  WorkerQueries(TemporalConnection connection, TemporalErrors errors) {
    this.connection = connection;
    this.errors = errors;
  }

  /** Asks for the task queue's pollers without waiting, so it overlaps other calls. */
  ListenableFuture<DescribeTaskQueueResponse> askPollers() {
    return askPollers(TaskQueues.ROLLOUTS, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW);
  }

  /** Asks for the pollers of {@code queue}'s tasks of {@code type}, without waiting. */
  ListenableFuture<DescribeTaskQueueResponse> askPollers(String queue, TaskQueueType type) {
    return connection
        .stubs()
        .futureStub()
        .withDeadlineAfter(RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .describeTaskQueue(
            DescribeTaskQueueRequest.newBuilder()
                .setNamespace(connection.namespace())
                .setTaskQueue(TaskQueue.newBuilder().setName(queue).build())
                .setTaskQueueType(type)
                .build());
  }

  /**
   * A poller seen longer ago than this is taken for gone. An idle worker renews its long poll at
   * least every minute (the server's long-poll timeout), so a live one is never older than about 60
   * s; a killed worker stays in the list for minutes, and an update sent to it would wait silently
   * for a new one.
   */
  static final Duration POLLER_SEEN_WITHIN = Duration.ofSeconds(70);

  /**
   * The answer of {@link #askPollers}: how many pollers were seen within {@link
   * #POLLER_SEEN_WITHIN}.
   */
  static int pollers(ListenableFuture<DescribeTaskQueueResponse> asked) {
    try {
      return livePollers(asked.get(), Instant.now());
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

  /** The pollers in {@code response} seen within {@link #POLLER_SEEN_WITHIN} of {@code now}. */
  static int livePollers(DescribeTaskQueueResponse response, Instant now) {
    Instant since = now.minus(POLLER_SEEN_WITHIN);
    int live = 0;
    for (PollerInfo poller : response.getPollersList()) {
      Timestamp seen = poller.getLastAccessTime();
      if (!Instant.ofEpochSecond(seen.getSeconds(), seen.getNanos()).isBefore(since)) {
        live++;
      }
    }
    return live;
  }

  /**
   * Query {@code name} of run {@code runId} (the latest when null), within the query deadline;
   * empty when no worker answered in time or the query was rejected.
   */
  <T> Optional<T> query(String workflowId, String runId, String name, Class<T> type) {
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
          connection
              .dataConverter()
              .fromPayloads(0, Optional.of(response.getQueryResult()), type, type));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        throw errors.unreachable(e);
      }
      return Optional.empty();
    }
  }
}
