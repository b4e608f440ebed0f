package dev.trafficctl.activities.router;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One writer at a time for a router's files, in the order they arrived: a fair lock within this
 * process (an unfair one let a later change overtake an earlier one for as long as changes kept
 * coming) and a file lock across processes. A writer waits in slices, heartbeating, so that an
 * attempt Temporal cancelled or timed out leaves the queue; once it holds both locks it checks once
 * more that it is still wanted ({@link RouterAttempt#stillWanted}) before it writes anything.
 */
public final class WriterQueue {

  /** How long a waiting writer sleeps between heartbeats and tries of the file lock. */
  private static final Duration SLICE = Duration.ofMillis(200);

  private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private WriterQueue() {}

  /** What a writer does once it holds the queue: gets the locked file's channel, open to write. */
  @FunctionalInterface
  public interface Write<T> {
    T run(FileChannel lockFile) throws IOException;
  }

  /**
   * Runs {@code write} as the only writer of {@code lockFile} (created if missing, opened to append
   * so a writer may log through it); {@code what} names the waiting in heartbeats.
   */
  public static <T> T run(Path lockFile, String what, Write<T> write) throws IOException {
    Path key = lockFile.toAbsolutePath().normalize();
    ReentrantLock inProcess = LOCKS.computeIfAbsent(key, p -> new ReentrantLock(true));
    try {
      while (!inProcess.tryLock(SLICE.toMillis(), TimeUnit.MILLISECONDS)) {
        RouterAttempt.stillWanted("queued behind another change of " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to change " + what, e);
    }
    try {
      Files.createDirectories(key.getParent());
      try (FileChannel channel =
          FileChannel.open(
              key,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        FileLock held;
        while ((held = channel.tryLock()) == null) {
          RouterAttempt.stillWanted("waiting for another process changing " + what);
          sleep(what);
        }
        try (FileLock lock = held) {
          RouterAttempt.stillWanted("changing " + what);
          return write.run(channel);
        }
      }
    } finally {
      inProcess.unlock();
    }
  }

  private static void sleep(String what) {
    try {
      Thread.sleep(SLICE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to change " + what, e);
    }
  }
}
