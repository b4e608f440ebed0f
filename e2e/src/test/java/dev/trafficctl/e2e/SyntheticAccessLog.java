package dev.trafficctl.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Healthy requests appended to nginx-format JSON access logs, {@value #LINES_PER_SECOND} a second
 * per version (v1 and v2), for the nginx-log metrics provider to read, until closed.
 */
final class SyntheticAccessLog implements AutoCloseable {

  static final int LINES_PER_SECOND = 10;

  private final AtomicBoolean writing = new AtomicBoolean(true);
  private final Thread writer;

  private SyntheticAccessLog(List<Path> logs) {
    writer = new Thread(() -> write(logs), "synthetic-access-log");
    writer.setDaemon(true);
    writer.start();
  }

  /** Starts appending to each of {@code logs} (created when missing). */
  static SyntheticAccessLog writing(List<Path> logs) {
    return new SyntheticAccessLog(logs);
  }

  private void write(List<Path> logs) {
    try {
      while (writing.get()) {
        StringBuilder lines = new StringBuilder();
        double now = System.currentTimeMillis() / 1000.0;
        for (int i = 0; i < LINES_PER_SECOND; i++) {
          for (String version : List.of("v1", "v2")) {
            lines.append(
                String.format(
                    Locale.ROOT,
                    "{\"time\":\"%.3f\",\"status\":\"200\",\"request_time\":\"0.010\","
                        + "\"pool\":\"%s\"}\n",
                    now,
                    version));
          }
        }
        for (Path log : logs) {
          Files.writeString(
              log,
              lines,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        }
        Thread.sleep(1_000);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    writing.set(false);
    writer.join(5_000);
  }
}
