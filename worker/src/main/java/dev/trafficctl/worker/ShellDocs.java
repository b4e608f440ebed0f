package dev.trafficctl.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

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

  private static final int SYNOPSIS_WIDTH = 1000;

  private ShellDocs() {}

  /** {@code ShellDocs TARGET_DIR [VERSION]}. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      throw new IllegalArgumentException("usage: ShellDocs TARGET_DIR [VERSION]");
    }
    write(Path.of(args[0]), args.length == 2 ? args[1] : null);
  }

  /**
   * Writes {@code completion/trafficctl-worker} and {@code man/*.adoc} under {@code targetDir}; a
   * non-null {@code version} is the one the man pages name (the jar's, which classes read from a
   * directory do not know).
   */
  static void write(Path targetDir, String version) throws IOException {
    CommandLine cli = TrafficWorker.newCommandLine(new TrafficWorker());
    forManPages(cli, version);
    Path completion = targetDir.resolve("completion").resolve(NAME);
    Files.createDirectories(completion.getParent());
    Files.writeString(completion, AutoComplete.bash(NAME, cli), StandardCharsets.UTF_8);
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
  private static void forManPages(CommandLine cli, String version) {
    CommandSpec spec = cli.getCommandSpec();
    if (version != null && !version.isBlank()) {
      spec.versionProvider(() -> new String[] {NAME + " " + version});
    } else if (spec.versionProvider() == null) {
      spec.versionProvider(spec.root().versionProvider());
    }
    spec.usageMessage().width(SYNOPSIS_WIDTH);
    cli.getSubcommands().values().forEach(sub -> forManPages(sub, version));
  }
}
