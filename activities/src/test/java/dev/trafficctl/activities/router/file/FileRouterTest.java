package dev.trafficctl.activities.router.file;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trafficctl.activities.Catalogs;
import dev.trafficctl.activities.ConfinedPaths;
import dev.trafficctl.activities.router.CancelledAttempt;
import dev.trafficctl.activities.router.Changes;
import dev.trafficctl.activities.router.OtherProcessLock;
import dev.trafficctl.activities.router.TrafficRouterActivity;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.catalog.RouterType;
import dev.trafficctl.workflows.ports.FailureTypes;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RoutingRules;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRouterTest {

  private static final Instant NOW = Instant.parse("2024-11-27T10:00:00Z");

  @TempDir Path base;

  private final ObjectMapper json = JsonMapping.json();

  private FileRouter fileRouter() {
    return new FileRouter(base, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** The activity as the worker registers it, with the file router behind it. */
  private TrafficRouterActivity router() {
    return new TrafficRouterActivity(Map.of(RouterType.FILE, fileRouter()));
  }

  private static RouteTarget api(String stateDir) {
    return new RouteTarget("api", "production", Catalogs.fileRouted(stateDir));
  }

  private static Map<String, Integer> weights(String v1, int w1, String v2, int w2) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    weights.put(v1, w1);
    weights.put(v2, w2);
    return weights;
  }

  private Set<String> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private List<JsonNode> auditLines(Path log) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(log, UTF_8)) {
      lines.add(json.readTree(line));
    }
    return lines;
  }

  @Test
  void writesTheDesiredStateAtomicallyUnderStateDirEnvService() throws IOException {
    RouteState state =
        router().change(Changes.of(api("gitops"), weights("v1", 90, "v2", 10), "step 1"));

    assertEquals(Map.of("v1", 90, "v2", 10), state.weights());
    Path dir = base.resolve("gitops/production");
    assertEquals(Set.of("api.json", "api.log"), filesIn(dir), "no temporary files left behind");

    JsonNode file = json.readTree(dir.resolve("api.json").toFile());
    assertEquals("api", file.path("service").asText());
    assertEquals("production", file.path("env").asText());
    assertEquals(1, file.path("generation").asLong());
    assertEquals("{\"v1\":90,\"v2\":10}", file.path("weights").toString());
    assertEquals("step 1", file.path("reason").asText());
    assertEquals("2024-11-27T10:00:00Z", file.path("updated_at").asText());
    assertEquals(
        "{\"v1\":[\"127.0.0.1:18081\",\"127.0.0.1:18082\"],\"v2\":[\"127.0.0.1:18083\"]}",
        file.path("servers").toString());
    assertTrue(Files.readString(dir.resolve("api.json")).endsWith("}\n"));
  }

  @Test
  void readsBackWhatIsInForce() {
    FileRouter router = fileRouter();
    router.change(Changes.of(api("state"), weights("v1", 75, "v2", 25), "step 2"));

    assertEquals(Map.of("v1", 75, "v2", 25), router.read(api("state")).weights());
    assertEquals(Map.of("v1", 75, "v2", 25), new FileRouter(base).read(api("state")).weights());
  }

  @Test
  void aChangeOfTheWeightsKeepsTheRulesAndServerWeightsOthersSet() throws IOException {
    FileRouter router = fileRouter();
    RoutingRules sticky = new RoutingRules(List.of(), "trafficctl_version", null);
    RouteChange split =
        Changes.by(api("state"), "split")
            .withWeights(weights("v1", 80, "v2", 20))
            .withRules(sticky);
    router.change(split);
    RouteChange capacity =
        Changes.by(api("state"), "capacity").withServerWeights(Map.of("127.0.0.1:18081", 3));
    router.change(capacity);
    RouteChange canary = Changes.weights(api("state"), weights("v1", 90, "v2", 10), "canary");
    RouteState state = router.change(canary);

    assertEquals(Map.of("v1", 90, "v2", 10), state.weights());
    assertEquals(sticky, state.rules());
    assertEquals(Map.of("127.0.0.1:18081", 3), state.serverWeights());
    JsonNode file = json.readTree(base.resolve("state/production/api.json").toFile());
    assertEquals(canary.change(), file.path("layers").path("weights").path("change").asLong());
    assertEquals(split.change(), file.path("layers").path("rules").path("change").asLong());
    assertEquals(capacity.change(), file.path("layers").path("servers").path("change").asLong());
    JsonNode last = auditLines(base.resolve("state/production/api.log")).get(2);
    assertEquals("[\"weights\"]", last.path("layers").toString());
    assertEquals(Changes.OWNER, last.path("owner").asText());
  }

  @Test
  void aLateChangeIsRefusedAndTheFileKeepsWhatIsInForce() throws IOException {
    FileRouter router = fileRouter();
    RouteChange late = Changes.weights(api("state"), weights("v1", 50, "v2", 50), "late");
    router.change(Changes.weights(api("state"), weights("v1", 100, "v2", 0), "rollback"));
    ApplicationFailure refused = assertThrows(ApplicationFailure.class, () -> router.change(late));
    assertEquals(FailureTypes.STALE_CHANGE, refused.getType());
    assertEquals(Map.of("v1", 100, "v2", 0), router.read(api("state")).weights());
    assertEquals(1, auditLines(base.resolve("state/production/api.log")).size());
  }

  /**
   * An attempt the workflow cancelled while it waited for another writer (a second worker) leaves
   * the queue and writes nothing, though its change is the newest: a workflow cancels an attempt it
   * no longer wants, as when it rolls back.
   */
  @Test
  void anAttemptCancelledWhileQueuedWritesNothing() throws Exception {
    FileRouter router = fileRouter();
    router.change(Changes.weights(api("state"), weights("v1", 100, "v2", 0), "start"));
    Path log = base.resolve("state/production/api.log");
    Throwable ended;
    try (OtherProcessLock lock = OtherProcessLock.hold(log)) {
      ended =
          CancelledAttempt.run(
              router(), Changes.weights(api("state"), weights("v1", 50, "v2", 50), "step"), lock);
    }
    assertInstanceOf(CanceledFailure.class, ended, String.valueOf(ended));
    assertEquals(Map.of("v1", 100, "v2", 0), router.read(api("state")).weights());
    assertEquals(1, auditLines(log).size());
  }

  @Test
  void aServiceNeverSetReadsAsEmpty() {
    assertTrue(fileRouter().read(api("state")).weights().isEmpty());
    assertFalse(Files.exists(base.resolve("state")), "reading creates nothing");
  }

  @Test
  void weightsAreWrittenInTheCatalogsOrderOfVersions() throws IOException {
    fileRouter().change(Changes.of(api("state"), weights("v2", 10, "v1", 90), "x"));

    JsonNode file = json.readTree(base.resolve("state/production/api.json").toFile());
    assertEquals("{\"v1\":90,\"v2\":10}", file.path("weights").toString());
    assertEquals(
        List.of("v1", "v2"), List.copyOf(fileRouter().read(api("state")).weights().keySet()));
  }

  @Test
  void theAuditLogKeepsEveryChangeInOrder() throws IOException {
    TrafficRouterActivity router = router();
    router.change(Changes.of(api("state"), weights("v1", 100, "v2", 0), "start"));
    router.change(Changes.of(api("state"), weights("v1", 90, "v2", 10), "step 1"));
    router.change(Changes.of(api("state"), weights("v1", 50, "v2", 50), "step 2"));
    router.change(Changes.of(api("state"), weights("v1", 100, "v2", 0), "rollback: p95"));

    List<JsonNode> lines = auditLines(base.resolve("state/production/api.log"));
    assertEquals(4, lines.size());
    assertEquals(
        List.of("start", "step 1", "step 2", "rollback: p95"),
        lines.stream().map(l -> l.path("reason").asText()).toList());
    assertEquals(
        List.of(1L, 2L, 3L, 4L), lines.stream().map(l -> l.path("generation").asLong()).toList());
    assertEquals("{\"v1\":50,\"v2\":50}", lines.get(2).path("weights").toString());
    assertEquals("2024-11-27T10:00:00Z", lines.get(0).path("time").asText());
    assertEquals(Map.of("v1", 100, "v2", 0), router.read(api("state")).weights());
  }

  @Test
  void writingTheSameWeightsAgainIsHarmless() throws IOException {
    FileRouter router = fileRouter();
    RouteChange change = Changes.of(api("state"), weights("v1", 90, "v2", 10), "step 1");
    RouteState first = router.change(change);
    RouteState again = router.change(change);

    assertEquals(first, again);
    JsonNode file = json.readTree(base.resolve("state/production/api.json").toFile());
    assertEquals(2, file.path("generation").asLong());
    assertEquals(2, auditLines(base.resolve("state/production/api.log")).size());
    assertEquals(Set.of("api.json", "api.log"), filesIn(base.resolve("state/production")));
  }

  @Test
  void concurrentWritersGetDistinctGenerationsAndOneLineEach() throws Exception {
    int writers = 8;
    int each = 10;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        // Separate instances, as separate activity workers in one process would be.
        FileRouter router = fileRouter();
        int share = w * 10;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    // One change number for all: they race, and none is older than another.
                    router.change(
                        RouteChange.by(api("state"), Changes.OWNER, 1, "w" + share)
                            .withWeights(weights("v1", 100 - share, "v2", share)));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    List<JsonNode> lines = auditLines(base.resolve("state/production/api.log"));
    List<Long> generations = lines.stream().map(l -> l.path("generation").asLong()).toList();
    List<Long> expected = new ArrayList<>();
    for (long g = 1; g <= writers * each; g++) {
      expected.add(g);
    }
    assertEquals(expected, generations);
    JsonNode file = json.readTree(base.resolve("state/production/api.json").toFile());
    assertEquals(writers * each, file.path("generation").asLong());
    assertEquals(Set.of("api.json", "api.log"), filesIn(base.resolve("state/production")));
  }

  @Test
  void anAbsoluteStateDirInADirectoryTheWorkerAllowsIsUsedAsIs(@TempDir Path elsewhere) {
    new FileRouter(ConfinedPaths.within(base).allowing(List.of(elsewhere)))
        .change(Changes.of(api(elsewhere.toString()), weights("v1", 100, "v2", 0), "start"));

    assertTrue(Files.exists(elsewhere.resolve("production/api.json")));
    assertFalse(Files.exists(base.resolve("production")));
  }

  @Test
  void namesThatCouldLeaveTheStateDirAreRejected() throws IOException {
    FileRouter router = fileRouter();
    for (String[] names :
        new String[][] {
          {"../../etc/passwd", "production"},
          {"api", "../outside"},
          {"api/x", "production"},
          {".hidden", "production"},
          {"Api", "production"},
          {"api", ""},
          {"api", null},
        }) {
      RouteTarget target = new RouteTarget(names[0], names[1], Catalogs.fileRouted("state"));
      assertInvalidConfiguration(
          () -> router.change(Changes.of(target, weights("v1", 100, "v2", 0), "x")));
      assertInvalidConfiguration(() -> router.read(target));
    }
    assertEquals(Set.of(), filesIn(base), "nothing written anywhere");
  }

  @Test
  void unknownVersionsAreRejectedBeforeAnythingIsWritten() throws IOException {
    String message =
        assertInvalidConfiguration(
            () -> router().change(Changes.of(api("state"), weights("v1", 90, "canary", 10), "x")));
    assertTrue(
        message.contains("weights name \"canary\", which the catalog does not have"), message);
    assertEquals(Set.of(), filesIn(base));
  }

  @Test
  void aMissingStateDirIsInvalidConfiguration() {
    String message =
        assertInvalidConfiguration(
            () -> router().change(Changes.of(api(null), weights("v1", 100, "v2", 0), "x")));
    assertEquals(
        "api (production): router.file.state_dir is required for the file router", message);
  }

  @Test
  void aStateFileEditedIntoNonsenseIsNotRetried() throws IOException {
    Path dir = Files.createDirectories(base.resolve("state/production"));
    Files.writeString(dir.resolve("api.json"), "{\"weights\": ");

    String message = assertInvalidConfiguration(() -> fileRouter().read(api("state")));
    assertTrue(message.contains("is not a trafficctl state file"), message);
  }

  @Test
  void theWorkersBaseComesFromTheEnvironmentOrTheWorkingDirectory() {
    assertEquals(
        Path.of("/srv/trafficctl"),
        FileRouter.baseFrom(Map.of(FileRouter.STATE_BASE_ENV, "/srv/trafficctl")));
    assertEquals(Path.of(System.getProperty("user.dir")), FileRouter.baseFrom(Map.of()));
  }

  @Test
  void routingRulesAreStoredLoggedAndReadBack() throws IOException {
    RoutingRules rules =
        new RoutingRules(
            List.of(new RoutingRules.MatchRule("premium-users", "X-User-Type", List.of("v2"))),
            "trafficctl_version",
            new RoutingRules.FeatureFlag("new_ui", 25, "trafficctl_client", "X-Feature-New-Ui"));
    TrafficRouterActivity router = router();
    RouteState state =
        router.change(Changes.of(api("state"), weights("v1", 90, "v2", 10), "ab", rules));
    assertEquals(rules, state.rules());
    assertEquals(rules, new FileRouter(base).read(api("state")).rules());

    JsonNode file = json.readTree(base.resolve("state/production/api.json").toFile());
    assertEquals("X-User-Type", file.at("/rules/matches/0/header").asText(), file.toString());
    assertEquals("trafficctl_version", file.at("/rules/sticky_cookie").asText());
    assertEquals(25, file.at("/rules/feature_flag/enabled_percent").asInt());
    JsonNode line = auditLines(base.resolve("state/production/api.log")).get(0);
    assertEquals("new_ui", line.at("/rules/feature_flag/name").asText(), line.toString());

    // Weights alone again: no rules in force, and the file has none.
    RouteState plain = router.change(Changes.of(api("state"), weights("v1", 100, "v2", 0), "done"));
    assertEquals(RoutingRules.NONE, plain.rules());
    assertFalse(json.readTree(base.resolve("state/production/api.json").toFile()).has("rules"));
  }

  @Test
  void rulesNamingAPoolOutsideTheCatalogAreInvalidConfiguration() {
    RoutingRules rules =
        new RoutingRules(
            List.of(new RoutingRules.MatchRule("premium-users", "X-User-Type", List.of("gold"))),
            null,
            null);
    String message =
        assertInvalidConfiguration(
            () ->
                router().change(Changes.of(api("state"), weights("v1", 90, "v2", 10), "x", rules)));
    assertTrue(message.contains("gold"), message);
  }

  @Test
  void aStateDirClimbingOutOfTheBaseIsRefusedAndNothingIsWritten() throws IOException {
    Path worker = Files.createDirectories(base.resolve("worker"));
    Path outside = Files.createDirectories(base.resolve("outside"));
    FileRouter confined = new FileRouter(worker);

    String message =
        assertInvalidConfiguration(
            () -> confined.change(Changes.of(api("../outside"), weights("v1", 90, "v2", 10), "x")));

    assertEquals(
        "api (production): router.file.state_dir \"../outside\" leads to "
            + outside.toRealPath()
            + ", outside the directories this worker may use: "
            + worker
            + " (the state directory) (the worker's --state-dir and --allow-path)",
        message);
    try (Stream<Path> written = Files.list(outside)) {
      assertEquals(List.of(), written.toList(), "written outside the base");
    }
    String cron =
        assertInvalidConfiguration(() -> confined.read(api("../../../../../../../etc/cron.d")));
    assertTrue(cron.contains("\"../../../../../../../etc/cron.d\" leads to /etc/cron.d,"), cron);
  }

  @Test
  void aStateDirReachingOutThroughASymbolicLinkIsRefused() throws IOException {
    Path worker = Files.createDirectories(base.resolve("worker"));
    Path outside = Files.createDirectories(base.resolve("outside"));
    Files.createSymbolicLink(worker.resolve("gitops"), outside);

    String message =
        assertInvalidConfiguration(
            () ->
                new FileRouter(worker)
                    .change(Changes.of(api("gitops"), weights("v1", 90, "v2", 10), "x")));

    assertTrue(message.contains("state_dir \"gitops\" leads to " + outside.toRealPath()), message);
    try (Stream<Path> written = Files.list(outside)) {
      assertEquals(List.of(), written.toList(), "written through the link");
    }
  }

  @Test
  void aStateFileThatIsNotJsonIsNotQuoted() throws IOException {
    Path dir = Files.createDirectories(base.resolve("state/production"));
    Files.writeString(dir.resolve("api.json"), "password=hunter2\n");

    String message = assertInvalidConfiguration(() -> fileRouter().read(api("state")));

    assertFalse(message.contains("password"), message);
    assertFalse(message.contains("hunter2"), message);
    assertTrue(message.startsWith(dir.resolve("api.json") + ":1:"), message);
  }
}
