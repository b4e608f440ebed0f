package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.client.payload.PayloadEncryption;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.canary.CanaryDocument;
import dev.trafficctl.config.canary.CanarySpec;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.workflows.canary.CanaryInput;
import dev.trafficctl.workflows.canary.CanaryResult;
import dev.trafficctl.workflows.status.Phase;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.envconfig.ClientConfigProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two worker processes share 100 canaries, each worker on the host of half the routers (file
 * routers in its own state directory, which stands for that host's disk). One is killed mid-run:
 * the workflows it ran go on on the other, its routers' canaries wait for their host (nobody else
 * holds those files) and finish once it is back. Nothing is lost; no router file is written on the
 * wrong host.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RouterHostsEndToEndTest {

  private static final int CANARIES = 100;

  private static final String CANARY =
      """
      canary:
        svc:
          steps:
            - { traffic_percent: 10, duration: 10s }
            - { traffic_percent: 50, duration: 10s }
            - traffic_percent: 100
          metrics:
            error_rate: { threshold: 1, window: 10s }
          analysis: { interval: 5s, minimum_requests: 5, inconclusive_limit: 20 }
          auto_promote: true
          auto_rollback: true
      """;

  @TempDir Path dir;

  @Test
  void aKilledWorkersRolloutsGoOnAndItsRoutersWaitForIt() throws Exception {
    Path hostA = Files.createDirectories(dir.resolve("lb-a"));
    Path hostB = Files.createDirectories(dir.resolve("lb-b"));
    try (SyntheticAccessLog logs =
            SyntheticAccessLog.writing(
                List.of(hostA.resolve("access.json"), hostB.resolve("access.json")));
        DevServer server = new DevServer(dir.resolve("temporal"))) {
      server.start();
      Path catalogFile = dir.resolve("trafficctl.yaml");
      Files.writeString(catalogFile, catalog());
      Catalog catalog = new DocumentLoader().load(catalogFile, Catalog.class);
      CanarySpec spec =
          new DocumentLoader()
              .parse("canary.yaml", CANARY, CanaryDocument.class)
              .canary()
              .get("svc");
      // The first canary through the CLI, before any worker: it says what the rollout waits for.
      Path first = dir.resolve("canary.yaml");
      Files.writeString(first, CANARY.replace("  svc:", "  " + service(0) + ":"));
      Run deployed =
          new Cli(server.address(), catalogFile).deploy(service(0), "production", "v2", first);
      assertEquals(0, deployed.exitCode(), deployed.err());
      assertTrue(
          deployed
              .err()
              .contains(
                  "no worker serves router host lb-a (trafficctl-router-lb-a); production.svc-000"
                      + " waits at its first router change until one starts there"),
          deployed.err());
      WorkerProcess a = worker(server, hostA, "lb-a");
      WorkerProcess b = worker(server, hostB, "lb-b");
      try (a;
          RolloutClient client =
              new RolloutClient(
                  ClientConfigProfile.newBuilder().setAddress(server.address()).build(),
                  PayloadEncryption.OFF)) {
        for (int i = 1; i < CANARIES; i++) {
          client.start(
              new CanaryInput(
                  service(i),
                  "production",
                  "v2",
                  spec,
                  catalog.find(service(i), "production").orElseThrow(),
                  "e2e"));
        }
        WorkflowClient temporal = client.client();
        // Every router has taken its first step: each host's worker has worked.
        awaitEach(temporal, i -> Files.exists(routeFile(i % 2 == 0 ? hostA : hostB, i)));
        b.kill();

        Instant bKilled = Instant.now();
        for (int i = 0; i < CANARIES; i += 2) {
          assertEquals(Phase.PROMOTED, result(temporal, i).status().phase(), service(i));
        }
        Duration aDone = Duration.between(bKilled, Instant.now());
        for (int i = 1; i < CANARIES; i += 2) {
          assertEquals(
              WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
              temporal.newUntypedWorkflowStub(id(i)).describe().getStatus(),
              service(i) + " went on without its router host");
        }

        try (WorkerProcess bAgain = worker(server, hostB, "lb-b")) {
          for (int i = 1; i < CANARIES; i += 2) {
            assertEquals(Phase.PROMOTED, result(temporal, i).status().phase(), service(i));
          }
        }
        System.out.printf(
            "router hosts: %d canaries; lb-a's 50 promoted %d s after lb-b's worker was killed%n",
            CANARIES, aDone.toSeconds());
      } finally {
        b.close();
      }
    }
    for (int i = 0; i < CANARIES; i++) {
      Path own = i % 2 == 0 ? hostA : hostB;
      Path other = i % 2 == 0 ? hostB : hostA;
      assertTrue(Files.exists(routeFile(own, i)), service(i) + " routed on its host");
      assertFalse(Files.exists(routeFile(other, i)), service(i) + " routed on the other host");
    }
  }

  private static WorkerProcess worker(DevServer server, Path state, String routerHost) {
    return WorkerProcess.start(
        server.address(),
        state,
        state.resolve("worker.log"),
        Map.of(),
        List.of("--router-host", routerHost));
  }

  /** Services svc-000..099; even ones routed on host lb-a, odd ones on lb-b. */
  private static String catalog() {
    StringBuilder text = new StringBuilder("services:\n");
    for (int i = 0; i < CANARIES; i++) {
      text.append(
          """
            %s:
              environments:
                production:
                  router: { type: file, host: %s, file: { state_dir: routes } }
                  versions:
                    v1: { servers: ["127.0.0.1:18081"] }
                    v2: { servers: ["127.0.0.1:18082"] }
                  metrics: { provider: nginx-log, access_log: access.json }
          """
              .formatted(service(i), i % 2 == 0 ? "lb-a" : "lb-b"));
    }
    return text.toString();
  }

  private static String service(int i) {
    return "svc-%03d".formatted(i);
  }

  private static String id(int i) {
    return "production." + service(i);
  }

  private static Path routeFile(Path host, int i) {
    return host.resolve("routes/production/" + service(i) + ".json");
  }

  private interface Check {
    boolean holds(int i) throws Exception;
  }

  /** Waits up to two minutes until {@code check} holds for every canary. */
  private static void awaitEach(WorkflowClient temporal, Check check) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    for (int i = 0; i < CANARIES; i++) {
      while (!check.holds(i)) {
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError(
              service(i) + " not there yet: " + temporal.newUntypedWorkflowStub(id(i)).describe());
        }
        Thread.sleep(200);
      }
    }
  }

  private static CanaryResult result(WorkflowClient temporal, int i) throws Exception {
    return temporal
        .newUntypedWorkflowStub(id(i))
        .getResultAsync(CanaryResult.class)
        .get(4, TimeUnit.MINUTES);
  }
}
