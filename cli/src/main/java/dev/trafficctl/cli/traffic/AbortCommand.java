package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.workflows.control.ControlRequest;

/**
 * {@code abort} of any strategy: the update of that name, which every rollout workflow refuses
 * without a reason; the CLI asks for one before contacting anything.
 */
abstract class AbortCommand extends ControlCommand {

  @Override
  final String updateName() {
    return "abort";
  }

  @Override
  final Object request(String actor) {
    if (reason == null || reason.isBlank()) {
      throw new CommandFailure(ExitCode.BAD_INPUT, "abort needs --reason: why, for the record");
    }
    return new ControlRequest(actor, reason);
  }
}
