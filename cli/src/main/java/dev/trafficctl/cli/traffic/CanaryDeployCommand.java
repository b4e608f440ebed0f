package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.cli.rollout.StatusAnswer;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.canary.CanaryDocument;
import dev.trafficctl.config.canary.CanarySpec;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.workflows.TaskQueues;
import dev.trafficctl.workflows.canary.CanaryInput;
import dev.trafficctl.workflows.status.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
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
      "4:another rollout owns the service"
    })
final class CanaryDeployCommand extends RolloutCommand {

  @Option(
      names = "--version",
      required = true,
      paramLabel = "VERSION",
      description = "The candidate version, as in the catalog.")
  String version;

  @Option(
      names = {"-f", "--config"},
      paramLabel = "FILE",
      description = "Canary document (default: traffic/canary.yaml beside the catalog).")
  Path config;

  @Option(names = "--wait", description = "Block until promoted (exit 0) or rolled back (exit 1).")
  boolean wait;

  @Option(names = "--by", description = "Who starts it (default: the login name).")
  String by;

  @Override
  int run(RolloutClient client) throws Exception {
    EnvironmentEntry entry = target.catalogEntry();
    CanarySpec canary = canarySpec();
    CanaryInput input =
        new CanaryInput(target.service(), target.env(), version, canary, entry, actor(by));
    DocumentLoader.validate("deploy", input);
    String workflowId = target.workflowId();
    String runId = client.startCanary(workflowId, input);
    if (!output.json() || !wait) {
      (output.json() ? err() : out())
          .printf(
              "started canary %s (run %s): %s -> %s%n",
              workflowId, runId, target.service(), version);
      (output.json() ? err() : out()).flush();
    }
    if (!client.workerPolling()) {
      err()
          .println(
              "trafficctl: warning: no worker is polling "
                  + TaskQueues.ROLLOUTS
                  + "; the canary waits until one starts (bin/trafficctl-worker)");
      err().flush();
    }
    if (!wait) {
      if (output.json()) {
        out().printf("{\"workflow_id\":\"%s\",\"run_id\":\"%s\"}%n", workflowId, runId);
        out().flush();
      }
      return ExitCode.OK;
    }
    return waitForEnd(client, workflowId);
  }

  private int waitForEnd(RolloutClient client, String workflowId) throws InterruptedException {
    String last = "";
    while (true) {
      StatusAnswer answer = client.status(workflowId);
      String now =
          answer.status().phase().display()
              + " step "
              + answer.status().step()
              + " weight "
              + answer.status().weight();
      if (!now.equals(last)) {
        (output.json() ? err() : out())
            .printf("%s: %s - %s%n", workflowId, now, answer.status().message());
        (output.json() ? err() : out()).flush();
        last = now;
      }
      if (!answer.running()) {
        print(answer);
        if (answer.failure() != null) {
          throw new CommandFailure(
              answer.failure().invalidInput() ? ExitCode.BAD_INPUT : ExitCode.ROLLED_BACK,
              workflowId + ": the workflow " + answer.failure().message());
        }
        return answer.status().phase() == Phase.PROMOTED ? ExitCode.OK : ExitCode.ROLLED_BACK;
      }
      Thread.sleep(Duration.ofSeconds(1).toMillis());
    }
  }

  private CanarySpec canarySpec() {
    Path file = config != null ? config : defaultConfig();
    if (!Files.exists(file)) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT, file + ": no canary document here (use --config FILE)");
    }
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

  private Path defaultConfig() {
    Path catalogDir = target.catalogPath().toAbsolutePath().getParent();
    return catalogDir.resolve("traffic").resolve("canary.yaml");
  }
}
