package dev.trafficctl.activities.router.nginx;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real nginx of the test's own: a prefix in a temporary directory, loopback ports only, run in
 * the foreground as this JVM's child so that {@link #close} always stops it.
 */
final class NginxInstance implements AutoCloseable {

  static final Path NGINX = Path.of("/usr/sbin/nginx");

  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  final StandaloneNginxConfig config;
  private Process process;

  NginxInstance(Path prefix, Path configDir, boolean lua) {
    this.config = StandaloneNginxConfig.in(prefix, configDir, lua);
  }

  /**
   * Fails (never skips) when nginx or its Lua module is missing: CI installs them, and a router
   * test that silently does not run proves nothing.
   */
  static void requireNginx() {
    assertTrue(
        Files.isExecutable(NGINX),
        NGINX
            + " is missing: the nginx router's tests run a real nginx (apt-get install nginx"
            + " libnginx-mod-http-lua)");
    for (String module : List.of("ndk_http_module.so", "ngx_http_lua_module.so")) {
      Path file = StandaloneNginxConfig.DEBIAN_MODULES.resolve(module);
      assertTrue(
          Files.exists(file),
          file
              + " is missing: dynamic mode needs nginx's Lua module (apt-get install"
              + " libnginx-mod-http-lua)");
    }
  }

  /**
   * nginx's workers run as {@code nobody} when the master runs as root, and dynamic mode's workers
   * read the state file; JUnit's temporary directories are private to their owner.
   */
  static Path readableByWorkers(Path dir) {
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  NginxInstance start() {
    requireNginx();
    config.write();
    try {
      Files.deleteIfExists(config.pidFile());
      process =
          new ProcessBuilder(
                  NGINX.toString(),
                  "-p",
                  config.prefix().toString(),
                  "-c",
                  config.conf().toString(),
                  "-g",
                  "daemon off;")
              .redirectErrorStream(true)
              .redirectOutput(config.prefix().resolve("logs/stdout.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!(pidFileNames(process.pid()) && !workerPids().isEmpty())) {
      if (!process.isAlive()) {
        fail("nginx exited with " + process.exitValue() + ":\n" + output());
      }
      if (System.nanoTime() > deadline) {
        close();
        fail("nginx did not start within " + START_TIMEOUT + ":\n" + output());
      }
      sleep(20);
    }
    return this;
  }

  long masterPid() {
    return process.pid();
  }

  Set<Long> workerPids() {
    return process
        .children()
        .filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  /** Waits until the master's only workers are new ones (after a reload the old ones drain). */
  Set<Long> awaitWorkersOtherThan(Set<Long> old) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      Set<Long> now = workerPids();
      if (!now.isEmpty() && now.stream().noneMatch(old::contains)) {
        return now;
      }
      if (System.nanoTime() > deadline) {
        fail("nginx's workers are still " + now + " (before: " + old + ")");
      }
      sleep(20);
    }
  }

  String errorLog() {
    try {
      return Files.exists(config.errorLog()) ? Files.readString(config.errorLog(), UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + config.errorLog() + ": " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy(); // SIGTERM: nginx's fast shutdown, workers included
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  private boolean pidFileNames(long pid) {
    try {
      return Files.exists(config.pidFile())
          && Files.readString(config.pidFile(), UTF_8).strip().equals(Long.toString(pid));
    } catch (IOException e) {
      return false;
    }
  }

  private String output() {
    try {
      Path stdout = config.prefix().resolve("logs/stdout.log");
      return (Files.exists(stdout) ? Files.readString(stdout, UTF_8) : "") + errorLog();
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
