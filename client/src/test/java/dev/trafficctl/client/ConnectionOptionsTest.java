package dev.trafficctl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Precedence of the connection settings, without a server: flags over environment variables over
 * the temporal.toml profile over the defaults. The environment is a map handed to the SDK's loader.
 */
class ConnectionOptionsTest {

  private static final String TOML =
      """
      [profile.default]
      address = "toml.example:7233"
      namespace = "toml-ns"
      api_key = "toml-key"

      [profile.prod]
      address = "prod.example:7233"
      namespace = "prod-ns"
      [profile.prod.tls]
      server_name = "prod.tmprl.example"
      """;

  @TempDir Path dir;
  private Path configFile;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void writeConfigFile() throws IOException {
    configFile = dir.resolve("temporal.toml");
    Files.writeString(configFile, TOML);
    env.put("TEMPORAL_CONFIG_FILE", configFile.toString());
  }

  /** A command that only carries the mixin, as the worker's and the CLI's commands do. */
  @Command(name = "probe")
  static final class Probe {
    @Mixin ConnectionOptions connection = new ConnectionOptions();
  }

  private ClientConfigProfile resolve(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.connection.resolve(env);
  }

  @Test
  void theProfileAppliesWhenNothingElseIsSet() {
    ClientConfigProfile profile = resolve();
    assertEquals("toml.example:7233", profile.getAddress());
    assertEquals("toml-ns", profile.getNamespace());
    assertEquals("toml-key", profile.getApiKey());
  }

  @Test
  void environmentVariablesOverrideTheProfile() {
    env.put("TEMPORAL_ADDRESS", "env.example:7233");
    env.put("TEMPORAL_NAMESPACE", "env-ns");
    ClientConfigProfile profile = resolve();
    assertEquals("env.example:7233", profile.getAddress());
    assertEquals("env-ns", profile.getNamespace());
  }

  @Test
  void flagsOverrideEnvironmentAndProfile() {
    env.put("TEMPORAL_ADDRESS", "env.example:7233");
    env.put("TEMPORAL_NAMESPACE", "env-ns");
    ClientConfigProfile profile =
        resolve("--address", "flag.example:7233", "--namespace", "flag-ns");
    assertEquals("flag.example:7233", profile.getAddress());
    assertEquals("flag-ns", profile.getNamespace());
    WorkflowServiceStubsOptions stubs = profile.toWorkflowServiceStubsOptions();
    assertEquals("flag.example:7233", stubs.getTarget());
    assertEquals("flag-ns", profile.toWorkflowClientOptions().getNamespace());
  }

  @Test
  void theProfileFlagOverridesTemporalProfile() {
    env.put("TEMPORAL_PROFILE", "default");
    ClientConfigProfile profile = resolve("--profile", "prod");
    assertEquals("prod.example:7233", profile.getAddress());
    assertEquals("prod-ns", profile.getNamespace());
    assertEquals("prod.tmprl.example", profile.getTls().getServerName());
  }

  @Test
  void theConfigFileFlagOverridesTemporalConfigFile() throws IOException {
    Path other = dir.resolve("other.toml");
    Files.writeString(other, "[profile.default]\naddress = \"other.example:7233\"\n");
    ClientConfigProfile profile = resolve("--config-file", other.toString());
    assertEquals("other.example:7233", profile.getAddress());
    assertEquals("default", profile.getNamespace());
  }

  @Test
  void defaultsFillWhatNothingSets() {
    env.put("TEMPORAL_CONFIG_FILE", dir.resolve("absent.toml").toString());
    ClientConfigProfile profile = resolve();
    assertEquals("127.0.0.1:7233", profile.getAddress());
    assertEquals("default", profile.getNamespace());
    assertNull(profile.getApiKey());
    assertFalse(profile.toWorkflowServiceStubsOptions().getEnableHttps());
  }

  @Test
  void anUnknownProfileIsBadInput() {
    InvalidConnectionSettings failure =
        assertThrows(InvalidConnectionSettings.class, () -> resolve("--profile", "nope"));
    assertTrue(failure.getMessage().contains("nope"), failure.getMessage());
  }

  @Test
  void anApiKeyFileOverridesTheEnvironmentAndTurnsTlsOn() throws IOException {
    env.put("TEMPORAL_API_KEY", "env-key");
    Path keyFile = dir.resolve("api-key");
    Files.writeString(keyFile, "file-key\n");
    ClientConfigProfile profile = resolve("--api-key-file", keyFile.toString());
    assertEquals("file-key", profile.getApiKey());
    assertTrue(profile.toWorkflowServiceStubsOptions().getEnableHttps());
  }

  @Test
  void problemsNameTheFlagButNeverTheKey() throws IOException {
    Path empty = dir.resolve("empty-key");
    Files.writeString(empty, "\n");
    InvalidConnectionSettings failure =
        assertThrows(
            InvalidConnectionSettings.class, () -> resolve("--api-key-file", empty.toString()));
    assertTrue(failure.getMessage().startsWith("--api-key-file"), failure.getMessage());
    failure =
        assertThrows(
            InvalidConnectionSettings.class,
            () -> resolve("--api-key-file", dir.resolve("missing").toString()));
    assertTrue(failure.getMessage().endsWith("no such file"), failure.getMessage());
    assertFalse(failure.getMessage().contains("toml-key"));
  }

  @Test
  void noTlsOverridesTemporalTls() {
    env.put("TEMPORAL_TLS", "true");
    assertFalse(resolve("--profile", "prod").getTls().isDisabled());
    assertTrue(resolve("--profile", "prod", "--no-tls").getTls().isDisabled());
  }

  /** The refusal's message, checked never to show the key. */
  private String refusal(String key, String... args) {
    InvalidConnectionSettings failure =
        assertThrows(InvalidConnectionSettings.class, () -> resolve(args));
    assertFalse(failure.getMessage().contains(key), failure.getMessage());
    assertEquals(1, failure.getMessage().lines().count(), failure.getMessage());
    return failure.getMessage();
  }

  @Test
  void anApiKeyWithTlsOffIsRefusedNamingWhereEachCameFrom() throws IOException {
    env.put("TEMPORAL_API_KEY", "env-key");
    assertEquals(
        "refusing to send the API key from TEMPORAL_API_KEY in clear text: TLS is off (--no-tls);"
            + " turn TLS on or remove the API key",
        refusal("env-key", "--profile", "prod", "--no-tls"));

    env.remove("TEMPORAL_API_KEY");
    env.put("TEMPORAL_TLS", "0");
    Path keyFile = dir.resolve("api-key");
    Files.writeString(keyFile, "file-key\n");
    assertEquals(
        "refusing to send the API key from --api-key-file "
            + keyFile
            + " in clear text: TLS is off (TEMPORAL_TLS=0); turn TLS on or remove the API key",
        refusal("file-key", "--profile", "prod", "--api-key-file", keyFile.toString()));

    env.remove("TEMPORAL_TLS");
    assertEquals(
        "refusing to send the API key from api_key of profile default in clear text: TLS is off"
            + " (--no-tls); turn TLS on or remove the API key",
        refusal("toml-key", "--no-tls"));
  }

  @Test
  void aProfileThatTurnsTlsOffIsNamed() throws IOException {
    Files.writeString(
        configFile,
        TOML
            + """

            [profile.local]
            address = "127.0.0.1:7233"
            api_key = "local-key"
            [profile.local.tls]
            disabled = true
            """);
    env.put("TEMPORAL_PROFILE", "local");
    assertEquals(
        "refusing to send the API key from api_key of profile local in clear text: TLS is off"
            + " (disabled = true in the tls of profile local); turn TLS on or remove the API key",
        refusal("local-key"));
  }

  @Test
  void anApiKeyOnLoopbackWithoutTlsIsRefusedToo() {
    env.put("TEMPORAL_API_KEY", "env-key");
    refusal("env-key", "--address", "127.0.0.1:7233", "--no-tls");
    refusal("env-key", "--address", "localhost:7233", "--no-tls");
  }

  @Test
  void anApiKeyWithTlsOnOrNoKeyWithoutTlsIsAccepted() {
    env.put("TEMPORAL_API_KEY", "env-key");
    env.put("TEMPORAL_TLS", "true");
    assertNotNull(resolve().toWorkflowServiceStubsOptions().getSslContext(), "TLS on");
    env.remove("TEMPORAL_API_KEY");
    assertFalse(
        resolve("--profile", "prod", "--no-tls").toWorkflowServiceStubsOptions().getEnableHttps());
  }

  @Test
  void aProfileBuiltElsewhereWithAKeyAndNoTlsCannotConnect() {
    ClientConfigProfile plaintextWithKey =
        ClientConfigProfile.newBuilder()
            .setAddress("127.0.0.1:7233")
            .setNamespace("default")
            .setApiKey("built-key")
            .setTls(io.temporal.envconfig.ClientConfigTLS.newBuilder().setDisabled(true).build())
            .build();
    InvalidConnectionSettings failure =
        assertThrows(
            InvalidConnectionSettings.class,
            () -> TemporalConnection.stubOptions(plaintextWithKey));
    assertTrue(
        failure.getMessage().startsWith("refusing to send the API key"), failure.getMessage());
    assertFalse(failure.getMessage().contains("built-key"));
  }

  @Test
  void aTlsFileFlagImpliesTls() throws IOException {
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, "not parsed here");
    env.put("TEMPORAL_TLS", "false");
    ClientConfigProfile profile = resolve("--tls-ca", ca.toString());
    assertFalse(profile.getTls().isDisabled());
    assertEquals(ca.toString(), profile.getTls().getServerCACertPath());
  }

  @Test
  void aClientCertificateNeedsItsKey() throws IOException {
    Path cert = dir.resolve("client.pem");
    Files.writeString(cert, "not parsed here");
    InvalidConnectionSettings failure =
        assertThrows(InvalidConnectionSettings.class, () -> resolve("--tls-cert", cert.toString()));
    assertTrue(failure.getMessage().contains("--tls-key"), failure.getMessage());
  }
}
