package dev.trafficctl.worker;

import dev.trafficctl.client.CommandDocs;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Build-time generator of trafficctl-worker's bash completion script and man pages, from the same
 * command tree {@link TrafficWorker#main} runs. The package phase calls it with {@code target/}: it
 * writes {@code completion/trafficctl-worker} and one AsciiDoc man page per command under {@code
 * man/}.
 *
 * <p>Not part of the worker at run time: picocli-codegen is a build-only (provided) dependency.
 */
public final class ShellDocs {

  static final String NAME = "trafficctl-worker";

  private ShellDocs() {}

  /** {@code ShellDocs TARGET_DIR [VERSION]}. */
  public static void main(String[] args) throws IOException {
    CommandDocs.main(NAME, TrafficWorker.newCommandLine(new TrafficWorker()), args);
  }

  static void write(Path targetDir, String version) throws IOException {
    CommandDocs.write(NAME, TrafficWorker.newCommandLine(new TrafficWorker()), targetDir, version);
  }
}
