package dev.trafficctl.workflows.canary.testing;

import dev.trafficctl.workflows.ports.FailureTypes;
import dev.trafficctl.workflows.ports.LayerStamp;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteLayer;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RouterCapability;
import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.ports.TrafficRouter;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory load balancer: remembers every change put in force, in order, and reads back the
 * current weights. Starts with the stable version serving everything. It can be told to fail its
 * next calls, with a retryable error (an unreachable load balancer) or a non-retryable one (bad
 * configuration). Activities run on worker threads, hence the locking.
 */
public final class FakeRouter implements TrafficRouter {

  private final List<RouteChange> changes = new ArrayList<>();
  private RouteState state;
  private Set<RouterCapability> capabilities = EnumSet.allOf(RouterCapability.class);
  private int failuresLeft;
  private boolean failNonRetryably;
  private int calls;
  private Hold hold;
  private int changesToRefuse;
  private boolean readsFailToo;

  /** A router where v1 serves 100%. */
  public FakeRouter() {
    this(Map.of("v1", 100));
  }

  public FakeRouter(Map<String, Integer> initial) {
    this.state = new RouteState(initial);
  }

  /** Puts {@code weights} in force as a person would by hand: no owner, no change number. */
  public synchronized void reset(Map<String, Integer> weights) {
    state = new RouteState(weights);
  }

  /**
   * Sets the weights layer by hand, as a person at the admin endpoint would: no owner, no change
   * number, and the rules and server settings stay.
   */
  public synchronized void setWeightsByHand(Map<String, Integer> weights) {
    Map<RouteLayer, LayerStamp> layers = new EnumMap<>(RouteLayer.class);
    layers.putAll(state.layers());
    layers.remove(RouteLayer.WEIGHTS);
    state = new RouteState(weights, state.rules(), state.serverWeights(), layers, Set.of());
  }

  /** Puts {@code weights} in force as {@code owner}'s change number {@code change}. */
  public synchronized void setBy(String owner, long change, Map<String, Integer> weights) {
    state = state.with(RouteChange.by(null, owner, change, "set by " + owner).withWeights(weights));
  }

  /** From now on the router can do {@code these} only. */
  public synchronized void canOnly(Set<RouterCapability> these) {
    capabilities = EnumSet.copyOf(these);
  }

  /** From now on reads fail along with changes (the scripted failures count both). */
  public synchronized void readsFailToo() {
    readsFailToo = true;
  }

  /** The next {@code n} changes (and reads, after {@link #readsFailToo}) fail, worth retrying. */
  public synchronized void failNext(int n) {
    failuresLeft = n;
    failNonRetryably = false;
  }

  /** The next {@code n} calls fail with an {@code InvalidConfiguration} error, never retried. */
  public synchronized void failNextNonRetryably(int n) {
    failuresLeft = n;
    failNonRetryably = true;
  }

  /**
   * The next {@code n} changes are refused for good, as by a load balancer that cannot apply the
   * configuration they render; reading the weights in force still works.
   */
  public synchronized void refuseNextChanges(int n) {
    changesToRefuse = n;
  }

  /**
   * The next change blocks until released, as a slow load balancer would: the test can act while a
   * change is in flight. Blocks at most 30 seconds.
   */
  public synchronized Hold holdNextChange() {
    hold = new Hold(false);
    return hold;
  }

  /**
   * The next change is applied at once, then its answer blocks until released, as a load balancer
   * whose reload went through but whose confirmation is slow: the test can act while the change is
   * in force and the workflow has not heard so. Blocks at most 30 seconds.
   */
  public synchronized Hold holdNextAnswer() {
    hold = new Hold(true);
    return hold;
  }

  @Override
  public RouteState change(RouteChange change) {
    Hold held;
    synchronized (this) {
      held = hold;
      hold = null;
    }
    if (held == null) {
      return apply(change);
    }
    if (held.afterApplying) {
      RouteState after = apply(change);
      held.ended(null);
      held.block();
      return after;
    }
    held.block();
    try {
      RouteState after = apply(change);
      held.ended(null);
      return after;
    } catch (RuntimeException e) {
      held.ended(e);
      throw e;
    }
  }

  private RouteState apply(RouteChange change) {
    synchronized (this) {
      if (changesToRefuse > 0) {
        changesToRefuse--;
        calls++;
        throw ApplicationFailure.newNonRetryableFailure(
            "cannot apply weights " + change.weights() + ": bind() failed (scripted)",
            FailureTypes.INVALID_CONFIGURATION);
      }
      failIfTold("set weights " + change.weights());
      Optional<String> stale = state.staleness(change);
      if (stale.isPresent()) {
        throw ApplicationFailure.newNonRetryableFailure(stale.get(), FailureTypes.STALE_CHANGE);
      }
      changes.add(change);
      state = state.with(change);
      return read();
    }
  }

  @Override
  public synchronized RouteState read(RouteTarget target) {
    // Reads fail with changes only once told so: a canary reads before each analysis, and tests
    // script the failures of the changes they count.
    if (readsFailToo) {
      failIfTold("read weights");
    }
    return read();
  }

  @Override
  public synchronized Set<RouterCapability> capabilities(RouteTarget target) {
    failIfTold("tell its capabilities");
    return Set.copyOf(capabilities);
  }

  private RouteState read() {
    return state.withCapabilities(capabilities);
  }

  /** Server weights as a load-balancer document would have them before any change. */
  public synchronized void serverWeights(Map<String, Integer> weights) {
    state = new RouteState(state.weights(), state.rules(), weights, state.layers(), Set.of());
  }

  /** The server weights in force ({@code host:port} to weight); empty: none set. */
  public synchronized Map<String, Integer> serverWeights() {
    return Map.copyOf(state.serverWeights());
  }

  /** The routing rules in force. */
  public synchronized RoutingRules rules() {
    return state.rules();
  }

  private void failIfTold(String what) {
    calls++;
    if (failuresLeft > 0) {
      failuresLeft--;
      if (failNonRetryably) {
        throw ApplicationFailure.newNonRetryableFailure(
            "cannot " + what + ": upstream pool missing (scripted)",
            FailureTypes.INVALID_CONFIGURATION);
      }
      throw new IllegalStateException("cannot " + what + ": load balancer unreachable (scripted)");
    }
  }

  /** Every change put in force, oldest first. */
  public synchronized List<RouteChange> changes() {
    return List.copyOf(changes);
  }

  /** The weights {@code version} was given, change by change of the weights. */
  public synchronized List<Integer> weightsOf(String version) {
    return changes.stream()
        .filter(c -> c.weights() != null)
        .map(c -> c.weights().of(version))
        .toList();
  }

  public synchronized Map<String, Integer> current() {
    return Map.copyOf(state.weights());
  }

  public synchronized RouteChange lastChange() {
    return changes.isEmpty() ? null : changes.get(changes.size() - 1);
  }

  /** Calls received, failed ones included. */
  public synchronized int calls() {
    return calls;
  }

  /**
   * A change held in flight (before it is applied, or after it is applied and before its answer):
   * {@link #awaitArrival()} until it is, {@link #release()} it.
   */
  public static final class Hold {
    private final boolean afterApplying;
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final CompletableFuture<Optional<RuntimeException>> outcome = new CompletableFuture<>();

    Hold(boolean afterApplying) {
      this.afterApplying = afterApplying;
    }

    void block() {
      arrived.countDown();
      try {
        if (!released.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("held change never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while held", e);
      }
    }

    /** Waits (real time, at most 10 seconds) until the held change has reached the router. */
    public void awaitArrival() throws InterruptedException {
      if (!arrived.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the held change never reached the router");
      }
    }

    public void release() {
      released.countDown();
    }

    void ended(RuntimeException refusal) {
      outcome.complete(Optional.ofNullable(refusal));
    }

    /**
     * Waits (real time, at most 10 seconds) until the released change has been applied (empty) or
     * refused (why).
     */
    public Optional<RuntimeException> awaitOutcome() throws Exception {
      return outcome.get(10, TimeUnit.SECONDS);
    }
  }
}
