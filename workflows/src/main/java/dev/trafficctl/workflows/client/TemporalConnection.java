package dev.trafficctl.workflows.client;

import dev.trafficctl.workflows.TrafficDataConverter;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A connection to Temporal for the worker and the CLI: the SDK's environment configuration with
 * flags on top, and trafficctl's data converter. Connecting is lazy; the first call reaches the
 * server.
 */
public final class TemporalConnection implements AutoCloseable {

  private final ClientConfigProfile profile;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;

  private TemporalConnection(ClientConfigProfile profile, Duration rpcTimeout) {
    this.profile = profile;
    WorkflowServiceStubsOptions.Builder stubOptions =
        WorkflowServiceStubsOptions.newBuilder(profile.toWorkflowServiceStubsOptions());
    if (rpcTimeout != null) {
      // A person at a terminal would rather hear "unreachable" soon than wait for the defaults.
      stubOptions.setRpcTimeout(rpcTimeout).setRpcQueryTimeout(rpcTimeout);
    }
    this.stubs = WorkflowServiceStubs.newServiceStubs(stubOptions.build());
    this.client =
        WorkflowClient.newInstance(
            stubs,
            WorkflowClientOptions.newBuilder(profile.toWorkflowClientOptions())
                .setDataConverter(TrafficDataConverter.get())
                .build());
  }

  /**
   * Connects with the environment's configuration and {@code settings} on top.
   *
   * @param rpcTimeout deadline of unary calls and queries; null keeps the SDK's defaults
   */
  public static TemporalConnection open(ConnectionSettings settings, Duration rpcTimeout) {
    return new TemporalConnection(resolve(settings), rpcTimeout);
  }

  /** The profile in force: environment and configuration file, then the flags, then defaults. */
  public static ClientConfigProfile resolve(ConnectionSettings settings) {
    ClientConfigProfile loaded;
    try {
      LoadClientConfigProfileOptions.Builder options = LoadClientConfigProfileOptions.newBuilder();
      if (settings.profile() != null) {
        options.setConfigFileProfile(settings.profile());
      }
      loaded = ClientConfigProfile.load(options.build());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Temporal client configuration", e);
    }
    ClientConfigProfile.Builder profile = loaded.toBuilder();
    if (settings.address() != null) {
      profile.setAddress(settings.address());
    } else if (loaded.getAddress() == null) {
      profile.setAddress(ConnectionSettings.DEFAULT_ADDRESS);
    }
    if (settings.namespace() != null) {
      profile.setNamespace(settings.namespace());
    } else if (loaded.getNamespace() == null) {
      profile.setNamespace(ConnectionSettings.DEFAULT_NAMESPACE);
    }
    return profile.build();
  }

  public WorkflowClient client() {
    return client;
  }

  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  public String address() {
    return profile.getAddress();
  }

  public String namespace() {
    return profile.getNamespace();
  }

  @Override
  public void close() {
    stubs.shutdownNow();
  }
}
