package dev.trafficctl.cli.traffic;

import dev.trafficctl.workflows.control.ControlRequest;

/**
 * {@code abort} of any strategy: the update of that name. Every rollout workflow refuses it without
 * a reason, for the record; in an incident nobody should have to type one first, so without {@code
 * --reason} the record says none was given.
 */
abstract class AbortCommand extends ControlCommand {

  /** What the record says when {@code --reason} is left out. */
  static final String NO_REASON = "no reason given";

  @Override
  final String updateName() {
    return "abort";
  }

  @Override
  final Object request(String actor) {
    return new ControlRequest(actor, reason == null || reason.isBlank() ? NO_REASON : reason);
  }
}
