package dev.trafficctl.activities.router.nginx;

import static dev.trafficctl.activities.router.nginx.NginxTargets.weights;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.activities.router.Changes;
import dev.trafficctl.activities.router.TrafficRouterActivity;
import dev.trafficctl.config.catalog.NginxMode;
import dev.trafficctl.config.catalog.RouterType;
import dev.trafficctl.testing.Traffic;
import dev.trafficctl.workflows.TrafficDataConverter;
import dev.trafficctl.workflows.ports.FailureTypes;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import io.temporal.api.common.v1.Payload;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic mode's admin endpoint on a real nginx takes writes only with the include's admin secret:
 * any local process can reach the loopback port, and a weight set behind the workflows' back would
 * stay unseen by them. The router keeps its secret across restarts and never lets it out.
 */
class NginxAdminSecretTest {

  private static final String WEIGHTS = "/trafficctl/weights";

  /** Everything to v2: what an intruder posts while the router has everything on v1. */
  private static final String ALL_ON_V2 = "v1 0\nv2 100\n";

  @TempDir Path dir;

  private NginxRig rig;
  private final Traffic traffic = new Traffic();

  @BeforeEach
  void start() {
    rig = NginxRig.start(dir, true, Map.of("v1", 1, "v2", 1));
  }

  @AfterEach
  void stop() {
    if (rig != null) {
      rig.close();
    }
  }

  private NginxTargets api() {
    return rig.targets(NginxMode.DYNAMIC, "v1", "v2");
  }

  /** Through the activity, as a workflow calls it: its result is what history records. */
  private static RouteState set(NginxRouter router, RouteTarget target, Map<String, Integer> w) {
    return new TrafficRouterActivity(Map.of(RouterType.NGINX, router))
        .change(Changes.of(target, w, "test"));
  }

  private Path secretFile() {
    return rig.config.configDir().resolve("production.api.admin-secret");
  }

  private String secret() throws IOException {
    return Files.readString(secretFile(), UTF_8).strip();
  }

  private HttpResponse<String> post(NginxTargets t, String body, Map<String, String> headers) {
    return traffic.postWith(t.admin, WEIGHTS, body, headers);
  }

  private static Map<String, String> bearer(String secret) {
    return Map.of("Authorization", "Bearer " + secret);
  }

  @Test
  void aWriteWithoutTheSecretOrWithAWrongOneIsRefusedAndChangesNothing() throws IOException {
    NginxTargets t = api();
    NginxRouter router = new NginxRouter(dir);
    set(router, t.target(), weights("v1", 100, "v2", 0));
    String secret = secret();
    String include = Files.readString(rig.config.configDir().resolve("production.api.conf"));
    String verifier = new AdminSecret(secret).verifier().hex();
    assertTrue(include.contains(verifier), "the include checks against the verifier");

    String oneDigitOff = (secret.charAt(0) == '0' ? "1" : "0") + secret.substring(1);
    List<Map<String, String>> refused =
        List.of(
            Map.of(),
            bearer(oneDigitOff),
            bearer(AdminSecret.generate().hex()),
            // What the include holds does not open it either.
            bearer(verifier),
            bearer(""),
            Map.of("Authorization", secret),
            Map.of("Authorization", "Basic " + secret),
            Map.of("X-Trafficctl-Secret", secret));
    for (Map<String, String> headers : refused) {
      HttpResponse<String> response = post(t, ALL_ON_V2, headers);
      assertEquals(401, response.statusCode(), headers + " -> " + response.body());
      assertTrue(
          response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
          response.headers().toString());
      assertFalse(response.body().contains(secret), response.body());
    }
    // Not even a weight the request would otherwise be refused for reaches the parser.
    assertEquals(401, post(t, "v9 100\n", Map.of()).statusCode());

    // The weights in force are the router's: read back, and served.
    assertEquals(weights("v1", 100, "v2", 0), router.read(t.target()).weights());
    assertEquals(Map.of("v1", 200), traffic.send(t.listen, 200));
    // Reads stay open: the weights are what the traffic shows anyway.
    assertEquals(200, traffic.get(t.admin, WEIGHTS, null).statusCode());

    // Refusals are logged, without what was presented.
    String log = rig.nginx.errorLog();
    assertTrue(log.contains("trafficctl: refused POST /trafficctl/weights"), log);
    assertTrue(log.contains("a wrong admin secret"), log);
    assertFalse(log.contains(oneDigitOff), "a near miss is not logged");
    assertFalse(log.contains(secret), "the secret is not logged");
  }

  @Test
  void theRouterAndTheSecretFileStillChangeTheWeightsWithNoReload() throws IOException {
    NginxTargets t = api();
    NginxRouter router = new NginxRouter(dir);
    set(router, t.target(), weights("v1", 100, "v2", 0));
    long generation = generation(t);
    Set<Long> workers = rig.nginx.workerPids();
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile())));

    RouteState moved = set(router, t.target(), weights("v1", 0, "v2", 100));
    assertEquals(weights("v1", 0, "v2", 100), moved.weights());
    assertEquals(Map.of("v2", 200), traffic.send(t.listen, 200));
    assertEquals(generation, generation(t), "same configuration");
    assertEquals(workers, rig.nginx.workerPids(), "no reload");

    // By hand, as docs/nginx-router.md shows: the secret from its file.
    HttpResponse<String> byHand = post(t, "v1 100\nv2 0\n", bearer(secret()));
    assertEquals(200, byHand.statusCode(), byHand.body());
    assertEquals(Map.of("v1", 200), traffic.send(t.listen, 200));
    // PUT is a write too.
    assertEquals(
        401, traffic.requestWith("PUT", t.admin, WEIGHTS, ALL_ON_V2, Map.of()).statusCode());
    assertEquals(Map.of("v1", 200), traffic.send(t.listen, 200));
  }

  @Test
  void aRestartedWorkerKeepsTheSecretAndStillChangesTheWeights() throws IOException {
    NginxTargets t = api();
    set(new NginxRouter(dir), t.target(), weights("v1", 100, "v2", 0));
    String secret = secret();
    long generation = generation(t);
    Set<Long> workers = rig.nginx.workerPids();

    // A new worker process: a new router on the same state directory, nothing kept in memory.
    NginxRouter restarted = new NginxRouter(dir);
    set(restarted, t.target(), weights("v1", 0, "v2", 100));
    assertEquals(Map.of("v2", 200), traffic.send(t.listen, 200));
    assertEquals(secret, secret(), "the same secret");
    assertEquals(generation, generation(t), "the include nginx serves still fits it");
    assertEquals(workers, rig.nginx.workerPids(), "no reload");
    assertEquals(401, post(t, "v1 100\nv2 0\n", Map.of()).statusCode());
    assertEquals(weights("v1", 0, "v2", 100), restarted.read(t.target()).weights());
  }

  @Test
  void aLostSecretIsReplacedThroughAReloadAndTheOldOneStopsWorking() throws IOException {
    NginxTargets t = api();
    set(new NginxRouter(dir), t.target(), weights("v1", 100, "v2", 0));
    String lost = secret();
    long generation = generation(t);
    Files.delete(secretFile());

    // The new secret's verifier changes the include: nginx must serve it before the secret is
    // sent, so the router reloads, waits for the new generation, and only then posts.
    set(new NginxRouter(dir), t.target(), weights("v1", 0, "v2", 100));
    String replaced = secret();
    assertNotEquals(lost, replaced);
    assertEquals(generation + 1, generation(t));
    assertEquals(Map.of("v2", 200), traffic.send(t.listen, 200));
    assertEquals(401, post(t, "v1 100\nv2 0\n", bearer(lost)).statusCode());
    assertEquals(200, post(t, "v1 100\nv2 0\n", bearer(replaced)).statusCode());
  }

  @Test
  void theSecretIsInNoResultNoFailureNoFileButItsOwnAndNoLog() throws Exception {
    NginxTargets t = api();
    NginxRouter router = new NginxRouter(dir);
    RouteState first = set(router, t.target(), weights("v1", 90, "v2", 10));
    RouteState second = set(router, t.target(), weights("v1", 50, "v2", 50));
    String secret = secret();
    List<String> seen = new ArrayList<>();
    for (RouteState state : List.of(first, second, router.read(t.target()))) {
      // As workflow history records an activity's result.
      Payload payload = TrafficDataConverter.get().toPayload(state).orElseThrow();
      seen.add(payload.toString());
      seen.add(payload.getData().toStringUtf8());
      seen.add(state.toString());
    }

    // A refusal fails the activity; its failure, cause and all, goes to history too. What
    // answers here gets the header with another secret, as an include of another router would.
    OkHttpClient otherSecret =
        NginxAdminClient.DEFAULT_CLIENT
            .newBuilder()
            .addInterceptor(
                chain ->
                    chain.proceed(
                        chain
                            .request()
                            .newBuilder()
                            .header("Authorization", "Bearer " + AdminSecret.generate().hex())
                            .build()))
            .build();
    NginxRouter refused = new NginxRouter(dir, otherSecret, Duration.ofSeconds(10));
    ApplicationFailure failure =
        assertThrows(
            ApplicationFailure.class, () -> set(refused, t.target(), weights("v1", 0, "v2", 100)));
    assertEquals(FailureTypes.INVALID_CONFIGURATION, failure.getType());
    assertTrue(
        failure.getOriginalMessage().contains("refused the admin secret in"),
        failure.getOriginalMessage());
    assertEquals(weights("v1", 50, "v2", 50), router.read(t.target()).weights());
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    seen.add(trace.toString());

    try (Stream<Path> files = Files.list(rig.config.configDir())) {
      for (Path file : files.filter(f -> !f.equals(secretFile())).toList()) {
        seen.add(file + ": " + Files.readString(file, UTF_8));
      }
    }
    seen.add(rig.nginx.errorLog());
    seen.add(Files.readString(rig.config.accessLog(), UTF_8));
    for (String text : seen) {
      assertFalse(text.contains(secret), text);
    }
  }

  private long generation(NginxTargets t) {
    HttpResponse<String> response = traffic.get(t.admin, "/trafficctl/generation", null);
    assertEquals(200, response.statusCode());
    return Long.parseLong(response.body().strip());
  }
}
