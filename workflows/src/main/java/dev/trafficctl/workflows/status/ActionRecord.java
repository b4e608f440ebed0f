package dev.trafficctl.workflows.status;

import java.time.Instant;

/** A person's (or pipeline's) action on a rollout: who, what, why, when. */
public record ActionRecord(Instant at, String action, String by, String reason) {}
