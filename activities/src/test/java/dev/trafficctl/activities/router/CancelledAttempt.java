package dev.trafficctl.activities.router;

import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.TrafficRouter;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A router change run as Temporal runs it (an activity, heartbeating), which the test cancels while
 * it waits for another process's lock on the router's files, as a workflow cancels the attempt in
 * flight when it rolls back.
 */
public final class CancelledAttempt {

  private CancelledAttempt() {}

  /**
   * Runs {@code change} on {@code router} while {@code lock} holds its files, cancels the attempt,
   * then lets the lock go; returns what the attempt ended with (null when it applied the change).
   */
  public static Throwable run(TrafficRouter router, RouteChange change, OtherProcessLock lock)
      throws Exception {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(router);
      TrafficRouter stub =
          env.newActivityStub(
              TrafficRouter.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  // Heartbeats go out every 80% of this: the cancellation is learned within it.
                  .setHeartbeatTimeout(Duration.ofMillis(500))
                  .build());
      CompletableFuture<Throwable> ended =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  stub.change(change);
                  return null;
                } catch (RuntimeException e) {
                  return e;
                }
              });
      Thread.sleep(1000); // queued behind the other process by now
      env.requestCancelActivity();
      Thread.sleep(1000); // a heartbeat's answer carries the cancellation
      lock.close();
      return ended.get(30, TimeUnit.SECONDS);
    } finally {
      env.close();
    }
  }
}
