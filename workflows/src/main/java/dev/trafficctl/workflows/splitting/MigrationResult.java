package dev.trafficctl.workflows.splitting;

import dev.trafficctl.workflows.status.RolloutStatus;

/** How a migration ended: its last status. */
public record MigrationResult(RolloutStatus status) {}
