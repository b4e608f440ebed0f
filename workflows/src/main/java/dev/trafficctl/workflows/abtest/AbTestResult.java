package dev.trafficctl.workflows.abtest;

import dev.trafficctl.workflows.analysis.abtest.AbTestResults;
import dev.trafficctl.workflows.status.RolloutStatus;

/** How an A/B test ended: its last status and its last results. */
public record AbTestResult(RolloutStatus status, AbTestResults results) {}
