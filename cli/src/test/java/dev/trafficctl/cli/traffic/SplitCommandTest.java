package dev.trafficctl.cli.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.Trafficctl;
import dev.trafficctl.workflows.analysis.AnalysisCriteria;
import dev.trafficctl.workflows.canary.CanaryWorkflow;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.splitting.MigrationInput;
import dev.trafficctl.workflows.splitting.OnBreach;
import dev.trafficctl.workflows.splitting.SplitInput;
import dev.trafficctl.workflows.splitting.TrafficMigrationWorkflow;
import dev.trafficctl.workflows.splitting.TrafficSplitWorkflow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@code trafficctl traffic split} and {@code trafficctl traffic migration}: weights and migration
 * flags are checked before anything is contacted (one line naming the option, exit 2), and reach
 * the workflow's input as given. The address points nowhere, so a test that reached Temporal would
 * end with exit 3 instead.
 */
class SplitCommandTest {

  @TempDir Path dir;
  private Path catalog;

  @BeforeEach
  void catalog() throws IOException {
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
                  v2: { servers: ["127.0.0.1:18083"] }
                  v3.1: { servers: ["127.0.0.1:18085"] }
                metrics: { provider: nginx-log, access_log: access.json }
              staging:
                router: { type: file, file: { state_dir: routes } }
                versions:
                  v1: { servers: ["127.0.0.1:28081"] }
                  v2: { servers: ["127.0.0.1:28083"] }
        """);
  }

  private String[] args(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "traffic", "split", "--catalog", catalog.toString(), "--address", "127.0.0.1:1"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /** Runs {@code split} with {@code extra}, expecting exit 2, one line on stderr and no stdout. */
  private String badInput(String... extra) {
    CommandLine cli = Trafficctl.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    assertEquals(ExitCode.BAD_INPUT, cli.execute(args(extra)), err.toString());
    assertEquals("", out.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
    return err.toString().strip();
  }

  private SplitCommand parsed(String... extra) {
    ParseResult result = Trafficctl.newCommandLine().parseArgs(args(extra));
    while (result.hasSubcommand()) {
      result = result.subcommand();
    }
    return (SplitCommand) result.commandSpec().userObject();
  }

  @Test
  void helpListsSplitAndMigrationCommands() {
    CommandLine cli = Trafficctl.newCommandLine();
    StringWriter traffic = new StringWriter();
    cli.setOut(new PrintWriter(traffic));
    assertEquals(0, cli.execute("traffic", "--help"));
    for (String group : List.of("split", "migration")) {
      assertTrue(traffic.toString().contains("\n  " + group + " "), group + ":\n" + traffic);
    }
    StringWriter migration = new StringWriter();
    cli.setOut(new PrintWriter(migration));
    assertEquals(0, cli.execute("traffic", "migration", "--help"));
    for (String sub : List.of("status", "pause", "resume", "abort")) {
      assertTrue(migration.toString().contains("\n  " + sub + " "), sub + ":\n" + migration);
    }
    StringWriter split = new StringWriter();
    cli.setOut(new PrintWriter(split));
    assertEquals(0, cli.execute("traffic", "split", "--help"));
    for (String option : List.of("--VERSION=PERCENT", "--migrate", "--on-breach", "--wait")) {
      assertTrue(split.toString().contains(option), option + ":\n" + split);
    }
  }

  @Test
  void weightsAreReadInTheOrderGivenWithOrWithoutEquals() {
    assertEquals(
        List.of(Map.entry("v2", 20), Map.entry("v1", 80)),
        List.copyOf(SplitInputs.weights(List.of("--v2=20", "--v1", "80")).entrySet()));
    assertEquals(Map.of(), SplitInputs.weights(List.of()));
  }

  @Test
  void aSplitWithoutRulesLeavesThoseInForceAndNoRulesRemovesThem() {
    assertNull(parsed("api", "--env", "production", "--v1=80", "--v2=20").plannedSplit().rules());
    SplitInput removing = parsed("api", "--env", "production", "--no-rules").plannedSplit();
    assertEquals(RoutingRules.NONE, removing.rules());
    assertEquals(Map.of(), removing.weights(), "the weights in force stay");
    assertEquals(
        "trafficctl: --sticky: not with --no-rules", badInput("api", "--no-rules", "--sticky"));
  }

  @Test
  void weightsReachTheSplitInput() {
    SplitCommand command = parsed("api", "--env", "production", "--v3.1=25", "--v1=75");
    SplitInput input = command.splitInput(command.weights());
    assertEquals("api", input.service());
    assertEquals("production", input.env());
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("v3.1", 25);
    expected.put("v1", 75);
    assertEquals(List.copyOf(expected.entrySet()), List.copyOf(input.weights().entrySet()));
    assertEquals(
        "v3.1 25%, v1 75%",
        dev.trafficctl.workflows.splitting.SplitWeights.describe(input.weights()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--v1=80 --v9=20 | --v9 is not a version of api in production (catalog has: v1, v2, v3.1)",
        "--v1=80 --v2=x | --v2: \"x\" is not a whole percentage (0..100)",
        "--v1=80 --v2=2.5 | --v2: \"2.5\" is not a whole percentage (0..100)",
        "--v1=80 --v2= | --v2: \"\" is not a whole percentage (0..100)",
        "--v1=80 --v2=10 | --v1, --v2: weights add up to 90, they must add up to 100 (v1=80, v2=10)",
        "--v1=70 --v2=20 --v3.1=20 | --v1, --v2, --v3.1: weights add up to 110, they must add up to"
            + " 100 (v1=70, v2=20, v3.1=20)",
        "--v1=120 --v2=-20 | --v1: 120 is not a percentage (0..100)",
        "--v1=50 --v1=50 | --v1: given twice",
        "--v1=80 --v2 | --v2: no percentage; weights are written --VERSION=PERCENT, e.g. --v2=20",
        "--v1=80 -x=20 | -x=20: unknown option; weights are written --VERSION=PERCENT, e.g. --v1=80"
            + " --v2=20",
        "--v1=100 extra | \"extra\": unexpected argument; weights are written --VERSION=PERCENT, e.g."
            + " --v1=80 --v2=20",
        "--v1=80 --v2=20 --rate 10 | --rate: only with --migrate (a split is written"
            + " --VERSION=PERCENT, e.g. --v1=80 --v2=20)",
      })
  void badWeightsAreOneLineNamingTheOption(String weights, String line) {
    List<String> extra = new ArrayList<>(List.of("api", "--env", "production"));
    extra.addAll(List.of(weights.split(" ")));
    assertEquals("trafficctl: " + line, badInput(extra.toArray(String[]::new)));
  }

  @Test
  void fromAndToWithPercentsWithoutMigrateAreASplitOfThoseWeights() {
    SplitInput input =
        parsed("api", "--env", "production", "--from", "v1=100", "--to", "v2=0").plannedSplit();
    assertEquals(Map.of("v1", 100, "v2", 0), input.weights());
    assertEquals(
        "trafficctl: --v1, --v2: weights add up to 80, they must add up to 100 (v1=60, v2=20)",
        badInput("api", "--env", "production", "--from", "v1=60", "--to", "v2=20"));
    assertEquals(
        "trafficctl: --v1: 120 is not a percentage (0..100)",
        badInput("api", "--env", "production", "--from", "v1=120", "--to", "v2=0"));
  }

  @Test
  void weightsAreCheckedAgainstTheChosenEnvironment() {
    assertEquals(
        "trafficctl: --v3.1 is not a version of api in staging (catalog has: v1, v2)",
        badInput("api", "--env", "staging", "--v1=50", "--v3.1=50"));
  }

  private static final String[] MIGRATION = {
    "api",
    "--env",
    "production",
    "--migrate",
    "--from",
    "v1",
    "--to",
    "v2",
    "--rate",
    "10",
    "--interval",
    "2m"
  };

  private String[] migration(String... extra) {
    List<String> args = new ArrayList<>(List.of(MIGRATION));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /** {@code MIGRATION} with {@code option}'s value replaced. */
  private String[] migrationWith(String option, String value) {
    List<String> args = new ArrayList<>(List.of(MIGRATION));
    args.set(args.indexOf(option) + 1, value);
    return args.toArray(String[]::new);
  }

  @Test
  void migrationFlagsReachTheInput() {
    MigrationInput input = parsed(migration("--on-breach", "source")).migrationInput();
    assertEquals("v1", input.from());
    assertEquals("v2", input.to());
    assertEquals(10, input.rate());
    assertEquals(Duration.ofMinutes(2), input.interval());
    assertEquals(OnBreach.SOURCE, input.onBreach());
    assertNull(input.criteria(), "without --max-error-rate the migration moves on time alone");
    assertEquals(OnBreach.LAST_GOOD, parsed(MIGRATION).migrationInput().onBreach());
  }

  @Test
  void maxErrorRateJudgesTheDestinationWithDefaults() {
    AnalysisCriteria c = parsed(migration("--max-error-rate", "1.5")).migrationInput().criteria();
    assertEquals(
        new AnalysisCriteria(null, null, 1.5, Duration.ofMinutes(1), null, 95.0, null, 50L), c);
    AnalysisCriteria set =
        parsed(migration("--max-error-rate", "2", "--window", "5m", "--min-requests", "200"))
            .migrationInput()
            .criteria();
    assertEquals(
        new AnalysisCriteria(null, null, 2.0, Duration.ofMinutes(5), null, 95.0, null, 200L), set);
  }

  @Test
  void theSpecsFromToWithWeightsNamesTheVersions() {
    MigrationInput input =
        parsed(migrationWith("--from", "v1=100")).migrationInput(); // and --to v2 as usual
    assertEquals("v1", input.from());
    MigrationInput both =
        parsed(
                "api",
                "--env",
                "production",
                "--migrate",
                "--from",
                "v1=100",
                "--to",
                "v2=0",
                "--rate",
                "5",
                "--interval",
                "30s")
            .migrationInput();
    assertEquals(List.of("v1", "v2", 5), List.of(both.from(), both.to(), both.rate()));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--rate | 0 | --rate: 0 is out of range (1..100)",
        "--rate | 101 | --rate: 101 is out of range (1..100)",
        "--to | v1 | --to is the same version as from",
        "--to | v9 | --to: \"v9\" is not a version of api in production (catalog has: v1, v2,"
            + " v3.1)",
        "--from | v1=x | --from: \"v1=x\" is not a version (or VERSION=PERCENT, e.g. v1=100)",
        "--interval | 0s | --interval: \"0s\" must be longer than 0s",
      })
  void badMigrationFlagsAreOneLine(String option, String value, String line) {
    assertEquals("trafficctl: " + line, badInput(migrationWith(option, value)));
  }

  @Test
  void badDurationIsOneLine() {
    assertEquals(
        "trafficctl: Invalid value for option '--interval': \"2x\" is not a duration (500ms, 30s,"
            + " 5m, 1h, 14d) (see 'trafficctl traffic split --help')",
        badInput(migrationWith("--interval", "2x")));
    assertEquals(
        "trafficctl: Invalid value for option '--window': \"soon\" is not a duration (500ms, 30s,"
            + " 5m, 1h, 14d) (see 'trafficctl traffic split --help')",
        badInput(migration("--max-error-rate", "1", "--window", "soon")));
  }

  @Test
  void unknownOnBreachIsOneLine() {
    assertEquals(
        "trafficctl: --on-breach: \"rollback\" is not one of last_good, source",
        badInput(migration("--on-breach", "rollback")));
  }

  @Test
  void migrationStartTakesTheSameOptionsAsSplitMigrate() {
    CommandLine cli = Trafficctl.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code =
        cli.execute(
            "traffic",
            "migration",
            "start",
            "api",
            "--catalog",
            catalog.toString(),
            "--address",
            "127.0.0.1:1",
            "--env",
            "production",
            "--from",
            "v1",
            "--to",
            "v2");
    assertEquals(ExitCode.BAD_INPUT, code, err.toString());
    assertEquals("trafficctl: start needs --rate, --interval", err.toString().strip());
    assertEquals("", out.toString());
  }

  @Test
  void incompleteOrMixedMigrationsAreOneLine() {
    assertEquals(
        "trafficctl: --migrate needs --rate, --interval",
        badInput("api", "--env", "production", "--migrate", "--from", "v1", "--to", "v2"));
    assertEquals(
        "trafficctl: --v1=50: --migrate moves traffic from --from to --to; it takes no"
            + " --VERSION=PERCENT weights",
        badInput(migration("--v1=50")));
    assertEquals(
        "trafficctl: --window: only with --max-error-rate (without it the migration moves on"
            + " time alone)",
        badInput(migration("--window", "5m")));
    assertEquals(
        "trafficctl: --max-error-rate: 120.0 is not a percentage (0..100)",
        badInput(migration("--max-error-rate", "120")));
  }

  @Test
  void maxErrorRateNeedsMetricsInTheCatalog() {
    assertEquals(
        "trafficctl: --max-error-rate: the migration is judged on metrics, so the catalog entry"
            + " needs a metrics source",
        badInput(
            "api",
            "--env",
            "staging",
            "--migrate",
            "--from",
            "v1",
            "--to",
            "v2",
            "--rate",
            "10",
            "--interval",
            "2m",
            "--max-error-rate",
            "1"));
  }

  @Test
  void migrationAbortWithoutReasonIsRecordedAsSuch() {
    AbortCommand abort = AbortCommands.parsed("migration", "abort", "api", "--env", "production");
    assertEquals(new ControlRequest("carol", "no reason given"), abort.request("carol"));
  }

  @Test
  void migrationControlsGoOnlyToAMigration() {
    Map<String, Set<String>> commands =
        Map.of(
            "canary", Set.of("deploy", "status", "promote", "pause", "resume", "abort"),
            "migration", Set.of("status", "pause", "resume", "abort"));
    assertEquals(
        Optional.of(
            "production.api is a canary, not a migration: use trafficctl traffic canary pause"),
        ControlCommand.refusal(
            "production.api",
            TrafficMigrationWorkflow.TYPE,
            "pause",
            Optional.of(CanaryWorkflow.TYPE),
            (g, c) -> commands.getOrDefault(g, Set.of()).contains(c)));
    assertEquals(
        Optional.of(
            "production.api is a migration, not a canary: use trafficctl traffic migration abort"),
        ControlCommand.refusal(
            "production.api",
            CanaryWorkflow.TYPE,
            "abort",
            Optional.of(TrafficMigrationWorkflow.TYPE),
            (g, c) -> commands.getOrDefault(g, Set.of()).contains(c)));
    assertEquals(
        Optional.of("production.api is a split, not a migration; abort it or wait for it to end"),
        ControlCommand.refusal(
            "production.api",
            TrafficMigrationWorkflow.TYPE,
            "pause",
            Optional.of(TrafficSplitWorkflow.TYPE),
            (g, c) -> true));
    assertEquals(
        Optional.empty(),
        ControlCommand.refusal(
            "production.api",
            TrafficMigrationWorkflow.TYPE,
            "pause",
            Optional.of(TrafficMigrationWorkflow.TYPE),
            (g, c) -> true));
  }

  @Test
  void aValidSplitGoesOnToTemporal() {
    CommandLine cli = Trafficctl.newCommandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    assertEquals(
        ExitCode.UNREACHABLE,
        cli.execute(args("api", "--env", "production", "--v1=80", "--v2=20")),
        err.toString());
    assertTrue(err.toString().contains("cannot reach Temporal"), err.toString());
  }

  @Test
  void onBreachAcceptsBothSpellings() {
    assertEquals(OnBreach.LAST_GOOD, MigrationOptions.onBreach("last-good"));
    assertEquals(OnBreach.SOURCE, MigrationOptions.onBreach("SOURCE"));
    assertEquals(
        ExitCode.BAD_INPUT,
        assertThrows(CommandFailure.class, () -> MigrationOptions.onBreach("back")).exitCode());
  }

  @Test
  void headerRegionStickyAndFeatureFlagOptionsBecomeRules() {
    SplitInput header =
        parsed("api", "--env", "production", "--header", "X-User-Type", "--v1=70", "--v2=30")
            .plannedSplit();
    assertEquals(Map.of("v1", 70, "v2", 30), header.weights());
    assertEquals(
        List.of(new RoutingRules.MatchRule("header", "X-User-Type", List.of("v1", "v2"))),
        header.rules().matches());

    SplitInput flagged =
        parsed(
                "api",
                "--env",
                "production",
                "--sticky",
                "--feature-flag",
                "new_ui",
                "--enabled=25",
                "--disabled=75")
            .plannedSplit();
    assertTrue(flagged.weights().isEmpty(), "a flag alone keeps the weights in force");
    assertEquals("trafficctl_version", flagged.rules().stickyCookie());
    assertEquals(25, flagged.rules().featureFlag().enabledPercent());
    assertEquals("X-Feature-New-Ui", flagged.rules().featureFlag().header());

    assertNull(parsed("api", "--env", "production").plannedSplit(), "no options: show");
    assertEquals(
        "session",
        parsed(
                "api",
                "--env",
                "production",
                "--feature-flag",
                "new_ui",
                "--client-cookie",
                "session",
                "--enabled=25",
                "--disabled=75")
            .plannedSplit()
            .rules()
            .featureFlag()
            .clientCookie());
  }

  @Test
  void badRuleOptionsAreOneLine() {
    CommandFailure flag =
        assertThrows(
            CommandFailure.class,
            () ->
                parsed(
                        "api",
                        "--env",
                        "production",
                        "--feature-flag",
                        "x",
                        "--enabled=25",
                        "--disabled=70")
                    .plannedSplit());
    assertEquals(ExitCode.BAD_INPUT, flag.exitCode());
    assertTrue(
        flag.getMessage().startsWith("--enabled, --disabled: must add up to 100"),
        flag.getMessage());
    CommandFailure pool =
        assertThrows(
            CommandFailure.class,
            () ->
                parsed("api", "--env", "production", "--header", "X-Tier", "--gold=50", "--v1=50")
                    .plannedSplit());
    assertTrue(pool.getMessage().contains("gold"), pool.getMessage());
    CommandFailure withMigrate =
        assertThrows(CommandFailure.class, () -> parsed(migration("--sticky")).migrationInput());
    assertTrue(
        withMigrate.getMessage().startsWith("--sticky: not with --migrate"),
        withMigrate.getMessage());
  }

  @Test
  void theRulesInForceReadAsOneLine() {
    assertEquals("", SplitCommand.rulesLine(RoutingRules.NONE));
    assertEquals(
        "; X-User-Type names: v1, v2; sticky (cookie trafficctl_version); feature flag new_ui 25%"
            + " (X-Feature-New-Ui)",
        SplitCommand.rulesLine(
            new RoutingRules(
                List.of(new RoutingRules.MatchRule("header", "X-User-Type", List.of("v1", "v2"))),
                "trafficctl_version",
                new RoutingRules.FeatureFlag(
                    "new_ui", 25, "trafficctl_client", "X-Feature-New-Ui"))));
  }

  @Test
  void adjustWeightsReachesACapacityInput() {
    SplitInput input =
        parsed(
                "api",
                "--env",
                "production",
                "--adjust-weights",
                "--target-utilization",
                "70",
                "--window",
                "2m",
                "--dry-run")
            .capacityInput();
    assertEquals(70, input.capacity().targetUtilization());
    assertEquals(java.time.Duration.ofMinutes(2), input.capacity().window());
    assertTrue(input.capacity().dryRun());
    assertEquals(Map.of(), input.weights());
    assertEquals(
        dev.trafficctl.workflows.splitting.CapacityPlan.DEFAULT_WINDOW,
        parsed("api", "--env", "production", "--adjust-weights", "--target-utilization", "70")
            .capacityInput()
            .capacity()
            .window());
  }

  @Test
  void badAdjustWeightsFlagsAreOneLine() {
    assertEquals(
        "trafficctl: --adjust-weights needs --target-utilization",
        badInput("api", "--env", "production", "--adjust-weights"));
    for (String target : List.of("0", "101")) {
      assertEquals(
          "trafficctl: --target-utilization: " + target + " is not a percentage (1..100)",
          badInput(
              "api", "--env", "production", "--adjust-weights", "--target-utilization", target));
    }
    assertTrue(
        badInput(
                "api",
                "--env",
                "production",
                "--adjust-weights",
                "--target-utilization",
                "70",
                "--migrate")
            .startsWith("trafficctl: --migrate: not with --adjust-weights"));
    assertTrue(
        badInput(
                "api",
                "--env",
                "production",
                "--adjust-weights",
                "--target-utilization",
                "70",
                "--v1=80",
                "--v2=20")
            .startsWith("trafficctl: --v1=80: not with --adjust-weights"));
    assertEquals(
        "trafficctl: --target-utilization: only with --adjust-weights",
        badInput("api", "--env", "production", "--target-utilization", "70", "--v1=100"));
    assertEquals(
        "trafficctl: --dry-run: only with --adjust-weights",
        badInput("api", "--env", "production", "--dry-run"));
    assertEquals("trafficctl: --timeout: only with --wait", badInput(migration("--timeout", "1h")));
    assertEquals(
        "trafficctl: --timeout: must be longer than 0",
        badInput("api", "--env", "production", "--v1=80", "--v2=20", "--timeout", "0s"));
    assertTrue(
        badInput("api", "--env", "staging", "--adjust-weights", "--target-utilization", "70")
            .contains("needs a metrics source"));
  }

  @Test
  void aPlanLineNamesServerUtilizationAndWeights() {
    assertEquals(
        "127.0.0.1:18081 v1  util 92.0%  weight 3 -> 2",
        CapacityOptions.line(
            new dev.trafficctl.workflows.splitting.ServerAdjustment(
                "v1", "127.0.0.1:18081", 92.0, 3, 2)));
    assertEquals(
        "127.0.0.1:18083 v2  util -  weight 1 -> 1",
        CapacityOptions.line(
            new dev.trafficctl.workflows.splitting.ServerAdjustment(
                "v2", "127.0.0.1:18083", null, 1, 1)));
  }
}
