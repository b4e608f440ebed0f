package dev.trafficctl.cli.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.Trafficctl;
import dev.trafficctl.config.catalog.VersionPool;
import dev.trafficctl.testing.RolloutStatuses;
import dev.trafficctl.workflows.bluegreen.BlueGreenInput;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@code trafficctl traffic blue-green}: bad input is refused before anything is contacted (one
 * line, exit 2), and the options reach the rollout's input. The address points nowhere, so a test
 * that reached Temporal would fail with exit 3 instead.
 */
class BlueGreenCommandTest {

  @TempDir Path dir;
  private Path catalog;
  private Path blueGreen;

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
                  blue: { servers: ["127.0.0.1:18081", "127.0.0.1:18082"] }
                  green: { servers: ["127.0.0.1:18083", "127.0.0.1:18084"] }
        """);
    Files.createDirectories(dir.resolve("traffic"));
    blueGreen = dir.resolve("traffic/blue-green.yaml");
    Files.writeString(
        blueGreen,
        """
        blue_green:
          api:
            environments:
              blue: { weight: 100, instances: 2 }
              green: { weight: 0, instances: 2 }
        """);
  }

  private String[] args(String command, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "traffic",
                "blue-green",
                command,
                "--catalog",
                catalog.toString(),
                "--address",
                "127.0.0.1:1"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private String badInput(String command, String... extra) {
    CommandLine cli = Trafficctl.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    assertEquals(ExitCode.BAD_INPUT, cli.execute(args(command, extra)), err.toString());
    assertEquals("", out.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
    return err.toString().strip();
  }

  /** The command object picocli fills in from {@code args}, without running it. */
  private <T> T parsed(Class<T> type, String command, String... extra) {
    ParseResult result = Trafficctl.newCommandLine().parseArgs(args(command, extra));
    while (result.hasSubcommand()) {
      result = result.subcommand();
    }
    return type.cast(result.commandSpec().userObject());
  }

  @Test
  void helpListsEverySubcommand() {
    CommandLine cli = Trafficctl.newCommandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("traffic", "blue-green", "--help"));
    for (String sub :
        List.of("deploy", "status", "promote", "switch-to-blue", "rollback", "switch", "abort")) {
      assertTrue(out.toString().contains("\n  " + sub + " "), sub + " missing:\n" + out);
    }
    StringWriter traffic = new StringWriter();
    cli.setOut(new PrintWriter(traffic));
    assertEquals(0, cli.execute("traffic", "--help"));
    assertTrue(traffic.toString().contains("blue-green"), traffic.toString());
  }

  @Test
  void switchToSomethingThatIsNotAColor() {
    assertEquals(
        "trafficctl: --to: \"red\" is not a color (blue, green)",
        badInput("switch", "api", "--env", "production", "--from", "blue", "--to", "red"));
    assertEquals(
        "trafficctl: --from: \"Blue\" is not a color (blue, green)",
        badInput("switch", "api", "--env", "production", "--from", "Blue", "--to", "green"));
  }

  @Test
  void switchToTheSameColor() {
    assertEquals(
        "trafficctl: --from and --to are both green: nothing to switch",
        badInput("switch", "api", "--env", "production", "--from", "green", "--to", "green"));
  }

  @Test
  void documentWithoutTheService() throws IOException {
    Path other = dir.resolve("other.yaml");
    Files.writeString(
        other,
        """
        blue_green:
          web:
            environments:
              blue: { weight: 100, instances: 1 }
              green: { weight: 0, instances: 1 }
        """);
    assertEquals(
        "trafficctl: " + other + ": blue_green: no entry for service \"api\" (document has: web)",
        badInput("deploy", "api", "--env", "production", "-f", other.toString()));
  }

  @Test
  void missingDocument() throws IOException {
    Files.delete(blueGreen);
    assertEquals(
        "trafficctl: "
            + blueGreen
            + ": no such file (the blue-green document is looked for beside the catalog; name"
            + " another with -f FILE)",
        badInput("deploy", "api", "--env", "production"));
  }

  @Test
  void aDocumentNamedWithFThatIsNoFileSaysSoInOneLine() throws IOException {
    Path missing = dir.resolve("nope.yaml");
    assertEquals(
        "trafficctl: " + missing + ": no such file",
        badInput("deploy", "api", "--env", "production", "-f", missing.toString()));
    assertEquals(
        "trafficctl: " + dir + ": is a directory",
        badInput("deploy", "api", "--env", "production", "-f", dir.toString()));
  }

  @Test
  void instancesDisagreeWithTheCatalogsServers() throws IOException {
    Files.writeString(
        blueGreen,
        """
        blue_green:
          api:
            environments:
              blue: { weight: 100, instances: 2 }
              green: { weight: 0, instances: 3 }
        """);
    assertEquals(
        "trafficctl: "
            + blueGreen
            + ": blue_green.api.environments.green.instances: 3 instances, but the catalog's"
            + " green servers list 2 (one address per instance)",
        badInput("deploy", "api", "--env", "production"));
  }

  @Test
  void colorWithoutAddressesAnywhere() throws IOException {
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
        """);
    assertEquals(
        "trafficctl: "
            + blueGreen
            + ": blue_green.api.environments.blue: no addresses: list them beside instances, or"
            + " give the catalog a version named blue",
        badInput("deploy", "api", "--env", "production"));
  }

  @Test
  void unknownEnvironment() {
    assertEquals(
        "trafficctl: "
            + catalog
            + ": services.api.environments: no environment \"staging\" (catalog has: production)",
        badInput("deploy", "api", "--env", "staging"));
  }

  @Test
  void healthThresholdOutOfRange() {
    String line = badInput("deploy", "api", "--env", "production", "--health-threshold", "140");
    assertTrue(line.startsWith("trafficctl: deploy: options.health_threshold: 140"), line);
  }

  @Test
  void monitorDurationNotInTheDocumentsNotation() {
    String line = badInput("deploy", "api", "--env", "production", "--monitor-duration", "10x");
    assertTrue(line.contains("\"10x\" is not a duration (500ms, 30s, 5m, 1h, 14d)"), line);
  }

  @Test
  void aTimeoutBoundsOnlyAWait() {
    assertEquals(
        "trafficctl: --timeout: only with --wait",
        badInput("deploy", "api", "--env", "production", "--timeout", "1h"));
  }

  @Test
  void abortWithoutReasonIsRecordedAsSuch() {
    AbortCommand abort = AbortCommands.parsed("blue-green", "abort", "api", "--env", "production");
    assertEquals(new ControlRequest("bob", "no reason given"), abort.request("bob"));
    AbortCommand given =
        AbortCommands.parsed("blue-green", "abort", "api", "--reason", "green is slow");
    assertEquals(new ControlRequest("bob", "green is slow"), given.request("bob"));
  }

  @Test
  void deployInputCarriesTheOptions() {
    BlueGreenInput input =
        parsed(
                BlueGreenDeployCommand.class,
                "deploy",
                "api",
                "--env",
                "production",
                "--auto-promote",
                "--health-threshold",
                "95",
                "--monitor-duration",
                "600s",
                "--gradual",
                "--version",
                "v2",
                "--by",
                "alice")
            .input();
    assertEquals("api", input.service());
    assertEquals("production", input.env());
    assertEquals("alice", input.requestedBy());
    assertTrue(input.options().autoPromote());
    assertEquals(95.0, input.options().healthThreshold());
    assertEquals(Duration.ofMinutes(10), input.options().monitorDuration());
    assertTrue(input.options().gradual());
    assertEquals("v2", input.options().version());
    assertNull(input.options().switchTo());
    assertEquals(
        Map.of(
            "blue", new VersionPool(List.of("127.0.0.1:18081", "127.0.0.1:18082")),
            "green", new VersionPool(List.of("127.0.0.1:18083", "127.0.0.1:18084"))),
        input.target().versions());
  }

  @Test
  void deployWithoutFlagsLeavesTheDocumentInCharge() {
    BlueGreenInput input =
        parsed(BlueGreenDeployCommand.class, "deploy", "api", "--env", "production").input();
    assertNull(input.options().autoPromote());
    assertNull(input.options().monitorDuration());
    assertFalse(input.options().gradual());
    assertEquals(100.0, input.options().healthThreshold());
  }

  @Test
  void documentAddressesWinOverTheCatalog() throws IOException {
    Files.writeString(
        blueGreen,
        """
        blue_green:
          api:
            environments:
              blue: { weight: 100, instances: 1, addresses: ["127.0.0.1:19001"] }
              green: { weight: 0, instances: 1, addresses: ["127.0.0.1:19002"] }
        """);
    BlueGreenInput input =
        parsed(BlueGreenDeployCommand.class, "deploy", "api", "--env", "production").input();
    assertEquals(List.of("127.0.0.1:19002"), input.target().versions().get("green").servers());
  }

  @Test
  void manualSwitchStartsInSwitchMode() {
    BlueGreenSwitchCommand command =
        parsed(
            BlueGreenSwitchCommand.class,
            "switch",
            "api",
            "--env",
            "production",
            "--from",
            "blue",
            "--to",
            "green",
            "--gradual");
    command.checkColors();
    BlueGreenInput input = command.input();
    assertEquals("green", input.options().switchTo());
    assertTrue(input.options().autoPromote());
    assertTrue(input.options().gradual());
  }

  @Test
  void waitSettlesAtTheCleanupStageOnly() {
    assertTrue(BlueGreenDeployCommand.settled(status(Phase.PROGRESSING, 4, 4)));
    assertFalse(BlueGreenDeployCommand.settled(status(Phase.PROGRESSING, 3, 4)));
    assertFalse(BlueGreenDeployCommand.settled(status(Phase.PAUSED, 4, 4)));
    assertFalse(BlueGreenDeployCommand.settled(status(Phase.PROGRESSING, 0, 0)));
  }

  private static RolloutStatus status(Phase phase, int step, int total) {
    return RolloutStatuses.blueGreen()
        .phase(phase)
        .message("")
        .step(step)
        .totalSteps(total)
        .weight(100)
        .phaseSince(Instant.now())
        .updatedAt(Instant.now())
        .build();
  }
}
