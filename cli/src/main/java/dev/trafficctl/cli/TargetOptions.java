package dev.trafficctl.cli;

import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.workflows.RolloutIds;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Which service in which environment a command acts on, and the catalog that describes it. */
public final class TargetOptions {

  @Parameters(index = "0", paramLabel = "SERVICE", description = "The service, as in the catalog.")
  String service;

  @Option(
      names = {"-e", "--env"},
      description = "Environment (default: TRAFFICCTL_ENV, else default).")
  String env;

  @Option(
      names = "--catalog",
      paramLabel = "FILE",
      description = "Service catalog (default: TRAFFICCTL_CATALOG, else ./trafficctl.yaml).")
  Path catalog;

  public String service() {
    return service;
  }

  public String env() {
    return env(env);
  }

  /** {@code env} when given, else TRAFFICCTL_ENV, else {@code default}. */
  public static String env(String env) {
    if (env != null) {
      return env;
    }
    String fromEnvironment = System.getenv("TRAFFICCTL_ENV");
    return fromEnvironment == null || fromEnvironment.isBlank() ? "default" : fromEnvironment;
  }

  public String workflowId() {
    return RolloutIds.workflowId(env(), service);
  }

  public Path catalogPath() {
    return catalogPath(catalog);
  }

  /** {@code catalog} when given, else TRAFFICCTL_CATALOG, else {@code ./trafficctl.yaml}. */
  public static Path catalogPath(Path catalog) {
    if (catalog != null) {
      return catalog;
    }
    String fromEnvironment = System.getenv("TRAFFICCTL_CATALOG");
    return Path.of(
        fromEnvironment == null || fromEnvironment.isBlank() ? "trafficctl.yaml" : fromEnvironment);
  }

  /** The catalog's entry for this service and environment, or a one-line error (exit 2). */
  public EnvironmentEntry catalogEntry() {
    return catalogEntry(catalogPath(), service, env());
  }

  /** The entry of catalog {@code path} for {@code service} in {@code env}, or exit 2. */
  public static EnvironmentEntry catalogEntry(Path path, String service, String env) {
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
