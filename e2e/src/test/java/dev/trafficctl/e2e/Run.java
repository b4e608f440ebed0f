package dev.trafficctl.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A finished command: exit code and output. */
record Run(List<String> command, int exitCode, String out, String err) {

  /** Runs {@code command} to completion within {@code timeout}, with {@code env} added. */
  static Run of(List<String> command, Map<String, String> env, Path dir, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    try {
      Path out = Files.createTempFile("run", ".out");
      Path err = Files.createTempFile("run", ".err");
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("timed out after " + timeout + ": " + command);
      }
      Run run =
          new Run(
              new ArrayList<>(command),
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + command, e);
    }
  }

  Run expect(int code) {
    if (exitCode != code) {
      throw new AssertionError(
          "expected exit "
              + code
              + " from "
              + command
              + " but got "
              + exitCode
              + "\nstdout:\n"
              + out
              + "\nstderr:\n"
              + err);
    }
    return this;
  }
}
