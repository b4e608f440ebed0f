package dev.trafficctl.activities.router;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Another process holding the POSIX lock a router takes on its files (as a second worker changing
 * the same configuration would), until closed; gives up by itself after 60 seconds.
 */
public final class OtherProcessLock implements AutoCloseable {

  private static final String HOLD =
      "import fcntl, sys, time\n"
          + "f = open(sys.argv[1], 'a')\n"
          + "fcntl.lockf(f, fcntl.LOCK_EX)\n"
          + "print('held', flush=True)\n"
          + "time.sleep(60)\n";

  private final Process process;

  private OtherProcessLock(Process process) {
    this.process = process;
  }

  /** Returns once the other process holds the lock on {@code file}. */
  public static OtherProcessLock hold(Path file) throws IOException {
    Process process = new ProcessBuilder("python3", "-c", HOLD, file.toString()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
    String line = out.readLine();
    if (!"held".equals(line)) {
      process.destroyForcibly();
      throw new IOException("could not lock " + file + " from another process: " + line);
    }
    return new OtherProcessLock(process);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
