package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.TargetOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a strategy's document is looked for when {@code -f} names none: beside the catalog. */
final class DefaultDocuments {

  private DefaultDocuments() {}

  /**
   * {@code traffic/<strategy>.yaml} in the catalog's directory; a one-line error (exit 2) saying
   * where it was looked for when it is not there.
   */
  static Path beside(TargetOptions target, String strategy) {
    Path catalogDir = target.catalogPath().toAbsolutePath().getParent();
    Path file = catalogDir.resolve("traffic").resolve(strategy + ".yaml");
    if (!Files.exists(file)) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          file
              + ": no such file (the "
              + strategy
              + " document is looked for beside the catalog; name another with -f FILE)");
    }
    return file;
  }
}
