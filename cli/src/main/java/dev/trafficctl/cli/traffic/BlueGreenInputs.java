package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.TargetOptions;
import dev.trafficctl.cli.rollout.WeightsOnRecord;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.bluegreen.BlueGreenDocument;
import dev.trafficctl.config.bluegreen.BlueGreenSpec;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.workflows.bluegreen.BlueGreenInput;
import dev.trafficctl.workflows.bluegreen.BlueGreenOptions;
import dev.trafficctl.workflows.bluegreen.ColorOwnership;
import dev.trafficctl.workflows.bluegreen.ColorPools;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The input of a blue-green rollout as the command line builds it: the catalog's entry, the
 * service's entry of the blue-green document, and the two colors placed by {@link ColorPools}.
 */
final class BlueGreenInputs {

  private BlueGreenInputs() {}

  /**
   * The checked input, or a one-line failure (exit 2) naming the file and field at fault; {@code
   * command} names the source of problems in the input as a whole.
   */
  static BlueGreenInput build(
      TargetOptions target, Path config, BlueGreenOptions options, String actor, String command) {
    EnvironmentEntry entry = target.catalogEntry();
    Path file = config != null ? config : DefaultDocuments.beside(target, "blue-green");
    BlueGreenSpec spec = spec(target, file);
    EnvironmentEntry colors;
    try {
      colors = ColorPools.resolve(target.service(), spec, entry);
    } catch (ColorPools.Unresolved e) {
      throw new CommandFailure(ExitCode.BAD_INPUT, file + ": " + e.getMessage());
    }
    BlueGreenInput input =
        new BlueGreenInput(target.service(), target.env(), spec, colors, options, actor);
    DocumentLoader.validate(command, input);
    return input;
  }

  /**
   * Refuses (exit 4) to start a blue-green rollout when versions other than the colors have traffic
   * as the service's last run left it ({@code v1=0, v2=100} after a canary): the workflow, which
   * reads the router, would refuse it with the same line, but only after it had started.
   */
  static void refuseUnlessColorsOwnTraffic(
      TargetOptions target, Optional<WeightsOnRecord> onRecord) {
    Optional<String> refusal =
        onRecord.flatMap(
            r -> ColorOwnership.refusal(target.service(), target.env(), r.weights(), r.strategy()));
    if (refusal.isPresent()) {
      throw new CommandFailure(ExitCode.REFUSED, refusal.get());
    }
  }

  private static BlueGreenSpec spec(TargetOptions target, Path file) {
    BlueGreenDocument doc = new DocumentLoader().load(file, BlueGreenDocument.class);
    BlueGreenSpec spec = doc.blueGreen().get(target.service());
    if (spec == null) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          file
              + ": blue_green: no entry for service \""
              + target.service()
              + "\" (document has: "
              + String.join(", ", doc.blueGreen().keySet())
              + ")");
    }
    return spec;
  }
}
