package dev.trafficctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real trafficctl main in its own JVM, with an API key and TLS turned off: it must refuse in
 * one line with exit 2 before it opens any connection, since the key would travel in clear text. A
 * listening socket stands in for Temporal and must see no connection at all.
 */
class PlaintextApiKeyTest {

  private static final String KEY = "tk-plaintext-Zq8vR2kP0s";

  @TempDir Path dir;
  private ServerSocket temporal;

  @BeforeEach
  void listen() throws IOException {
    temporal = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void close() throws IOException {
    temporal.close();
  }

  private String address() {
    return "127.0.0.1:" + temporal.getLocalPort();
  }

  private record Run(int code, String err, String out) {}

  private Run trafficctl(Map<String, String> env, String... args) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            java.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Trafficctl.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectError(dir.resolve("err").toFile())
            .redirectOutput(dir.resolve("out").toFile());
    // Only the settings under test: none of this machine's Temporal settings.
    builder.environment().keySet().removeIf(name -> name.startsWith("TEMPORAL_"));
    builder.environment().put("TEMPORAL_CONFIG_FILE", dir.resolve("absent.toml").toString());
    builder.environment().putAll(env);
    Process process = builder.start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "trafficctl did not end");
    return new Run(
        process.exitValue(),
        Files.readString(dir.resolve("err"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("out"), StandardCharsets.UTF_8));
  }

  /** Whether anything connected to the stand-in for Temporal. */
  private boolean contacted() throws IOException {
    temporal.setSoTimeout(200);
    try (var ignored = temporal.accept()) {
      return true;
    } catch (SocketTimeoutException none) {
      return false;
    }
  }

  private void assertRefused(Run run, String keySource, String tlsOff) throws IOException {
    assertEquals(ExitCode.BAD_INPUT, run.code(), run.err());
    assertEquals(
        "trafficctl: refusing to send the API key from "
            + keySource
            + " in clear text: TLS is off ("
            + tlsOff
            + "); turn TLS on or remove the API key",
        run.err().strip());
    assertFalse(run.err().contains(KEY) || run.out().contains(KEY), "the key is never shown");
    assertFalse(contacted(), "a connection was opened, the key sent");
  }

  @Test
  void anApiKeyFromTheEnvironmentWithNoTlsIsRefused() throws Exception {
    Run run =
        trafficctl(
            Map.of("TEMPORAL_API_KEY", KEY), "traffic", "list", "--address", address(), "--no-tls");

    assertRefused(run, "TEMPORAL_API_KEY", "--no-tls");
  }

  @Test
  void anApiKeyFileWithTemporalTlsFalseIsRefused() throws Exception {
    Path keyFile = dir.resolve("api-key");
    Files.writeString(keyFile, KEY + "\n");

    Run run =
        trafficctl(
            Map.of("TEMPORAL_TLS", "false"),
            "traffic",
            "list",
            "--address",
            address(),
            "--api-key-file",
            keyFile.toString());

    assertRefused(run, "--api-key-file " + keyFile, "TEMPORAL_TLS=false");
  }
}
