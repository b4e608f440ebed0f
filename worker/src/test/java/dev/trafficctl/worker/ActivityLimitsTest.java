package dev.trafficctl.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.config.catalog.MetricsProviderType;
import dev.trafficctl.config.catalog.MetricsSource;
import dev.trafficctl.config.catalog.NginxMode;
import dev.trafficctl.config.catalog.NginxRouterSettings;
import dev.trafficctl.config.catalog.RouterConfig;
import dev.trafficctl.config.catalog.VersionPool;
import dev.trafficctl.workflows.ports.FailureTypes;
import dev.trafficctl.workflows.ports.MetricsQuery;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteTarget;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's settings bound what a rollout's input can make its activities touch: paths inside
 * the state directory or an {@code --allow-path} directory, binaries from {@code --allow-binary}.
 * Checked through the activities exactly as the worker registers them.
 */
class ActivityLimitsTest {

  @TempDir Path dir;

  private ActivityLimits limits(Map<String, String> env, String... args) {
    TrafficWorker worker = new TrafficWorker();
    TrafficWorker.newCommandLine(worker).parseArgs(args);
    worker.environment = new HashMap<>(env);
    return worker.limits();
  }

  private static String refused(Executable call) {
    ApplicationFailure failure = assertThrows(ApplicationFailure.class, call);
    assertEquals(FailureTypes.INVALID_CONFIGURATION, failure.getType());
    assertTrue(failure.isNonRetryable());
    return failure.getOriginalMessage();
  }

  private static Map<String, VersionPool> versions() {
    Map<String, VersionPool> versions = new LinkedHashMap<>();
    versions.put("v1", new VersionPool(List.of("127.0.0.1:18081")));
    versions.put("v2", new VersionPool(List.of("127.0.0.1:18082")));
    return versions;
  }

  private static RouteChange change(RouterConfig router) {
    RouteTarget target =
        new RouteTarget(
            "api", "production", new EnvironmentEntry(router, versions(), null, null, null));
    return RouteChange.by(target, "production.api", 1, "test")
        .withWeights(Map.of("v1", 90, "v2", 10));
  }

  private static RouteChange nginx(String configDir, String binary) {
    return change(
        RouterConfig.ofNginx(
            new NginxRouterSettings(
                NginxMode.RELOAD,
                "127.0.0.1:18080",
                "127.0.0.1:18090",
                configDir,
                binary,
                null,
                null,
                "nginx/error.log",
                null)));
  }

  @Test
  void byDefaultOnlyTheStateDirAndNginxsBinary() {
    ActivityLimits limits = limits(Map.of(), "--state-dir", dir.toString());
    assertEquals(List.of(dir), limits.paths().allowed());
    assertEquals(List.of(Path.of("/usr/sbin/nginx")), limits.binaries().binaries());
  }

  @Test
  void flagsAddDirectoriesAndReplaceTheBinaries() {
    ActivityLimits limits =
        limits(
            Map.of("TRAFFICCTL_ALLOWED_PATHS", "/ignored"),
            "--state-dir",
            dir.toString(),
            "--allow-path",
            "/etc/nginx/conf.d",
            "--allow-path",
            "/var/log/nginx",
            "--allow-binary",
            "/usr/local/sbin/nginx");
    assertEquals(
        List.of(dir, Path.of("/etc/nginx/conf.d"), Path.of("/var/log/nginx")),
        limits.paths().allowed());
    assertEquals(List.of(Path.of("/usr/local/sbin/nginx")), limits.binaries().binaries());
  }

  @Test
  void theEnvironmentListsThemColonSeparated() {
    ActivityLimits limits =
        limits(
            Map.of(
                "TRAFFICCTL_STATE_BASE", dir.toString(),
                "TRAFFICCTL_ALLOWED_PATHS", "/etc/nginx/conf.d:/var/log/nginx:",
                "TRAFFICCTL_ALLOWED_BINARIES", "/usr/sbin/nginx:/opt/nginx/sbin/nginx"));
    assertEquals(
        List.of(dir, Path.of("/etc/nginx/conf.d"), Path.of("/var/log/nginx")),
        limits.paths().allowed());
    assertEquals(
        List.of(Path.of("/usr/sbin/nginx"), Path.of("/opt/nginx/sbin/nginx")),
        limits.binaries().binaries());
  }

  @Test
  void relativeSettingsAreRefusedAtStart() {
    StartupFailure flag =
        assertThrows(StartupFailure.class, () -> limits(Map.of(), "--allow-path", "logs"));
    assertEquals(StartupFailure.BAD_INPUT, flag.exitCode());
    assertEquals("--allow-path logs is not an absolute path", flag.getMessage());
    StartupFailure env =
        assertThrows(
            StartupFailure.class, () -> limits(Map.of("TRAFFICCTL_ALLOWED_BINARIES", "nginx")));
    assertEquals("TRAFFICCTL_ALLOWED_BINARIES nginx is not an absolute path", env.getMessage());
  }

  @Test
  void theFileRouterWritesOnlyWhereTheWorkerAllows() throws IOException {
    Path state = Files.createDirectories(dir.resolve("state"));
    Path outside = Files.createDirectories(dir.resolve("outside"));
    var router = Activities.router(limits(Map.of(), "--state-dir", state.toString()));
    RouteChange escape = change(RouterConfig.ofFile("../outside"));

    String message = refused(() -> router.change(escape));

    assertTrue(message.contains("router.file.state_dir \"../outside\" leads to"), message);
    assertFalse(Files.exists(outside.resolve("production")), "written outside the state dir");

    var allowing =
        Activities.router(
            limits(Map.of(), "--state-dir", state.toString(), "--allow-path", outside.toString()));
    allowing.change(escape);
    assertTrue(Files.exists(outside.resolve("production/api.json")));
  }

  @Test
  void theNginxRouterRunsOnlyAnAllowedBinary() throws IOException {
    Path state = Files.createDirectories(dir.resolve("state"));
    Path marker = dir.resolve("ran");
    Path script = state.resolve("fake-nginx");
    Files.writeString(script, "#!/bin/sh\ntouch '" + marker + "'\nexit 1\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

    var router = Activities.router(limits(Map.of(), "--state-dir", state.toString()));
    String message = refused(() -> router.change(nginx("nginx", script.toString())));
    assertTrue(message.contains("is not a binary this worker runs"), message);
    assertFalse(Files.exists(marker), "ran a binary the worker does not allow");
    assertTrue(
        refused(() -> router.change(nginx("nginx", "/bin/sh")))
            .contains("router.nginx.binary \"/bin/sh\" is not a binary this worker runs"));

    var allowing =
        Activities.router(
            limits(Map.of(), "--state-dir", state.toString(), "--allow-binary", script.toString()));
    refused(() -> allowing.change(nginx("nginx", script.toString())));
    assertTrue(Files.exists(marker), "the allowed binary did not run");
  }

  @Test
  void theNginxLogReaderReadsOnlyWhereTheWorkerAllows() {
    var metrics = Activities.metrics(limits(Map.of(), "--state-dir", dir.toString()));
    MetricsQuery shadow =
        new MetricsQuery(
            "api",
            "production",
            "v2",
            new MetricsSource(MetricsProviderType.NGINX_LOG, null, null, "/etc/shadow", null),
            Duration.ofMinutes(1),
            95);
    String message = refused(() -> metrics.sample(shadow));
    assertTrue(
        message.startsWith(
            "api (production): metrics.access_log \"/etc/shadow\" leads to /etc/shadow, outside"),
        message);
  }

  @Test
  void hostsComeFromFlagsElseTheEnvironmentAndLoopbackAlone() {
    assertEquals(List.of(), limits(Map.of()).hosts().hosts());
    assertEquals(
        "[prometheus:9090, hooks.example.com]",
        limits(Map.of("TRAFFICCTL_ALLOWED_HOSTS", "prometheus:9090, hooks.example.com"))
            .hosts()
            .hosts()
            .toString());
    assertEquals(
        "[prom:9090]",
        limits(Map.of("TRAFFICCTL_ALLOWED_HOSTS", "ignored"), "--allow-host", "prom:9090")
            .hosts()
            .hosts()
            .toString());
    StartupFailure bad =
        assertThrows(StartupFailure.class, () -> limits(Map.of(), "--allow-host", "http://x"));
    assertEquals(StartupFailure.BAD_INPUT, bad.exitCode());
    assertTrue(bad.getMessage().startsWith("--allow-host: \"http://x\" is not HOST"));
  }

  @Test
  void prometheusIsAskedOnlyOnAnAllowedHost() {
    MetricsQuery elsewhere =
        new MetricsQuery(
            "api",
            "production",
            "v2",
            new MetricsSource(
                MetricsProviderType.PROMETHEUS, "http://10.0.0.7:9090", "job=\"api\"", null, null),
            Duration.ofMinutes(1),
            95);
    var metrics = Activities.metrics(limits(Map.of(), "--state-dir", dir.toString()));
    String message = refused(() -> metrics.sample(elsewhere));
    assertTrue(
        message.startsWith(
            "api (production): metrics.address reaches 10.0.0.7:9090, not a host this worker"),
        message);
  }
}
