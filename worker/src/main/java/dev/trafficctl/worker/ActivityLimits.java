package dev.trafficctl.worker;

import dev.trafficctl.activities.AllowedBinaries;
import dev.trafficctl.activities.AllowedHosts;
import dev.trafficctl.activities.ConfinedPaths;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * What the activities may touch when a rollout's input names it: the catalog entry travels in the
 * input, so these limits come from the worker's own settings and bound whoever may start a workflow
 * on its task queue.
 *
 * @param paths the state directory (base of relative catalog paths) and the directories {@code
 *     --allow-path} adds; every path an entry names must lead inside one of them
 * @param binaries the nginx binaries an entry may name ({@code --allow-binary})
 * @param hosts the hosts an entry's metrics address and webhook URL may reach, besides loopback
 *     ({@code --allow-host})
 */
record ActivityLimits(ConfinedPaths paths, AllowedBinaries binaries, AllowedHosts hosts) {

  /** Only the state directory, nginx's default binary and loopback. */
  static ActivityLimits defaults(Path stateDir) {
    return new ActivityLimits(
        ConfinedPaths.within(stateDir), AllowedBinaries.DEFAULT, AllowedHosts.LOOPBACK);
  }

  /** For the worker's log at start. */
  String describe() {
    return "catalog paths confined to "
        + paths.allowed().stream().map(Path::toString).collect(Collectors.joining(", "))
        + "; nginx binaries allowed: "
        + (binaries.binaries().isEmpty()
            ? "none"
            : binaries.binaries().stream().map(Path::toString).collect(Collectors.joining(", ")));
  }
}
