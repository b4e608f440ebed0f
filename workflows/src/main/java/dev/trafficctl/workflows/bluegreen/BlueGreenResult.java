package dev.trafficctl.workflows.bluegreen;

import dev.trafficctl.workflows.status.RolloutStatus;

/** How a blue-green rollout ended: its last status. */
public record BlueGreenResult(RolloutStatus status) {}
