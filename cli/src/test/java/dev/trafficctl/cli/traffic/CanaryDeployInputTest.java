package dev.trafficctl.cli.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.Trafficctl;
import dev.trafficctl.workflows.control.ControlRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bad input to {@code deploy} is refused before anything is contacted: one line, exit 2. The
 * address points nowhere, so a test that reached Temporal would fail with exit 3 instead.
 */
class CanaryDeployInputTest {

  @TempDir Path dir;
  private Path catalog;
  private Path canary;

  @BeforeEach
  void documents() throws IOException {
    catalog = dir.resolve("trafficctl.yaml");
    Files.writeString(
        catalog,
        """
        services:
          api:
            environments:
              production:
                router: { type: file, file: { state_dir: routes } }
                versions:
                  v1: { servers: ["127.0.0.1:18081"] }
                  v2: { servers: ["127.0.0.1:18082"] }
        """);
    Files.createDirectories(dir.resolve("traffic"));
    canary = dir.resolve("traffic/canary.yaml");
    Files.writeString(
        canary,
        "canary:\n  api:\n    steps:\n      - { traffic_percent: 10, duration: 1m }\n"
            + "      - traffic_percent: 100\n");
  }

  private String deployError(String... extra) {
    String[] base = {
      "traffic", "canary", "deploy", "--catalog", catalog.toString(), "--address", "127.0.0.1:1"
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    CommandLine cli = Trafficctl.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    assertEquals(ExitCode.BAD_INPUT, cli.execute(args), err.toString());
    assertEquals("", out.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
    return err.toString().strip();
  }

  @Test
  void unknownService() {
    assertEquals(
        "trafficctl: " + catalog + ": services: no service \"web\" (catalog has: api)",
        deployError("web", "--env", "production", "--version", "v2"));
  }

  @Test
  void unknownEnvironment() {
    assertEquals(
        "trafficctl: "
            + catalog
            + ": services.api.environments: no environment \"staging\" (catalog has: production)",
        deployError("api", "--env", "staging", "--version", "v2"));
  }

  @Test
  void versionNotInTheCatalog() {
    assertEquals(
        "trafficctl: deploy: version: \"v9\" is not a version of api in production"
            + " (catalog has: v1, v2)",
        deployError("api", "--env", "production", "--version", "v9"));
  }

  @Test
  void canaryDocumentWithoutTheService() throws IOException {
    Path other = dir.resolve("other.yaml");
    Files.writeString(other, "canary:\n  web:\n    steps:\n      - traffic_percent: 100\n");
    assertEquals(
        "trafficctl: " + other + ": canary: no entry for service \"api\" (document has: web)",
        deployError("api", "--env", "production", "--version", "v2", "-f", other.toString()));
  }

  @Test
  void invalidCanaryDocument() throws IOException {
    Files.writeString(canary, "canary:\n  api:\n    steps:\n      - traffic_percent: 120\n");
    assertEquals(
        "trafficctl: "
            + canary
            + ":4:26: canary.api.steps[0].traffic_percent: 120 is not a percentage (0..100)",
        deployError("api", "--env", "production", "--version", "v2"));
  }

  @Test
  void missingCatalog() throws IOException {
    Files.delete(catalog);
    assertEquals(
        "trafficctl: "
            + catalog
            + ": no service catalog here (use --catalog FILE or TRAFFICCTL_CATALOG)",
        deployError("api", "--env", "production", "--version", "v2"));
  }

  @Test
  void aTimeoutBoundsOnlyAWait() {
    assertEquals(
        "trafficctl: --timeout: only with --wait",
        deployError("api", "--env", "production", "--version", "v2", "--timeout", "10m"));
    assertEquals(
        "trafficctl: --timeout: must be longer than 0",
        deployError("api", "--env", "production", "--version", "v2", "--wait", "--timeout", "0s"));
  }

  @Test
  void anUpdatesTimeoutMustBeLongerThanZero() {
    CommandLine cli = Trafficctl.newCommandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int code =
        cli.execute(
            "traffic",
            "canary",
            "pause",
            "api",
            "--env",
            "production",
            "--timeout",
            "0s",
            "--catalog",
            catalog.toString(),
            "--address",
            "127.0.0.1:1");
    assertEquals(ExitCode.BAD_INPUT, code, err.toString());
    assertEquals("trafficctl: --timeout: must be longer than 0\n", err.toString());
  }

  @Test
  void abortWithoutReasonIsRecordedAsSuch() {
    AbortCommand abort = AbortCommands.parsed("canary", "abort", "api", "--env", "production");
    assertEquals(new ControlRequest("alice", "no reason given"), abort.request("alice"));
  }
}
