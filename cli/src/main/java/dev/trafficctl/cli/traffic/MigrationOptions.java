package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.TargetOptions;
import dev.trafficctl.client.DurationConverter;
import dev.trafficctl.workflows.analysis.AnalysisCriteria;
import dev.trafficctl.workflows.splitting.MigrationInput;
import dev.trafficctl.workflows.splitting.OnBreach;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * What a gradual migration takes on the command line, shared by {@code traffic migration start} and
 * the spec's {@code traffic split --migrate}: from, to, rate, interval, and the optional error rate
 * gate. Checked before anything is contacted, each problem one line naming its option.
 */
final class MigrationOptions {

  /** The window the error rate is measured over when {@code --window} does not say. */
  static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

  @Option(
      names = "--from",
      paramLabel = "VERSION",
      description =
          "The version losing traffic (the spec's VERSION=PERCENT is accepted). Without"
              + " --migrate, --from V1=PCT --to V2=PCT puts those two weights in force.")
  String from;

  @Option(names = "--to", paramLabel = "VERSION", description = "The version gaining it.")
  String to;

  @Option(
      names = "--rate",
      paramLabel = "POINTS",
      description = "Percentage points moved at each step (1..100).")
  Integer rate;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Time between two moves, e.g. 2m.")
  Duration interval;

  @Option(
      names = "--max-error-rate",
      paramLabel = "PCT",
      description =
          "Judge --to before each move; a higher error rate (percent of 5xx) is a breach. Without"
              + " it the migration moves on time alone.")
  Double maxErrorRate;

  @Option(
      names = "--min-requests",
      paramLabel = "N",
      description =
          "With --max-error-rate: fewer requests in the window is inconclusive (default 50).")
  Long minRequests;

  @Option(
      names = "--on-breach",
      paramLabel = "last_good|source",
      description =
          "Where traffic goes on a breach: the last weights that passed (last_good, default) or"
              + " all back to --from (source).")
  String onBreach;

  /**
   * The spec's {@code --from v1.0=100 --to v2.0=0} without {@code --migrate}: the weights a
   * migration would start from, put in force as a split. Empty unless both name a percent and no
   * other migration option is given.
   */
  Optional<Map<String, Integer>> startingWeights() {
    if (from == null || to == null || !from.contains("=") || !to.contains("=")) {
      return Optional.empty();
    }
    if (given().size() != 2) {
      return Optional.empty();
    }
    return Optional.of(SplitInputs.weights(List.of("--" + from, "--" + to)));
  }

  /** The options given, as typed, for refusing them where a migration is not asked for. */
  List<String> given() {
    List<String> given = new ArrayList<>();
    SplitInputs.addIf(given, from != null, "--from");
    SplitInputs.addIf(given, to != null, "--to");
    SplitInputs.addIf(given, rate != null, "--rate");
    SplitInputs.addIf(given, interval != null, "--interval");
    SplitInputs.addIf(given, maxErrorRate != null, "--max-error-rate");
    SplitInputs.addIf(given, minRequests != null, "--min-requests");
    SplitInputs.addIf(given, onBreach != null, "--on-breach");
    return given;
  }

  /**
   * The checked input of a migration of {@code target}, or one line naming the option at fault
   * (exit 2).
   *
   * @param command how the command is written in messages: {@code --migrate}, {@code start}
   * @param window {@code --window}, or null for the default
   */
  MigrationInput input(TargetOptions target, String command, Duration window, String by) {
    List<String> missing = new ArrayList<>();
    SplitInputs.addIf(missing, from == null, "--from");
    SplitInputs.addIf(missing, to == null, "--to");
    SplitInputs.addIf(missing, rate == null, "--rate");
    SplitInputs.addIf(missing, interval == null, "--interval");
    if (!missing.isEmpty()) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT, command + " needs " + String.join(", ", missing));
    }
    String source = version("--from", from);
    String destination = version("--to", to);
    OnBreach breach = onBreach(onBreach);
    MigrationInput input =
        new MigrationInput(
            target.service(),
            target.env(),
            target.catalogEntry(),
            source,
            destination,
            rate,
            interval,
            criteria(window),
            breach,
            by);
    Map<String, String> options = new LinkedHashMap<>(SplitInputs.TARGET_OPTIONS);
    options.put("from", "--from");
    options.put("to", "--to");
    options.put("rate", "--rate");
    options.put("interval", "--interval");
    options.put("criteria", "--max-error-rate");
    SplitInputs.validate("migrate", input, options);
    return input;
  }

  /** What the analysis checks: the error rate of --to, or nothing without --max-error-rate. */
  private AnalysisCriteria criteria(Duration window) {
    if (maxErrorRate == null) {
      if (window != null || minRequests != null) {
        throw new CommandFailure(
            ExitCode.BAD_INPUT,
            (window != null ? "--window" : "--min-requests")
                + ": only with --max-error-rate (without it the migration moves on time alone)");
      }
      return null;
    }
    if (maxErrorRate.isNaN() || maxErrorRate < 0 || maxErrorRate > 100) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          "--max-error-rate: " + maxErrorRate + " is not a percentage (0..100)");
    }
    Duration over = window != null ? window : DEFAULT_WINDOW;
    if (over.isZero()) {
      throw new CommandFailure(ExitCode.BAD_INPUT, "--window: must be longer than 0s");
    }
    if (minRequests != null && minRequests < 0) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT, "--min-requests: " + minRequests + " is negative");
    }
    // Without --min-requests, the minimum takes the criteria's default.
    return AnalysisCriteria.errorRate(maxErrorRate, over, minRequests);
  }

  /** {@code v1}, or the spec's {@code v1=100} with the percentage dropped. */
  static String version(String option, String value) {
    int eq = value.indexOf('=');
    if (eq < 0) {
      return value;
    }
    String percent = value.substring(eq + 1);
    if (eq == 0 || !percent.matches("[0-9]{1,3}")) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          option + ": \"" + value + "\" is not a version (or VERSION=PERCENT, e.g. v1=100)");
    }
    return value.substring(0, eq);
  }

  static OnBreach onBreach(String value) {
    if (value == null) {
      return OnBreach.LAST_GOOD;
    }
    for (OnBreach b : OnBreach.values()) {
      if (b.wire().equals(value.toLowerCase(Locale.ROOT).replace('-', '_'))) {
        return b;
      }
    }
    throw new CommandFailure(
        ExitCode.BAD_INPUT, "--on-breach: \"" + value + "\" is not one of last_good, source");
  }
}
