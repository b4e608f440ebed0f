package dev.trafficctl.cli;

import dev.trafficctl.workflows.client.ConnectionSettings;
import picocli.CommandLine.Option;

/**
 * Where Temporal is. Unset options fall back to Temporal's environment configuration ({@code
 * TEMPORAL_ADDRESS}, {@code TEMPORAL_NAMESPACE}, {@code TEMPORAL_API_KEY}, {@code TEMPORAL_TLS_*},
 * {@code TEMPORAL_PROFILE} and {@code temporal.toml}), then to {@code 127.0.0.1:7233}, {@code
 * default}.
 */
public final class ConnectionOptions {

  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description = "Temporal frontend (default: TEMPORAL_ADDRESS, else 127.0.0.1:7233).")
  String address;

  @Option(
      names = "--namespace",
      description = "Temporal namespace (default: TEMPORAL_NAMESPACE, else default).")
  String namespace;

  @Option(
      names = "--profile",
      description = "Profile of the Temporal client configuration file (temporal.toml).")
  String profile;

  public ConnectionSettings settings() {
    return new ConnectionSettings(address, namespace, profile);
  }
}
