package dev.trafficctl.cli.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Timestamp;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A worker counts as polling only when the server saw it lately: a killed worker stays in the task
 * queue's poller list for minutes, and an update sent to it would wait silently.
 */
class WorkerQueriesTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  private static PollerInfo seen(Instant at) {
    return PollerInfo.newBuilder()
        .setIdentity("worker@host")
        .setLastAccessTime(
            Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
        .build();
  }

  @Test
  void aPollerSeenWithinTheLongPollIsLive() {
    DescribeTaskQueueResponse response =
        DescribeTaskQueueResponse.newBuilder()
            .addPollers(seen(NOW.minusSeconds(2)))
            .addPollers(seen(NOW.minusSeconds(61)))
            .build();
    assertEquals(2, WorkerQueries.livePollers(response, NOW));
  }

  @Test
  void aPollerNotSeenForLongerThanALongPollIsGone() {
    DescribeTaskQueueResponse response =
        DescribeTaskQueueResponse.newBuilder()
            .addPollers(seen(NOW.minus(WorkerQueries.POLLER_SEEN_WITHIN).minusSeconds(1)))
            .addPollers(seen(NOW.minusSeconds(600)))
            .build();
    assertEquals(0, WorkerQueries.livePollers(response, NOW));
  }

  @Test
  void noPollersNoWorker() {
    assertEquals(0, WorkerQueries.livePollers(DescribeTaskQueueResponse.getDefaultInstance(), NOW));
  }
}
