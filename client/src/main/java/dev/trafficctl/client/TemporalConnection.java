package dev.trafficctl.client;

import dev.trafficctl.workflows.TrafficDataConverter;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;

/**
 * A client connection to Temporal from a resolved profile ({@link ConnectionOptions#resolve}), with
 * trafficctl's data converter. Connecting is lazy; the first call reaches the server.
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
   * Opens a connection for {@code profile}.
   *
   * @param rpcTimeout deadline of unary calls and queries; null keeps the SDK's defaults
   */
  public static TemporalConnection open(ClientConfigProfile profile, Duration rpcTimeout) {
    return new TemporalConnection(profile, rpcTimeout);
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
