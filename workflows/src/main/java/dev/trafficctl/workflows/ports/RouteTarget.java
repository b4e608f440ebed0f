package dev.trafficctl.workflows.ports;

import dev.trafficctl.config.catalog.EnvironmentEntry;

/** Whose traffic a router moves: a service in one environment, with its catalog entry. */
public record RouteTarget(String service, String env, EnvironmentEntry entry) {}
