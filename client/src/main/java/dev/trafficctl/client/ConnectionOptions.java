package dev.trafficctl.client;

import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.ClientConfigTLS;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where Temporal is and how to authenticate. The SDK's environment configuration comes first
 * ({@code temporal.toml} profiles, overridden by {@code TEMPORAL_ADDRESS}, {@code
 * TEMPORAL_NAMESPACE}, {@code TEMPORAL_API_KEY}, {@code TEMPORAL_TLS*}, {@code TEMPORAL_PROFILE},
 * {@code TEMPORAL_CONFIG_FILE}); a flag given here overrides both; {@code 127.0.0.1:7233} and
 * {@code default} fill what is still unset.
 *
 * <p>There is deliberately no flag that takes an API key itself: a command line is visible to every
 * user of the machine in {@code ps}. The key comes from {@code TEMPORAL_API_KEY}, the profile's
 * {@code api_key} or {@code --api-key-file}.
 */
public final class ConnectionOptions {

  public static final String DEFAULT_ADDRESS = "127.0.0.1:7233";
  public static final String DEFAULT_NAMESPACE = "default";

  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description =
          "Temporal frontend (default: TEMPORAL_ADDRESS, else the profile's, else 127.0.0.1:7233).")
  String address;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      description =
          "Temporal namespace (default: TEMPORAL_NAMESPACE, else the profile's, else default).")
  String namespace;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description =
          "Profile of the Temporal client configuration file (default: TEMPORAL_PROFILE, else default).")
  String profile;

  @Option(
      names = "--config-file",
      paramLabel = "FILE",
      description =
          "Temporal client configuration file (default: TEMPORAL_CONFIG_FILE, else ~/.config/temporalio/temporal.toml).")
  Path configFile;

  @Option(
      names = "--api-key-file",
      paramLabel = "FILE",
      description =
          "File holding the API key (default: TEMPORAL_API_KEY, else the profile's api_key). Implies TLS.")
  Path apiKeyFile;

  @Option(
      names = "--tls",
      negatable = true,
      description =
          "Connect with TLS (default: TEMPORAL_TLS, else the profile's; on with an API key or a TLS file). --no-tls with an API key is refused.")
  Boolean tls;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "Client certificate (PEM) for mutual TLS; needs --tls-key.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "Client private key (PEM).")
  Path tlsKey;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description =
          "CA certificate(s) (PEM) the server's certificate must chain to (default: the system's).")
  Path tlsCa;

  @Option(
      names = "--tls-server-name",
      paramLabel = "NAME",
      description =
          "Server name to expect in the server's certificate (default: the address's host).")
  String tlsServerName;

  /** What {@link #resolve} last returned, for error messages that name the address. */
  private volatile ClientConfigProfile inForce;

  /**
   * The profile in force: the environment configuration read through {@code env}, then these flags,
   * then the defaults.
   *
   * @param env the process environment ({@link System#getenv()}); tests pass their own
   * @throws InvalidConnectionSettings for a profile, file or flag that cannot be used, and for an
   *     API key with TLS turned off (it would be sent in clear text)
   */
  public ClientConfigProfile resolve(Map<String, String> env) {
    ClientConfigProfile.Builder resolved = loadEnvironment(env).toBuilder();
    if (address != null) {
      resolved.setAddress(address);
    }
    if (namespace != null) {
      resolved.setNamespace(namespace);
    }
    if (apiKeyFile != null) {
      resolved.setApiKey(readApiKey(apiKeyFile));
    }
    ClientConfigProfile withFlags = resolved.build();
    ClientConfigTLS tlsSettings = applyTlsFlags(withFlags.getTls());
    resolved.setTls(tlsSettings);
    if (withFlags.getAddress() == null || withFlags.getAddress().isBlank()) {
      resolved.setAddress(DEFAULT_ADDRESS);
    }
    if (withFlags.getNamespace() == null || withFlags.getNamespace().isBlank()) {
      resolved.setNamespace(DEFAULT_NAMESPACE);
    }
    ClientConfigProfile profileInForce = resolved.build();
    checkClientCertificatePair(profileInForce.getTls());
    if (ApiKeyNeedsTls.violatedBy(profileInForce)) {
      throw ApiKeyNeedsTls.refusal(apiKeySource(env), tlsOffSource(env));
    }
    inForce = profileInForce;
    return profileInForce;
  }

  /**
   * The profile {@link #resolve} returned last, or null before it has: an error handler reports
   * which address a failed command talked to.
   */
  public ClientConfigProfile resolved() {
    return inForce;
  }

  /** Which setting gave the API key in force: the flag, then the variable, then the profile. */
  private String apiKeySource(Map<String, String> env) {
    if (apiKeyFile != null) {
      return "--api-key-file " + apiKeyFile;
    }
    String fromEnv = env.get("TEMPORAL_API_KEY");
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return "TEMPORAL_API_KEY";
    }
    return "api_key of profile " + profileName(env);
  }

  /** Which setting turned TLS off: the flag, then the variable, then the profile. */
  private String tlsOffSource(Map<String, String> env) {
    if (Boolean.FALSE.equals(tls)) {
      return "--no-tls";
    }
    String fromEnv = env.get("TEMPORAL_TLS");
    if (fromEnv != null && !fromEnv.isEmpty()) {
      // The SDK reads anything but "true" as off; the value is not secret.
      return "TEMPORAL_TLS=" + fromEnv;
    }
    return "disabled = true in the tls of profile " + profileName(env);
  }

  private String profileName(Map<String, String> env) {
    if (profile != null) {
      return profile;
    }
    String fromEnv = env.get("TEMPORAL_PROFILE");
    return fromEnv != null && !fromEnv.isEmpty() ? fromEnv : "default";
  }

  private ClientConfigProfile loadEnvironment(Map<String, String> env) {
    LoadClientConfigProfileOptions.Builder options =
        LoadClientConfigProfileOptions.newBuilder().setEnvOverrides(env);
    if (profile != null) {
      options.setConfigFileProfile(profile);
    }
    if (configFile != null) {
      requireReadable("--config-file", configFile);
      options.setConfigFilePath(configFile.toString());
    }
    try {
      return ClientConfigProfile.load(options.build());
    } catch (IOException e) {
      // Only the first line: a parser's later lines may quote the file, keys included.
      throw new InvalidConnectionSettings(
          "cannot read the Temporal client configuration: " + firstLine(e.getMessage()));
    } catch (IllegalArgumentException e) {
      // "Unable to find profile X in config data"
      throw new InvalidConnectionSettings(
          "Temporal client configuration: " + firstLine(e.getMessage()));
    }
  }

  /** TLS flags on top of the environment's TLS settings; a TLS file flag implies {@code --tls}. */
  private ClientConfigTLS applyTlsFlags(ClientConfigTLS fromEnvironment) {
    boolean anyFile = tlsCert != null || tlsKey != null || tlsCa != null || tlsServerName != null;
    if (tls == null && !anyFile) {
      return fromEnvironment;
    }
    ClientConfigTLS.Builder builder =
        fromEnvironment == null ? ClientConfigTLS.newBuilder() : fromEnvironment.toBuilder();
    if (tls != null) {
      builder.setDisabled(!tls);
    } else {
      builder.setDisabled(false);
    }
    if (tlsCert != null) {
      requireReadable("--tls-cert", tlsCert);
      builder.setClientCertPath(tlsCert.toString()).setClientCertData(null);
    }
    if (tlsKey != null) {
      requireReadable("--tls-key", tlsKey);
      builder.setClientKeyPath(tlsKey.toString()).setClientKeyData(null);
    }
    if (tlsCa != null) {
      requireReadable("--tls-ca", tlsCa);
      builder.setServerCACertPath(tlsCa.toString()).setServerCACertData(null);
    }
    if (tlsServerName != null) {
      builder.setServerName(tlsServerName);
    }
    return builder.build();
  }

  /**
   * Mutual TLS needs both halves; catch a missing one here rather than as a TLS handshake error.
   */
  private static void checkClientCertificatePair(ClientConfigTLS settings) {
    if (settings == null || Boolean.TRUE.equals(settings.isDisabled())) {
      return;
    }
    boolean cert = present(settings.getClientCertPath(), settings.getClientCertData());
    boolean key = present(settings.getClientKeyPath(), settings.getClientKeyData());
    if (cert != key) {
      throw new InvalidConnectionSettings(
          cert
              ? "a TLS client certificate needs its key (--tls-key or TEMPORAL_TLS_CLIENT_KEY_PATH)"
              : "a TLS client key needs its certificate (--tls-cert or"
                  + " TEMPORAL_TLS_CLIENT_CERT_PATH)");
    }
  }

  private static boolean present(String path, byte[] data) {
    return (path != null && !path.isEmpty()) || (data != null && data.length > 0);
  }

  private static String readApiKey(Path file) {
    requireReadable("--api-key-file", file);
    String key;
    try {
      key = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new InvalidConnectionSettings(
          "--api-key-file " + file + ": cannot read it: " + e.getMessage());
    }
    if (key.isEmpty()) {
      throw new InvalidConnectionSettings("--api-key-file " + file + " is empty");
    }
    return key;
  }

  private static void requireReadable(String flag, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidConnectionSettings(flag + " " + file + ": no such file");
    }
    if (!Files.isReadable(file)) {
      throw new InvalidConnectionSettings(flag + " " + file + ": not readable");
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
