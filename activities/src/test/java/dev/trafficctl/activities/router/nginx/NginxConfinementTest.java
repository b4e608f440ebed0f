package dev.trafficctl.activities.router.nginx;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.activities.AllowedBinaries;
import dev.trafficctl.activities.ConfinedPaths;
import dev.trafficctl.activities.router.Changes;
import dev.trafficctl.config.catalog.NginxMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a catalog entry in a rollout's input can make the nginx router touch: only paths inside the
 * worker's state directory (or a directory its settings allow) and only a binary its settings list,
 * whatever the entry says; and a document it cannot parse is not quoted back.
 */
class NginxConfinementTest {

  @TempDir Path dir;

  /** The worker's state directory; {@code outside} is its sibling, which no entry may reach. */
  private Path state;

  private Path outside;

  @BeforeEach
  void layout() throws IOException {
    state = Files.createDirectories(dir.resolve("state"));
    outside = Files.createDirectories(dir.resolve("outside"));
  }

  /** A reload-mode entry whose files all live in the state dir; no nginx runs (none is needed). */
  private static NginxTargets api() {
    NginxTargets t = new NginxTargets();
    t.mode = NginxMode.RELOAD;
    t.listen = "127.0.0.1:18080";
    t.admin = "127.0.0.1:18090";
    t.configDir = "nginx/conf.d";
    t.nginxPrefix = "nginx";
    t.versions.put("v1", List.of("127.0.0.1:18081"));
    t.versions.put("v2", List.of("127.0.0.1:18082"));
    return t;
  }

  private String change(NginxRouter router, NginxTargets t) {
    return assertInvalidConfiguration(
        () -> router.change(Changes.of(t.target(), Map.of("v1", 90, "v2", 10), "test")));
  }

  /** A stand-in for nginx that leaves a mark when it runs and then refuses the configuration. */
  private Path markingBinary(Path marker) throws IOException {
    Path script = state.resolve("fake-nginx");
    Files.writeString(script, "#!/bin/sh\ntouch '" + marker + "'\nexit 1\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private static boolean isEmpty(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.findAny().isEmpty();
    }
  }

  @Test
  void aBinaryNotOnTheAllowListIsRefusedAndNeverRun() throws IOException {
    Path marker = dir.resolve("ran");
    NginxTargets t = api();
    t.binary = markingBinary(marker).toString();

    String message = change(new NginxRouter(state), t);

    assertFalse(Files.exists(marker), "the binary named by the input ran");
    assertTrue(
        message.startsWith(
            "api (production): router.nginx.binary \""
                + t.binary
                + "\" is not a binary this worker runs (allowed: /usr/sbin/nginx;"),
        message);
    assertFalse(Files.exists(state.resolve("nginx/conf.d/production.api.conf")), "nothing written");
  }

  @Test
  void binShIsRefused() {
    NginxTargets t = api();
    t.binary = "/bin/sh";
    String message = change(new NginxRouter(state), t);
    assertTrue(message.contains("router.nginx.binary \"/bin/sh\" is not a binary"), message);
  }

  @Test
  void aBinaryOnTheAllowListRuns() throws IOException {
    // The other side of the refusal above: the same binary, allowed by the worker, does run.
    Path marker = dir.resolve("ran");
    NginxTargets t = api();
    t.binary = markingBinary(marker).toString();
    NginxRouter router =
        new NginxRouter(
            ConfinedPaths.within(state), AllowedBinaries.of(List.of(Path.of(t.binary))));

    String message = change(router, t);

    assertTrue(Files.exists(marker), "the allowed binary did not run");
    assertTrue(message.contains("nginx -t rejected"), message);
  }

  @Test
  void aConfigDirClimbingOutOfTheStateDirIsRefusedAndNothingIsWritten() throws IOException {
    NginxTargets t = api();
    t.configDir = "../outside/conf.d";

    String message = change(new NginxRouter(state), t);

    assertTrue(
        message.startsWith(
            "api (production): router.nginx.config_dir \"../outside/conf.d\" leads to "
                + outside.toRealPath().resolve("conf.d")
                + ", outside the directories this worker may use: "
                + state
                + " (the state directory)"),
        message);
    assertTrue(isEmpty(outside), "written outside the state dir");
  }

  @Test
  void aSymbolicLinkInsideTheStateDirPointingOutsideIsRefused() throws IOException {
    Files.createSymbolicLink(state.resolve("nginx"), outside);
    NginxTargets t = api();

    String message = change(new NginxRouter(state), t);

    assertTrue(message.contains("router.nginx.config_dir \"nginx/conf.d\" leads to"), message);
    assertTrue(message.contains(outside.toRealPath().toString()), message);
    assertTrue(isEmpty(outside), "written through the link");
  }

  @Test
  void everyNginxPathOfTheEntryIsConfined() {
    for (String field : List.of("prefix", "conf", "error_log")) {
      NginxTargets t = api();
      String escape = outside.resolve("x").toString();
      switch (field) {
        case "prefix" -> t.nginxPrefix = escape;
        case "conf" -> t.nginxConf = escape;
        default -> t.errorLog = escape;
      }
      String message = change(new NginxRouter(state), t);
      assertTrue(
          message.contains("router.nginx." + field + " \"" + escape + "\" leads to"), message);
    }
  }

  @Test
  void anAbsolutePathIsAllowedInsideTheStateDirOrAnAllowedDirectory() throws IOException {
    Path marker = dir.resolve("ran");
    NginxTargets t = api();
    t.binary = markingBinary(marker).toString();
    t.configDir = outside.resolve("conf.d").toString();
    t.nginxPrefix = state.resolve("nginx").toString();
    NginxRouter router =
        new NginxRouter(
            ConfinedPaths.within(state).allowing(List.of(outside)),
            AllowedBinaries.of(List.of(Path.of(t.binary))));

    change(router, t);

    assertTrue(Files.exists(marker), "refused before nginx -t");
    assertTrue(Files.exists(outside.resolve("conf.d/production.api.conf.rejected")));
  }

  @Test
  void aLoadBalancerOutsideTheStateDirIsRefusedUnread() throws IOException {
    Path secret = Files.writeString(outside.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
    NginxTargets t = api();
    t.loadBalancer = "../outside/passwd";

    String message = change(new NginxRouter(state), t);

    assertTrue(
        message.startsWith(
            "api (production): router.nginx.load_balancer \"../outside/passwd\" leads to "
                + secret.toRealPath()),
        message);
    assertFalse(message.contains("root"), message);
  }

  @Test
  void aLoadBalancerThatIsNotADocumentIsNotQuoted() throws IOException {
    Files.writeString(state.resolve("secrets.yaml"), "db_password: hunter2\n");
    NginxTargets t = api();
    t.loadBalancer = "secrets.yaml";

    String message = change(new NginxRouter(state), t);

    assertFalse(message.contains("db_password"), message);
    assertFalse(message.contains("hunter2"), message);
    assertTrue(
        message.startsWith(
            "api (production): router.nginx.load_balancer: "
                + state.resolve("secrets.yaml")
                + ":1:"),
        message);
    assertTrue(message.contains(": not a valid load-balancer document;"), message);
  }

  @Test
  void aLoadBalancerWithAWrongValueSaysWhereNotWhat() throws IOException {
    Files.writeString(
        state.resolve("lb.yaml"),
        "load_balancer:\n  name: lb\n  type: nginx\n  algorithms:\n    method: s3cr3t-value\n");
    NginxTargets t = api();
    t.loadBalancer = "lb.yaml";

    String message = change(new NginxRouter(state), t);

    assertFalse(message.contains("s3cr3t"), message);
    assertTrue(message.contains(state.resolve("lb.yaml") + ":5:"), message);
  }

  @Test
  void aMissingLoadBalancerSaysSo() {
    NginxTargets t = api();
    t.loadBalancer = "lb/missing.yaml";
    String message = change(new NginxRouter(state), t);
    assertTrue(message.contains(state.resolve("lb/missing.yaml") + ": no such file"), message);
  }
}
