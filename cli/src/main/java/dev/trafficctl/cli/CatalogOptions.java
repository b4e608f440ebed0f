package dev.trafficctl.cli;

import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which environment a command acts in, and the catalog that describes it: the options every command
 * on a service shares, whether it names the service as its argument ({@link TargetOptions}) or in
 * an option.
 */
public final class CatalogOptions {

  @Option(
      names = {"-e", "--env"},
      description = "Environment (default: TRAFFICCTL_ENV, else default).")
  String env;

  @Option(
      names = "--catalog",
      paramLabel = "FILE",
      description = "Service catalog (default: TRAFFICCTL_CATALOG, else ./trafficctl.yaml).")
  Path catalog;

  /** {@code --env} when given, else TRAFFICCTL_ENV, else {@code default}. */
  public String env() {
    if (env != null) {
      return env;
    }
    String fromEnvironment = System.getenv("TRAFFICCTL_ENV");
    return fromEnvironment == null || fromEnvironment.isBlank() ? "default" : fromEnvironment;
  }

  /** {@code --catalog} when given, else TRAFFICCTL_CATALOG, else {@code ./trafficctl.yaml}. */
  public Path catalogPath() {
    if (catalog != null) {
      return catalog;
    }
    String fromEnvironment = System.getenv("TRAFFICCTL_CATALOG");
    return Path.of(
        fromEnvironment == null || fromEnvironment.isBlank() ? "trafficctl.yaml" : fromEnvironment);
  }

  /** The catalog's entry for {@code service} in this environment, or a one-line error (exit 2). */
  public EnvironmentEntry catalogEntry(String service) {
    return catalogEntry(catalogPath(), service, env());
  }

  /** The entry of catalog {@code path} for {@code service} in {@code env}, or exit 2. */
  private static EnvironmentEntry catalogEntry(Path path, String service, String env) {
    if (!Files.exists(path)) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          path + ": no service catalog here (use --catalog FILE or TRAFFICCTL_CATALOG)");
    }
    Catalog loaded = new DocumentLoader().load(path, Catalog.class);
    if (!loaded.services().containsKey(service)) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          path
              + ": services: no service \""
              + service
              + "\" (catalog has: "
              + String.join(", ", loaded.services().keySet())
              + ")");
    }
    return loaded
        .find(service, env)
        .orElseThrow(
            () ->
                new CommandFailure(
                    ExitCode.BAD_INPUT,
                    path
                        + ": services."
                        + service
                        + ".environments: no environment \""
                        + env
                        + "\" (catalog has: "
                        + String.join(", ", loaded.services().get(service).environments().keySet())
                        + ")"));
  }
}
