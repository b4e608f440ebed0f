package dev.trafficctl.cli;

import dev.trafficctl.client.CommandDocs;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Build-time generator of trafficctl's bash completion script and man pages, from the same command
 * tree {@link Trafficctl#newCommandLine()} runs. The package phase calls it with {@code target/}:
 * it writes {@code completion/trafficctl} and one AsciiDoc man page per command under {@code man/}.
 *
 * <p>Not part of the CLI at run time: picocli-codegen is a build-only (provided) dependency.
 */
public final class ShellDocs {

  static final String NAME = "trafficctl";

  private ShellDocs() {}

  /** {@code ShellDocs TARGET_DIR [VERSION]}. */
  public static void main(String[] args) throws IOException {
    CommandDocs.main(NAME, Trafficctl.newCommandLine(), args);
  }

  static void write(Path targetDir, String version) throws IOException {
    CommandDocs.write(NAME, Trafficctl.newCommandLine(), targetDir, version);
  }
}
