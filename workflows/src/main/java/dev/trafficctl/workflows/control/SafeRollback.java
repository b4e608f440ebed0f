package dev.trafficctl.workflows.control;

import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.ports.RouteState;
import io.temporal.failure.ActivityFailure;
import java.util.function.Supplier;

/**
 * Puts a rollout's traffic back where it came from, even when the router refuses that change too.
 * The nginx router then keeps (or restores) its last known good configuration; when that one
 * already gives the version being rolled back nothing (the first change was the one that failed),
 * the rollout is safe all the same and ends saying so. Otherwise the failure stands, and the
 * workflow fails with its state readable. Workflow code.
 */
public final class SafeRollback {

  private SafeRollback() {}

  /**
   * Runs {@code change}; returns null when it went through, or the router's refusal when the
   * configuration {@code inForce} reads back gives {@code away} nothing anyway.
   *
   * @throws ActivityFailure the refusal, when traffic still reaches {@code away}
   */
  public static String apply(Runnable change, Supplier<RouteState> inForce, String away) {
    try {
      change.run();
      return null;
    } catch (ActivityFailure failure) {
      if (inForce.get().weightOf(away) != 0) {
        throw failure;
      }
      return WorkflowFailures.rootMessage(failure);
    }
  }

  /** {@code (the router kept its last known good: ...)} after a refusal; nothing without one. */
  public static String note(String refused) {
    return refused == null ? "" : " (the router kept its last known good: " + refused + ")";
  }
}
