package dev.trafficctl.activities.router.nginx;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static dev.trafficctl.activities.router.nginx.NginxTargets.weights;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.activities.AllowedBinaries;
import dev.trafficctl.activities.ConfinedPaths;
import dev.trafficctl.activities.router.Changes;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.catalog.NginxMode;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.testing.Shares;
import dev.trafficctl.testing.Traffic;
import dev.trafficctl.workflows.ports.RouteState;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload mode on a real nginx (without the Lua module): weights rendered into split_clients, {@code
 * nginx -t}, a graceful reload, and the generation marker that proves the new configuration is
 * live; a configuration nginx accepts but cannot apply is caught and undone.
 */
class NginxRouterReloadTest {

  private static final int REQUESTS = 2000;

  /**
   * Near 50% twice the requests keep the tolerance at 3.8 standard errors (see the dynamic test).
   */
  private static final int REQUESTS_NEAR_HALF = 4000;

  @TempDir Path dir;

  private NginxRig rig;
  private NginxRouter router;
  private final Traffic traffic = new Traffic();

  @BeforeEach
  void start() {
    rig = NginxRig.start(dir, false, Map.of("v1", 2, "v2", 1));
    router = new NginxRouter(dir, NginxAdminClient.DEFAULT_CLIENT, Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    if (rig != null) {
      rig.close();
    }
  }

  private NginxTargets api() {
    return rig.targets(NginxMode.RELOAD, "v1", "v2");
  }

  private RouteState set(NginxTargets t, Map<String, Integer> weights) {
    return router.change(Changes.of(t.target(), weights, "test"));
  }

  @Test
  void weightsChangeThroughAVerifiedReload() {
    NginxTargets t = api();
    assertEquals(weights("v1", 90, "v2", 10), set(t, weights("v1", 90, "v2", 10)).weights());
    assertEquals(1, generation(t));
    Map<String, Integer> canary = traffic.send(t.listen, REQUESTS);
    Shares.assertShare(canary, "v2", 10, "reload");

    long master = rig.nginx.masterPid();
    Set<Long> workers = rig.nginx.workerPids();
    assertEquals(weights("v1", 50, "v2", 50), set(t, weights("v1", 50, "v2", 50)).weights());
    assertEquals(2, generation(t), "a new generation is live when the change returns");
    assertEquals(master, rig.nginx.masterPid(), "a graceful reload keeps the master");
    rig.nginx.awaitWorkersOtherThan(workers);
    Map<String, Integer> split = traffic.send(t.listen, REQUESTS_NEAR_HALF);
    Shares.assertShare(split, "v2", 50, "reload");
    assertEquals(weights("v1", 50, "v2", 50), router.read(t.target()).weights());

    // The same weights again: nothing to render, no reload.
    set(t, weights("v1", 50, "v2", 50));
    assertEquals(2, generation(t));

    System.out.printf(
        "nginx reload: set v2=10 -> %.2f%%, v2=50 -> %.2f%%%n",
        Shares.share(canary, "v2"), Shares.share(split, "v2"));
  }

  /**
   * nginx is down (an outage, a restart): the change fails as one worth trying again, not as a
   * configuration nginx refused, so the workflow's retries, and its rollback, carry on until nginx
   * is back; then the same change goes through.
   */
  /**
   * Services routed at once share reloads ({@link ReloadBatch}): each change is live when it
   * returns, and nginx is reloaded fewer times than there were changes.
   */
  @Test
  void servicesRoutedAtOnceShareReloadsAndEachIsLiveWhenItReturns() throws Exception {
    List<NginxTargets> services = services(12);
    ReloadBatch batches = ReloadBatch.of(site(services.get(0)));
    int reloadsBefore = batches.reloads();

    List<Future<RouteState>> changes = setAtOnce(services, t -> weights("v1", 70, "v2", 30));
    for (Future<RouteState> change : changes) {
      assertEquals(weights("v1", 70, "v2", 30), change.get().weights());
    }

    int reloads = batches.reloads() - reloadsBefore;
    assertTrue(reloads < services.size(), reloads + " reloads for " + services.size());
    for (NginxTargets t : services) {
      assertEquals(1, generation(t), t.service);
      assertEquals(weights("v1", 70, "v2", 30), router.read(t.target()).weights());
    }
    Shares.assertShare(traffic.send(services.get(0).listen, REQUESTS), "v2", 30, "batched");
    Shares.assertShare(traffic.send(services.get(11).listen, REQUESTS), "v2", 30, "batched");
    System.out.printf("nginx reload: 12 services routed at once in %d reloads%n", reloads);
  }

  /** One change nginx refuses among others routed at once fails alone, with nginx's message. */
  @Test
  void aRefusedChangeAmongOthersRoutedAtOnceFailsAloneWithNginxsMessage() throws Exception {
    List<NginxTargets> services = services(6);
    NginxTargets broken = services.get(3);
    broken.versions.put("v2", List.of("trafficctl-test-host.invalid:8080"));

    List<Future<RouteState>> changes = setAtOnce(services, t -> weights("v1", 50, "v2", 50));
    for (int i = 0; i < services.size(); i++) {
      if (services.get(i) == broken) {
        ExecutionException failed = assertThrows(ExecutionException.class, changes.get(i)::get);
        String message = failed.getCause().getMessage();
        assertTrue(message.contains("nginx -t rejected generation 1"), message);
        assertTrue(message.contains("trafficctl-test-host.invalid:8080"), message);
      } else {
        assertEquals(weights("v1", 50, "v2", 50), changes.get(i).get().weights());
        assertEquals(1, generation(services.get(i)));
      }
    }
    assertFalse(Files.exists(dir.resolve("conf.d/production.svc-3.conf")));
    Shares.assertShare(traffic.send(services.get(0).listen, REQUESTS_NEAR_HALF), "v2", 50, "batch");
  }

  /** {@code n} services svc-0..n-1 of this nginx in reload mode, v1 and v2 each. */
  private List<NginxTargets> services(int n) {
    List<NginxTargets> services = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      NginxTargets t = api();
      t.service = "svc-" + i;
      services.add(t);
    }
    return services;
  }

  /** Starts a change of every service at the same moment, one thread each. */
  private List<Future<RouteState>> setAtOnce(
      List<NginxTargets> services, Function<NginxTargets, Map<String, Integer>> weights)
      throws InterruptedException {
    ExecutorService threads = Executors.newFixedThreadPool(services.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<RouteState>> changes = new ArrayList<>();
    for (NginxTargets t : services) {
      changes.add(
          threads.submit(
              () -> {
                go.await();
                return set(t, weights.apply(t));
              }));
    }
    go.countDown();
    threads.shutdown();
    assertTrue(threads.awaitTermination(2, TimeUnit.MINUTES));
    return changes;
  }

  private NginxSite site(NginxTargets t) {
    return NginxSite.resolve(
        t.target(), ConfinedPaths.within(dir), AllowedBinaries.DEFAULT, new DocumentLoader());
  }

  @Test
  void aChangeWhileNginxIsDownFailsAsRetryableAndGoesThroughOnceItIsBack() {
    NginxTargets t = api();
    set(t, weights("v1", 90, "v2", 10));
    rig.nginx.close();

    RuntimeException down =
        assertThrows(RuntimeException.class, () -> set(t, weights("v1", 100, "v2", 0)));
    assertFalse(
        down instanceof ApplicationFailure refusal && refusal.isNonRetryable(),
        "retryable: " + down);
    assertTrue(down.getMessage().contains("nginx is not running"), down.getMessage());

    rig.nginx.start();
    assertEquals(weights("v1", 100, "v2", 0), set(t, weights("v1", 100, "v2", 0)).weights());
    assertEquals(Map.of("v1", 200), traffic.send(t.listen, 200));
  }

  @Test
  void aListenPortHeldByAnotherProcessIsDetectedAndTheLastGoodConfigurationRestored()
      throws IOException {
    NginxTargets t = api();
    set(t, weights("v1", 50, "v2", 50));
    String lastGood = Files.readString(dir.resolve("conf.d/production.api.conf"), UTF_8);
    String oldListen = t.listen;

    try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      t.listen = "127.0.0.1:" + holder.getLocalPort();
      // nginx -t does not bind, and nginx -s reload only sends a signal: both exit 0 here.
      long started = System.nanoTime();
      String message = assertInvalidConfiguration(() -> set(t, weights("v1", 90, "v2", 10)));
      long millis = (System.nanoTime() - started) / 1_000_000;

      assertTrue(message.contains("nginx did not apply generation 2"), message);
      assertTrue(message.contains("bind() to " + t.listen + " failed"), message);
      assertTrue(message.contains("Address already in use"), message);
      // nginx retries a port in use for a few seconds; the router waits until it gives up.
      assertTrue(message.contains("still could not bind()"), message);
      assertTrue(
          message.contains("restored the last known good configuration (generation 1)"), message);
      assertTrue(message.contains("which nginx serves again"), message);
      System.out.println("nginx reload: bind() failure reported in " + millis + " ms: " + message);
    }
    assertEquals(lastGood, Files.readString(dir.resolve("conf.d/production.api.conf"), UTF_8));
    String rejected = Files.readString(dir.resolve("conf.d/production.api.conf.rejected"), UTF_8);
    assertTrue(rejected.contains("# generation 2;"), rejected);
    assertTrue(rejected.contains("listen " + t.listen + ";"), rejected);
    t.listen = oldListen;
    assertEquals(1, generation(t));
    Shares.assertShare(traffic.send(oldListen, 800), "v2", 50, "reload");
    assertEquals(weights("v1", 50, "v2", 50), router.read(t.target()).weights());

    // Once the port is free again, the same change goes through.
    NginxTargets moved = api();
    moved.listen = "127.0.0.1:" + Ports.free();
    moved.admin = t.admin;
    set(moved, weights("v1", 90, "v2", 10));
    assertEquals(3, generation(moved), "a rejected generation's number is not used again");
    Shares.assertShare(traffic.send(moved.listen, 400), "v2", 10, "reload");
  }

  @Test
  void aConfigurationNginxRejectsIsUndoneWithNginxsMessage() throws IOException {
    NginxTargets t = api();
    set(t, weights("v1", 50, "v2", 50));
    String lastGood = Files.readString(dir.resolve("conf.d/production.api.conf"), UTF_8);

    t.versions.put("v2", List.of("trafficctl-test-host.invalid:8080"));
    String message = assertInvalidConfiguration(() -> set(t, weights("v1", 90, "v2", 10)));
    assertTrue(message.contains("nginx -t rejected generation 2"), message);
    assertTrue(message.contains("host not found in upstream"), message);
    assertTrue(message.contains("trafficctl-test-host.invalid:8080"), message);
    assertEquals(lastGood, Files.readString(dir.resolve("conf.d/production.api.conf"), UTF_8));
    assertEquals(1, generation(t));
  }

  @Test
  void anIncludeWrittenButNeverReloadedIsAppliedByTheRetry() throws IOException {
    NginxTargets t = api();
    set(t, weights("v1", 90, "v2", 10));
    // A router that crashed between writing the include and reloading: the file holds the next
    // change, nginx still serves generation 1.
    NginxSite site =
        NginxSite.resolve(
            t.target(), ConfinedPaths.within(dir), AllowedBinaries.DEFAULT, new DocumentLoader());
    Map<String, Integer> even = weights("v1", 50, "v2", 50);
    AtomicFile.replace(
        site.include(), NginxInclude.render(site, NginxRoutes.weighted(even), null, 2, "crashed"));

    set(t, even);
    assertEquals(3, generation(t), "the retry reloads, under a number not used before");
    Shares.assertShare(traffic.send(t.listen, REQUESTS_NEAR_HALF), "v2", 50, "reload");
  }

  @Test
  void theFirstRenderingFailingLeavesNoIncludeBehind() {
    NginxTargets t = api();
    t.versions.put("v2", List.of("trafficctl-test-host.invalid:8080"));
    assertInvalidConfiguration(() -> set(t, weights("v1", 90, "v2", 10)));
    assertFalse(Files.exists(dir.resolve("conf.d/production.api.conf")));
    assertEquals(Map.of(), router.read(t.target()).weights());
  }

  @Test
  void aStickyClientStaysOnItsVersionWhileItHasWeight() throws IOException {
    Files.writeString(dir.resolve("lb.yaml"), stickyLoadBalancer("session_id"), UTF_8);
    NginxTargets t = api();
    t.loadBalancer = "lb.yaml";
    set(t, weights("v1", 90, "v2", 10));
    HttpResponse<String> fresh = traffic.get(t.listen, "/", null);
    assertTrue(
        fresh
            .headers()
            .firstValue("Set-Cookie")
            .orElseThrow()
            .startsWith("session_id=" + fresh.body() + "; Path=/; Max-Age=600"));
    assertEquals(Map.of("v2", 200), traffic.send(t.listen, 200, "a=1; session_id=v2; b=2"));
    set(t, weights("v1", 100, "v2", 0));
    assertEquals(Map.of("v1", 50), traffic.send(t.listen, 50, "session_id=v2"));
  }

  /**
   * The load-balancer document is read when the service is first routed; an edit of it later (here
   * its cookie's name) does not apply in the middle of a rollout: the router keeps its copy.
   */
  @Test
  void anEditedLoadBalancerDocumentDoesNotApplyMidRollout() throws IOException {
    Path lb = dir.resolve("lb.yaml");
    Files.writeString(lb, stickyLoadBalancer("session_id"), UTF_8);
    NginxTargets t = api();
    t.loadBalancer = "lb.yaml";
    set(t, weights("v1", 90, "v2", 10));
    assertTrue(
        Files.exists(dir.resolve("conf.d/production.api.load-balancer.json")), "the copy is kept");

    Files.writeString(lb, stickyLoadBalancer("edited_id"), UTF_8);
    set(t, weights("v1", 50, "v2", 50));

    String cookie =
        traffic.get(t.listen, "/", null).headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.startsWith("session_id="), cookie);
    assertFalse(
        Files.readString(dir.resolve("conf.d/production.api.conf"), UTF_8).contains("edited_id"));
  }

  /** A load-balancer document: v2's server passively checked, clients kept by {@code cookie}. */
  private String stickyLoadBalancer(String cookie) {
    return "load_balancer:\n"
        + "  name: nginx-api\n"
        + "  type: nginx\n"
        + "  upstream:\n"
        + "    servers:\n"
        + "      - { server: \""
        + rig.backends.addresses().get("v2").get(0)
        + "\", max_fails: 2, fail_timeout: 30s }\n"
        + "  session: { persistence: true, cookie_name: "
        + cookie
        + ", timeout: 10m }\n";
  }

  private long generation(NginxTargets t) {
    HttpResponse<String> response = traffic.get(t.admin, "/trafficctl/generation", null);
    assertEquals(200, response.statusCode());
    return Long.parseLong(response.body().strip());
  }
}
