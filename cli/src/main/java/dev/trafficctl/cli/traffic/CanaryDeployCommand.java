package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.Actor;
import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.cli.rollout.WeightsOnRecord;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.canary.CanaryDocument;
import dev.trafficctl.config.canary.CanarySpec;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.workflows.canary.CanaryInput;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trafficctl traffic canary deploy api --version v2 --env production [--wait]}. */
@Command(
    name = "deploy",
    description = "Start a canary of a new version.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:started (with --wait: promoted)",
      "1:with --wait: rolled back or aborted",
      "2:bad input",
      "3:Temporal unreachable",
      "4:another rollout owns the service, or the candidate already serves all traffic",
      "5:with --wait --timeout: still running when the wait ran out (it goes on)"
    })
final class CanaryDeployCommand extends RolloutCommand {

  @Option(
      names = "--version",
      paramLabel = "VERSION",
      description =
          "The candidate version, as in the catalog (default: the version the catalog lists"
              + " last for the environment).")
  String version;

  @Option(
      names = {"-f", "--config"},
      paramLabel = "FILE",
      description = "Canary document (default: traffic/canary.yaml beside the catalog).")
  Path config;

  @Option(names = "--wait", description = "Block until promoted (exit 0) or rolled back (exit 1).")
  boolean wait;

  @Mixin WaitTimeout timeout;

  @Option(names = "--by", description = "Who starts it (default: the login name).")
  String by;

  @Override
  protected int run(RolloutClient client) throws Exception {
    checkWaitTimeout(timeout.limit, wait);
    EnvironmentEntry entry = target.catalogEntry();
    CanarySpec canary = canarySpec();
    String candidate = version != null ? version : lastListed(entry);
    CanaryInput input =
        new CanaryInput(target.service(), target.env(), candidate, canary, entry, Actor.of(by));
    DocumentLoader.validate("deploy", input);
    refuseWhenInForce(client, input.workflowId(), candidate);
    return startAndFollow(client, input, wait, timeout.limit, status -> false, "canary");
  }

  private CanarySpec canarySpec() {
    Path file = config != null ? config : DefaultDocuments.beside(target, "canary");
    CanaryDocument doc = new DocumentLoader().load(file, CanaryDocument.class);
    CanarySpec spec = doc.canary().get(target.service());
    if (spec == null) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          file
              + ": canary: no entry for service \""
              + target.service()
              + "\" (document has: "
              + String.join(", ", doc.canary().keySet())
              + ")");
    }
    return spec;
  }

  /** The version the catalog lists last: the newest, by the catalog's convention. */
  private static String lastListed(EnvironmentEntry entry) {
    String last = null;
    for (String name : entry.versions().keySet()) {
      last = name;
    }
    return last;
  }

  /**
   * Refuses (exit 4) a candidate that the service's last rollout left serving all traffic, as far
   * as the CLI can tell without reading the router (the workflow checks the router itself).
   */
  private static void refuseWhenInForce(RolloutClient client, String workflowId, String candidate) {
    Optional<WeightsOnRecord> onRecord = client.weightsOnRecord(workflowId);
    if (onRecord.isPresent() && onRecord.get().weights().getOrDefault(candidate, 0) == 100) {
      throw new CommandFailure(
          ExitCode.REFUSED,
          workflowId
              + ": "
              + candidate
              + " serves all traffic already (weights "
              + onRecord.get().weights()
              + " from the last "
              + onRecord.get().strategy()
              + "); nothing to deploy");
    }
  }
}
