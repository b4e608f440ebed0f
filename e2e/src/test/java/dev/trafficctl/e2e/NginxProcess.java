package dev.trafficctl.e2e;

import dev.trafficctl.activities.router.nginx.StandaloneNginxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx with the Lua module, in a prefix of the test's own, started before any service is
 * rendered into it: the nginx router adds the service with its first change.
 */
final class NginxProcess implements AutoCloseable {

  static final Path NGINX = Path.of("/usr/sbin/nginx");

  private final StandaloneNginxConfig config;
  private Process process;

  NginxProcess(Path prefix, Path configDir) {
    readable(prefix);
    readable(configDir);
    this.config = StandaloneNginxConfig.in(prefix, configDir, true);
  }

  /** nginx's workers run as nobody: the directories they read must be readable to them. */
  static Path readable(Path dir) {
    try {
      Files.createDirectories(dir);
      for (Path p = dir; p != null && p.startsWith(Path.of("/tmp")); p = p.getParent()) {
        if (!p.equals(Path.of("/tmp"))) {
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  StandaloneNginxConfig config() {
    return config;
  }

  NginxProcess start() {
    if (!Files.isExecutable(NGINX)) {
      throw new AssertionError(
          NGINX
              + " is missing: apt-get install --no-install-recommends nginx libnginx-mod-http-lua");
    }
    config.write();
    try {
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
    Waits.until(
        "nginx writes its pid file",
        Duration.ofSeconds(20),
        () -> Files.exists(config.pidFile()) || !process.isAlive(),
        started -> started);
    if (!process.isAlive()) {
      throw new AssertionError("nginx exited: " + process.exitValue());
    }
    return this;
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
