package dev.trafficctl.workflows.client;

/**
 * Overrides on top of Temporal's environment configuration ({@code TEMPORAL_ADDRESS}, {@code
 * TEMPORAL_NAMESPACE}, {@code TEMPORAL_API_KEY}, {@code TEMPORAL_TLS_*}, profiles in {@code
 * temporal.toml}). A null field leaves the environment's value in force.
 *
 * @param address host:port of the Temporal frontend
 * @param namespace Temporal namespace
 * @param profile profile of the configuration file
 */
public record ConnectionSettings(String address, String namespace, String profile) {

  public static final String DEFAULT_ADDRESS = "127.0.0.1:7233";
  public static final String DEFAULT_NAMESPACE = "default";
}
