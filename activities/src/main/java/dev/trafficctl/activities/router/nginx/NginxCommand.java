package dev.trafficctl.activities.router.nginx;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.trafficctl.activities.router.RouterAttempt;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The nginx binary run against one instance: {@code nginx [-p prefix] [-c conf] -t} and {@code -s
 * reload}. Without a prefix or conf, nginx's built-in ones apply (the system instance).
 *
 * @param prefix {@code -p}, or null
 * @param conf {@code -c}, or null
 */
record NginxCommand(Path binary, Path prefix, Path conf) {

  /** Bound on one run; {@code -t} resolves upstream host names, which can take a while. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** What a run printed and how it ended. */
  record Outcome(int exitCode, String output) {

    boolean ok() {
      return exitCode == 0;
    }

    /**
     * nginx's own words for what went wrong: its {@code [emerg]}/{@code [alert]}/{@code [error]}
     * lines without the {@code nginx: } prefix, else the last line it printed.
     */
    /**
     * Whether {@code -s reload} found no master to signal: no pid file, or a pid no process has.
     * nginx is down (an outage, a restart) rather than refusing the configuration.
     */
    boolean noMaster() {
      return !ok()
          && (output.matches("(?s).*open\\(\\) \".*\\.pid\" failed.*")
              || output.matches("(?s).*kill\\(\\d+, \\d+\\) failed \\(3: No such process\\).*")
              || output.contains("invalid PID number"));
    }

    String problem() {
      List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
      String found =
          lines.stream()
              .filter(l -> l.matches(".*\\[(emerg|alert|crit|error)\\].*"))
              .map(l -> l.replaceFirst("^nginx: ", ""))
              .collect(Collectors.joining("; "));
      if (!found.isEmpty()) {
        return found;
      }
      return lines.isEmpty() ? "exit code " + exitCode : lines.get(lines.size() - 1);
    }
  }

  /** {@code nginx -t}: checks the whole configuration, the includes of every service with it. */
  Outcome test() {
    return run("-t");
  }

  /** {@code nginx -s reload}: signals the master; exit 0 says only that the signal was sent. */
  Outcome reload() {
    return run("-s", "reload");
  }

  /**
   * Waits up to {@link #TIMEOUT} for {@code process}, heartbeating every second: a run can outlast
   * the router activity's heartbeat timeout, and nginx's check or reload is finished, not cut off.
   */
  private static boolean finished(Process process, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!process.waitFor(1, TimeUnit.SECONDS)) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      RouterAttempt.alive("running nginx " + what);
    }
    return true;
  }

  List<String> arguments(String... action) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    if (prefix != null) {
      command.add("-p");
      command.add(prefix.toString());
    }
    if (conf != null) {
      command.add("-c");
      command.add(conf.toString());
    }
    command.addAll(List.of(action));
    return command;
  }

  private Outcome run(String... action) {
    List<String> command = arguments(action);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      // A missing binary is configuration: retrying cannot make it appear.
      return new Outcome(127, "cannot run " + binary + ": " + e.getMessage());
    }
    InputStream stdout = process.getInputStream();
    CompletableFuture<byte[]> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return stdout.readAllBytes();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      if (!finished(process, String.join(" ", action))) {
        process.destroyForcibly();
        throw new UncheckedIOException(
            new IOException(String.join(" ", command) + " did not finish within " + TIMEOUT));
      }
      return new Outcome(process.exitValue(), new String(output.get(5, TimeUnit.SECONDS), UTF_8));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      return new Outcome(process.exitValue(), "");
    }
  }
}
