package dev.trafficctl.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real nginx of the test's own: Debian's, with its Lua module where the test needs it, in a
 * prefix in a temporary directory, listening on loopback ports only. It runs in the foreground as
 * this JVM's child, so {@link #close} always stops it, workers included. The test writes the
 * configuration ({@link Layout} says where it and what nginx writes are); this starts, reloads and
 * stops nginx, and reads its logs.
 */
public final class NginxProcess implements AutoCloseable {

  /** Debian's nginx. */
  public static final Path NGINX = Path.of("/usr/sbin/nginx");

  /** Where Debian's dynamic modules are, the Lua module and the NDK it needs among them. */
  public static final Path DEBIAN_MODULES = Path.of("/usr/lib/nginx/modules");

  private static final List<String> LUA_MODULES =
      List.of("ndk_http_module.so", "ngx_http_lua_module.so");

  /** How long a start, or a reload's new workers, may take unless the test says otherwise. */
  public static final Duration DEFAULT_START_BOUND = Duration.ofSeconds(10);

  private static final Duration POLL = Duration.ofMillis(20);
  private static final Path TMP = Path.of("/tmp");

  /**
   * Where an instance's files are.
   *
   * @param prefix nginx's {@code -p}: relative paths in the configuration resolve here
   * @param conf the configuration, {@code -c}; the test writes it before {@link #start}
   * @param pidFile where the configuration's {@code pid} directive writes the master's pid
   * @param errorLog the error log, {@code -e} (so that even errors before the configuration is read
   *     land there) and the configuration's {@code error_log}
   */
  public record Layout(Path prefix, Path conf, Path pidFile, Path errorLog) {

    /** {@code nginx.conf}, {@code logs/nginx.pid} and {@code logs/error.log} in {@code prefix}. */
    public static Layout in(Path prefix) {
      return new Layout(
          prefix,
          prefix.resolve("nginx.conf"),
          prefix.resolve("logs/nginx.pid"),
          prefix.resolve("logs/error.log"));
    }

    Path stdout() {
      return prefix.resolve("logs/stdout.log");
    }
  }

  private final Layout layout;
  private final Duration startBound;
  private Process process;

  /**
   * An nginx on {@code layout}, not started yet; starting may take {@link #DEFAULT_START_BOUND}.
   */
  public NginxProcess(Layout layout) {
    this(layout, DEFAULT_START_BOUND);
  }

  /** An nginx on {@code layout}, not started yet, whose start may take {@code startBound}. */
  public NginxProcess(Layout layout, Duration startBound) {
    this.layout = layout;
    this.startBound = startBound;
  }

  /**
   * Fails (never skips) when nginx, or with {@code lua} its Lua module, is missing: CI installs
   * them, and a router test that silently does not run proves nothing.
   */
  public static void requireNginx(boolean lua) {
    if (!Files.isExecutable(NGINX)) {
      throw new AssertionError(
          NGINX
              + " is missing: the nginx tests run a real nginx (apt-get install"
              + " --no-install-recommends nginx libnginx-mod-http-lua)");
    }
    if (lua) {
      for (String module : LUA_MODULES) {
        Path file = DEBIAN_MODULES.resolve(module);
        if (!Files.exists(file)) {
          throw new AssertionError(
              file
                  + " is missing: dynamic mode needs nginx's Lua module (apt-get install"
                  + " libnginx-mod-http-lua)");
        }
      }
    }
  }

  /**
   * Creates {@code dir} and opens it, and its parents inside {@code /tmp}, to nginx's workers: they
   * run as {@code nobody} when the master runs as root, and read what the test writes there (the
   * configuration, dynamic mode's state file); JUnit's temporary directories are private to their
   * owner.
   */
  public static Path readableByWorkers(Path dir) {
    try {
      Files.createDirectories(dir);
      Path absolute = dir.toAbsolutePath().normalize();
      for (Path p = absolute; p != null && !p.equals(TMP); p = p.getParent()) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (!p.startsWith(TMP)) {
          break;
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Layout layout() {
    return layout;
  }

  /**
   * Starts nginx in the foreground on the configuration the test wrote, and returns once the pid
   * file names the master and its workers run (so its ports are bound). Fails with nginx's output
   * if it exits or does not get there within the start bound.
   */
  public NginxProcess start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("nginx in " + layout.prefix() + " is running already");
    }
    requireNginx(false);
    try {
      Files.createDirectories(layout.stdout().getParent());
      Files.deleteIfExists(layout.pidFile());
      process =
          new ProcessBuilder(command("-g", "daemon off;"))
              .redirectErrorStream(true)
              .redirectOutput(layout.stdout().toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + startBound.toNanos();
    while (!(pidFileNames(process.pid()) && !workerPids().isEmpty())) {
      if (!process.isAlive()) {
        throw new AssertionError("nginx exited with " + process.exitValue() + ":\n" + output());
      }
      if (System.nanoTime() > deadline) {
        close();
        throw new AssertionError("nginx did not start within " + startBound + ":\n" + output());
      }
      sleep();
    }
    return this;
  }

  /**
   * {@code nginx -s reload}: nginx re-reads its configuration; returns once the master's only
   * workers are new ones. A configuration nginx refuses leaves the old workers serving, and this
   * fails saying why.
   */
  public NginxProcess reload() {
    Set<Long> old = workerPids();
    try {
      Process signal =
          new ProcessBuilder(command("-s", "reload")).redirectErrorStream(true).start();
      String said = new String(signal.getInputStream().readAllBytes(), UTF_8);
      if (!signal.waitFor(startBound.toMillis(), TimeUnit.MILLISECONDS)) {
        signal.destroyForcibly();
        throw new AssertionError("nginx -s reload did not finish within " + startBound);
      }
      if (signal.exitValue() != 0) {
        throw new AssertionError("nginx -s reload exited " + signal.exitValue() + ": " + said);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    awaitWorkersOtherThan(old);
    return this;
  }

  public long masterPid() {
    return process.pid();
  }

  /** The master's live children: its worker processes. */
  public Set<Long> workerPids() {
    return process
        .children()
        .filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  /** Waits until the master's only workers are new ones (after a reload the old ones drain). */
  public Set<Long> awaitWorkersOtherThan(Set<Long> old) {
    long deadline = System.nanoTime() + startBound.toNanos();
    while (true) {
      Set<Long> now = workerPids();
      if (!now.isEmpty() && now.stream().noneMatch(old::contains)) {
        return now;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "nginx's workers are still " + now + " (before: " + old + "):\n" + errorLog());
      }
      sleep();
    }
  }

  /** The error log's text so far; empty before nginx wrote one. */
  public String errorLog() {
    return read(layout.errorLog());
  }

  /** What nginx printed (its stdout and stderr) and its error log: what a failure shows. */
  public String output() {
    return read(layout.stdout()) + errorLog();
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops nginx (SIGTERM: the fast shutdown), workers included; kills what outlives 10 s. */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    process = null;
  }

  private List<String> command(String... more) {
    List<String> command = new ArrayList<>();
    command.add(NGINX.toString());
    command.add("-p");
    command.add(layout.prefix().toString());
    command.add("-e");
    command.add(layout.errorLog().toString());
    command.add("-c");
    command.add(layout.conf().toString());
    command.addAll(List.of(more));
    return command;
  }

  private boolean pidFileNames(long pid) {
    return read(layout.pidFile()).strip().equals(Long.toString(pid));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
