package dev.trafficctl.client;

import dev.trafficctl.client.payload.PayloadEncryption;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.ClientConfigTLS;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A client connection to Temporal from a resolved profile ({@link ConnectionOptions#resolve}), with
 * trafficctl's data converter for the payload keys held ({@link PayloadEncryption}). Connecting is
 * lazy; the first call reaches the server.
 */
public final class TemporalConnection implements AutoCloseable {

  private final ClientConfigProfile profile;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final DataConverter dataConverter;

  /**
   * The channel's own network thread, ended on {@link #close}. gRPC's shared one outlives the
   * channel by a second, blocked in epoll, and a JVM leaving through {@code System.exit} waits up
   * to 300 ms for such a thread (HotSpot's VM_Exit): a third of a short command's time.
   */
  private final EventLoopGroup network =
      new NioEventLoopGroup(1, new DefaultThreadFactory("temporal-client", true));

  private TemporalConnection(
      ClientConfigProfile profile, Duration rpcTimeout, PayloadEncryption encryption) {
    this.profile = profile;
    this.dataConverter = encryption.dataConverter();
    WorkflowServiceStubsOptions.Builder stubOptions = stubOptions(profile);
    Consumer<ManagedChannelBuilder<?>> initializer = stubOptions.build().getChannelInitializer();
    stubOptions.setChannelInitializer(
        channel -> {
          initializer.accept(channel);
          if (channel instanceof NettyChannelBuilder netty) {
            netty.eventLoopGroup(network).channelType(NioSocketChannel.class);
          }
        });
    if (rpcTimeout != null) {
      // A person at a terminal would rather hear "unreachable" soon than wait for the defaults.
      stubOptions
          .setRpcTimeout(rpcTimeout)
          .setRpcQueryTimeout(rpcTimeout)
          .setSystemInfoTimeout(rpcTimeout);
    }
    this.stubs = WorkflowServiceStubs.newServiceStubs(stubOptions.build());
    this.client =
        WorkflowClient.newInstance(
            stubs,
            WorkflowClientOptions.newBuilder(profile.toWorkflowClientOptions())
                .setDataConverter(dataConverter)
                .build());
  }

  /**
   * Opens a connection for {@code profile}.
   *
   * @param rpcTimeout deadline of unary calls, queries and the first contact; null keeps the SDK's
   *     defaults
   * @param encryption the payload keys held ({@link PayloadEncryption#OFF}: none)
   * @throws InvalidConnectionSettings when a TLS certificate, key or CA cannot be used
   */
  public static TemporalConnection open(
      ClientConfigProfile profile, Duration rpcTimeout, PayloadEncryption encryption) {
    return new TemporalConnection(profile, rpcTimeout, encryption);
  }

  /**
   * The service stubs' options for {@code profile}: its address, TLS, API key and metadata, and a
   * channel on which a call that failed on the connection settings (an untrusted certificate, TLS
   * against a plaintext port) fails at once instead of being retried until its deadline.
   *
   * @throws InvalidConnectionSettings when a TLS certificate, key or CA cannot be used (the message
   *     names the file or variable, never its contents), or when the profile has an API key and TLS
   *     off
   */
  public static WorkflowServiceStubsOptions.Builder stubOptions(ClientConfigProfile profile) {
    if (ApiKeyNeedsTls.violatedBy(profile)) {
      // ConnectionOptions.resolve refuses this first, naming the settings; this guards the
      // profiles built some other way.
      throw ApiKeyNeedsTls.refusal("the connection profile", "the profile's TLS settings");
    }
    WorkflowServiceStubsOptions fromProfile;
    try {
      fromProfile = profile.toWorkflowServiceStubsOptions();
    } catch (RuntimeException e) {
      throw new InvalidConnectionSettings(unusableTls(profile.getTls(), e));
    }
    Consumer<ManagedChannelBuilder<?>> initializer = fromProfile.getChannelInitializer();
    return WorkflowServiceStubsOptions.newBuilder(fromProfile)
        .setChannelInitializer(
            channel -> {
              if (initializer != null) {
                initializer.accept(channel);
              }
              channel.intercept(new FailFastOnSettings());
            });
  }

  /** Which TLS input the SDK could not use, from where its TLS library failed. */
  static String unusableTls(ClientConfigTLS tls, RuntimeException e) {
    Throwable t = e;
    while (t != null) {
      if (t instanceof NoSuchFileException missing) {
        return "TLS: " + missing.getFile() + ": no such file";
      }
      if (t instanceof IllegalArgumentException && t.getStackTrace().length > 0) {
        String method = t.getStackTrace()[0].getMethodName();
        String text = String.valueOf(t.getMessage());
        if (method.equals("trustManager")) {
          return "TLS: the CA certificate "
              + source(tls == null ? null : tls.getServerCACertPath(), "SERVER_CA_CERT")
              + " holds no PEM certificate";
        }
        if (method.equals("keyManager") && text.contains("private key")) {
          return "TLS: the client key "
              + source(tls == null ? null : tls.getClientKeyPath(), "CLIENT_KEY")
              + " is not an unencrypted PKCS #8 private key in PEM (BEGIN PRIVATE KEY); convert"
              + " it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8";
        }
        if (method.equals("keyManager")) {
          return "TLS: the client certificate "
              + source(tls == null ? null : tls.getClientCertPath(), "CLIENT_CERT")
              + " holds no PEM certificate";
        }
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return "TLS settings unusable: "
        + ConnectionFailure.firstLine(
            root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
  }

  private static String source(String path, String variable) {
    return path != null && !path.isEmpty()
        ? path
        : "(inline: TEMPORAL_TLS_" + variable + "_DATA or the profile's data)";
  }

  public WorkflowClient client() {
    return client;
  }

  /** The data converter the client uses, for payloads read with the raw stubs. */
  public DataConverter dataConverter() {
    return dataConverter;
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
    stubs.awaitTermination(1, TimeUnit.SECONDS);
    network.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(1, TimeUnit.SECONDS);
  }
}
