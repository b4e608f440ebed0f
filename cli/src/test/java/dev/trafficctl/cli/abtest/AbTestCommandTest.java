package dev.trafficctl.cli.abtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.Trafficctl;
import dev.trafficctl.config.abtest.Targeting;
import dev.trafficctl.workflows.abtest.AbTestInput;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults.Comparison;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults.MetricResult;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults.VariantResult;
import dev.trafficctl.workflows.analysis.abtest.stats.Verdict;
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
 * {@code trafficctl ab-test}: the test's input is built from its document and flags and checked
 * before anything is contacted (one line, exit 2); the address points nowhere, so a command that
 * reached Temporal would end with exit 3 instead.
 */
class AbTestCommandTest {

  @TempDir Path dir;
  private Path catalog;

  @BeforeEach
  void catalog() throws IOException {
    catalog = dir.resolve("trafficctl.yaml");
    Files.writeString(
        catalog,
        """
        services:
          frontend:
            environments:
              production:
                router: { type: file, file: { state_dir: routes } }
                versions:
                  v1.0: { servers: ["127.0.0.1:18081"] }
                  v2.0: { servers: ["127.0.0.1:18083"] }
                metrics: { provider: prometheus, address: "http://127.0.0.1:9090" }
        """);
    Files.createDirectories(dir.resolve("ab-tests"));
    Files.writeString(
        dir.resolve("ab-tests/new-ui.yaml"),
        """
        ab_test:
          name: "new-ui"
          service: "frontend"
          variants:
            A: { weight: 50, config: { ui_version: "v1.0", feature_flags: { new_ui: false } } }
            B: { weight: 50, config: { ui_version: "v2.0", feature_flags: { new_ui: true } } }
          targeting: { header: "X-User-Segment", segments: ["premium", "standard"] }
          duration: "14d"
          minimum_sample_size: 1000
          success_metrics:
            - { name: "conversion_rate", threshold: 0.05 }
            - { name: "bounce_rate", threshold: -0.02 }
          monitoring: { statistical_significance: 0.95, power: 0.80 }
        """);
  }

  private String[] args(String... command) {
    List<String> args = new ArrayList<>(List.of("ab-test"));
    args.addAll(List.of(command));
    args.addAll(List.of("--address", "127.0.0.1:1"));
    if (command[0].equals("create")) {
      args.addAll(List.of("--catalog", catalog.toString(), "--env", "production"));
    }
    return args.toArray(String[]::new);
  }

  private AbTestInput created(String... extra) {
    List<String> command = new ArrayList<>(List.of("create"));
    command.addAll(List.of(extra));
    ParseResult result =
        Trafficctl.newCommandLine().parseArgs(args(command.toArray(String[]::new)));
    while (result.hasSubcommand()) {
      result = result.subcommand();
    }
    return ((AbTestCreateCommand) result.commandSpec().userObject()).input();
  }

  /** Runs an ab-test command, expecting {@code exit}, one line on stderr and no stdout. */
  private String fails(int exit, String... command) {
    CommandLine cli = Trafficctl.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    assertEquals(exit, cli.execute(args(command)), err.toString());
    assertEquals("", out.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
    return err.toString().strip();
  }

  @Test
  void theSpecsCommandReadsTheDocumentBesideTheCatalogWithTheFlagsOnTop() {
    AbTestInput input = created("new-ui", "--variants", "A=80,B=20", "--service", "frontend");
    assertEquals("new-ui", input.name());
    assertEquals("frontend", input.service());
    assertEquals("production", input.env());
    assertEquals(Map.of("A", "v1.0", "B", "v2.0"), input.variantVersions());
    assertEquals(80, input.spec().variants().get("A").weight());
    assertEquals(20, input.spec().variants().get("B").weight());
    assertEquals(true, input.spec().variants().get("B").config().featureFlags().get("new_ui"));
    assertEquals(
        new Targeting("X-User-Segment", List.of("premium", "standard")), input.spec().targeting());
    assertEquals(Duration.ofDays(14), input.spec().duration());
    assertEquals(2, input.spec().successMetrics().size());
    assertNull(input.carried());
  }

  @Test
  void withoutADocumentTheFlagsAreTheWholeTest() {
    AbTestInput input = created(withoutDocument("--duration", "2h", "--metric", "purchase=0.1"));
    assertEquals(Duration.ofHours(2), input.spec().duration());
    assertEquals("purchase", input.spec().successMetrics().get(0).name());
    assertEquals(0.1, input.spec().successMetrics().get(0).threshold());
    assertEquals(
        "conversion_rate", created(withoutDocument()).spec().successMetrics().get(0).name());
  }

  /** A test named by flags alone (no checkout document exists), then {@code more} flags. */
  private static String[] withoutDocument(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "checkout",
                "--service",
                "frontend",
                "--variants",
                "A=50,B=50",
                "--versions",
                "A=v1.0,B=v2.0"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void badInputIsOneLineAndExitTwo() {
    assertTrue(
        fails(ExitCode.BAD_INPUT, "create", "new-ui", "--variants", "A=50,C=50")
            .contains("--variants: names [A, C]"));
    assertTrue(
        fails(ExitCode.BAD_INPUT, "create", "new-ui", "--variants", "A=60,B=50")
            .contains("add up to 110"));
    assertTrue(
        fails(ExitCode.BAD_INPUT, "create", "new-ui", "--service", "api")
            .contains("--service: api, but"));
    assertTrue(
        fails(ExitCode.BAD_INPUT, "create", "checkout", "--variants", "A=50,B=50")
            .contains("--service and --variants are required"));
    assertTrue(
        fails(
                ExitCode.BAD_INPUT,
                "create",
                "checkout",
                "--service",
                "frontend",
                "--variants",
                "A=50,B=50",
                "--versions",
                "A=v1.0")
            .contains("variants.B: no version serves it"));
    String unknownVersion = fails(ExitCode.BAD_INPUT, "create", "new-ui", "--versions", "B=v3");
    assertTrue(unknownVersion.contains("\"v3\""), unknownVersion);
    assertTrue(
        fails(ExitCode.BAD_INPUT, "create", "new-ui", "--versions", "C=v1.0")
            .contains("\"C\" is not a variant"));
    assertTrue(
        fails(ExitCode.BAD_INPUT, "create", "new-ui", "--config", "missing.yaml")
            .contains("missing.yaml: no such file"));
    String otherName =
        fails(
            ExitCode.BAD_INPUT,
            "create",
            "checkout",
            "--config",
            dir.resolve("ab-tests/new-ui.yaml").toString());
    assertTrue(
        otherName.endsWith(
            "new-ui.yaml: ab_test.name: \"new-ui\", not the test named here" + " (checkout)"),
        otherName);
    // Exactly one of --winner and --auto.
    assertTrue(
        fails(ExitCode.BAD_INPUT, "conclude", "new-ui")
            .contains(
                "Missing required argument (specify one of these): (--winner=VARIANT | --auto)"));
    assertTrue(
        fails(ExitCode.BAD_INPUT, "conclude", "new-ui", "--winner", "B", "--auto")
            .contains("--winner=VARIANT, --auto are mutually exclusive"));
    assertTrue(fails(ExitCode.BAD_INPUT, "results", "New UI").contains("is not a valid name"));
    assertTrue(
        fails(ExitCode.BAD_INPUT, "abort", "new-ui")
            .contains("Missing required option: '--reason=<reason>'"));
  }

  @Test
  void anUnreachableTemporalIsExitThree() {
    assertTrue(fails(ExitCode.UNREACHABLE, "list").contains("127.0.0.1:1"));
    fails(ExitCode.UNREACHABLE, "create", "new-ui");
  }

  @Test
  void resultsShowATablePerMetricWithIntervalsPValuePowerAndVerdict() {
    AbTestResults results =
        new AbTestResults(
            "new-ui",
            "A",
            Instant.parse("2026-11-01T00:00:00Z"),
            Instant.parse("2026-11-15T00:00:00Z"),
            12,
            Instant.parse("2026-11-01T12:00:00Z"),
            null,
            List.of(
                new MetricResult(
                    "conversion_rate",
                    0.05,
                    true,
                    List.of(
                        new VariantResult("A", "v1.0", 1200, 120, 0.10, 0.0845, 0.1180),
                        new VariantResult("B", "v2.0", 1190, 180, 0.1513, 0.1320, 0.1728)),
                    List.of(
                        new Comparison(
                            "B",
                            Verdict.WINNER,
                            0.513,
                            0.22,
                            0.87,
                            0.0513,
                            0.025,
                            0.078,
                            0.00012,
                            0.97,
                            3.8,
                            0.4,
                            3.2,
                            2500,
                            12,
                            3.8,
                            3.2)),
                    "B",
                    "B wins")),
            null);
    String table =
        AbTestResultsView.render(
            results, "production.frontend", AbTestResultsView.select(results, List.of()));
    List<String> lines = table.lines().toList();
    assertTrue(lines.get(0).startsWith("A/B test new-ui (production.frontend): 12 analyses"));
    String a = lines.stream().filter(l -> l.startsWith("A ")).findFirst().orElseThrow();
    String b = lines.stream().filter(l -> l.startsWith("B ")).findFirst().orElseThrow();
    assertTrue(a.contains("1200") && a.contains("120") && a.contains("10.00% [8.45, 11.80]"), a);
    assertTrue(a.contains("(control)"), a);
    for (String expected :
        List.of(
            "1190",
            "15.13% [13.20, 17.28]",
            "+51.3% [+22.0%, +87.0%]",
            "+5.13 pp [+2.50, +7.80]",
            "0.0001",
            "0.97",
            "winner")) {
      assertTrue(b.contains(expected), expected + " in " + b);
    }
    assertTrue(table.contains("conversion_rate (primary): a win is +5.0% relative"), table);
    assertEquals(List.of(), AbTestResultsView.select(results, List.of("bounce_rate")));
  }
}
