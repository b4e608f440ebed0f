package dev.trafficctl.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes a command's bash completion script and man pages, from the command tree it runs: {@code
 * completion/<name>} and one AsciiDoc man page per command under {@code man/}. Used at build time
 * by the CLI's and the worker's {@code ShellDocs}; picocli-codegen is a build-only (provided)
 * dependency, never on a run-time class path.
 */
public final class CommandDocs {

  /** Wide enough that no synopsis wraps; AsciiDoc reflows it. */
  private static final int SYNOPSIS_WIDTH = 1000;

  private CommandDocs() {}

  /** {@code <main> TARGET_DIR [VERSION]}: what the build's exec step passes. */
  public static void main(String name, CommandLine cli, String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      throw new IllegalArgumentException("usage: ShellDocs TARGET_DIR [VERSION]");
    }
    write(name, cli, Path.of(args[0]), args.length == 2 ? args[1] : null);
  }

  /**
   * Writes the files under {@code targetDir}; a non-null {@code version} is the one the man pages
   * name (the jar's, which classes read from a directory do not know).
   */
  public static void write(String name, CommandLine cli, Path targetDir, String version)
      throws IOException {
    forManPages(name, cli, version);
    Path completion = targetDir.resolve("completion").resolve(name);
    Files.createDirectories(completion.getParent());
    Files.writeString(completion, AutoComplete.bash(name, cli), StandardCharsets.UTF_8);
    Path man = targetDir.resolve("man");
    Files.createDirectories(man);
    int rc =
        ManPageGenerator.generateManPage(
            man.toFile(), null, new boolean[0], true, cli.getCommandSpec());
    if (rc != 0) {
      throw new IOException("man page generation failed (" + rc + ") in " + man);
    }
  }

  /**
   * Every page names the version (picocli gives only commands with a version provider one), and the
   * synopsis is one line that AsciiDoc reflows: picocli's 80-column wrapping counts the markup and
   * splits option labels such as HOST:PORT in two.
   */
  private static void forManPages(String name, CommandLine cli, String version) {
    CommandSpec spec = cli.getCommandSpec();
    if (version != null && !version.isBlank()) {
      spec.versionProvider(() -> new String[] {name + " " + version});
    } else if (spec.versionProvider() == null) {
      spec.versionProvider(spec.root().versionProvider());
    }
    spec.usageMessage().width(SYNOPSIS_WIDTH);
    cli.getSubcommands().values().forEach(sub -> forManPages(name, sub, version));
  }
}
