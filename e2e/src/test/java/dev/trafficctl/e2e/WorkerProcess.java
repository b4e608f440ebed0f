package dev.trafficctl.e2e;

import dev.trafficctl.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code bin/trafficctl-worker} as a separate process, as an operator runs it. */
final class WorkerProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private WorkerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts a worker and waits until it polls the task queue. */
  static WorkerProcess start(String address, Path stateBase, Path log) {
    return start(address, stateBase, log, Map.of());
  }

  /** Starts a worker with {@code env} added to its environment (notification settings). */
  static WorkerProcess start(String address, Path stateBase, Path log, Map<String, String> env) {
    return start(address, stateBase, log, env, List.of());
  }

  /** Starts a worker with {@code env} added to its environment and {@code flags} to its own. */
  static WorkerProcess start(
      String address, Path stateBase, Path log, Map<String, String> env, List<String> flags) {
    List<String> command =
        new ArrayList<>(
            List.of(
                ProjectPaths.bin("trafficctl-worker").toString(),
                "--address",
                address,
                "--health-port",
                "0",
                "--state-dir",
                stateBase.toString()));
    command.addAll(flags);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(stateBase.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    try {
      WorkerProcess worker = new WorkerProcess(builder.start(), log);
      worker.awaitLog("polling", Duration.ofSeconds(60));
      return worker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitLog(String text, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (logText().contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("worker exited " + process.exitValue() + ":\n" + logText());
      }
      Waits.pause();
    }
    throw new AssertionError(
        "worker did not log '" + text + "' within " + timeout + ":\n" + logText());
  }

  /** The process id: the JVM's, as the launcher execs it. */
  long pid() {
    return process.pid();
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** kill -9: no shutdown hook, no draining; in-flight work is Temporal's to recover. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM and wait: the graceful path. Returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(40, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
