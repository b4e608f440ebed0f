package dev.trafficctl.cli;

import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.workflows.WorkflowIds;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Which service in which environment a command acts on, and the catalog that describes it. */
public final class TargetOptions {

  @Parameters(index = "0", paramLabel = "SERVICE", description = "The service, as in the catalog.")
  String service;

  @Mixin CatalogOptions where;

  public String service() {
    return service;
  }

  public String env() {
    return where.env();
  }

  public String workflowId() {
    return WorkflowIds.rollout(env(), service);
  }

  public Path catalogPath() {
    return where.catalogPath();
  }

  /** The catalog's entry for this service and environment, or a one-line error (exit 2). */
  public EnvironmentEntry catalogEntry() {
    return where.catalogEntry(service);
  }
}
