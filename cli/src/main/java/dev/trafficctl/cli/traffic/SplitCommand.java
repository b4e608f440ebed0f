package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.Actor;
import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.cli.rollout.StatusAnswer;
import dev.trafficctl.client.DurationConverter;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.config.splitting.TrafficSplitSpec;
import dev.trafficctl.config.splitting.TrafficSplittingDocument;
import dev.trafficctl.workflows.TaskQueues;
import dev.trafficctl.workflows.analysis.AnalysisCriteria;
import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.splitting.CapacityPlan;
import dev.trafficctl.workflows.splitting.MigrationInput;
import dev.trafficctl.workflows.splitting.OnBreach;
import dev.trafficctl.workflows.splitting.ServerAdjustment;
import dev.trafficctl.workflows.splitting.SplitInput;
import dev.trafficctl.workflows.splitting.SplitPlan;
import dev.trafficctl.workflows.splitting.SplitResult;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code trafficctl traffic split api --v1=80 --v2=20}: a static split, run as a short {@code
 * TrafficSplit} workflow whose result (the weights the router reports in force) the command waits
 * for; {@code --migrate} starts a gradual {@code TrafficMigration} instead; with neither, the
 * weights in force are shown.
 *
 * <p>Showing the weights does not read the router: the routers' adapters live in the activities
 * module, which only the worker loads (the CLI depends on workflows and config alone, and may run
 * on a host that cannot reach the load balancer or the file router's state). What the CLI can tell
 * for sure is what the last run under {@code <env>.<service>} recorded: the weights a completed
 * split read back from the router, or else that rollout's status.
 */
@Command(
    name = "split",
    description = {
      "Put traffic weights in force (--v1=80 --v2=20: a split, waited for), move traffic"
          + " gradually (--migrate), or show the weights in force (no weights).",
      "The versions are the catalog's; the weights add up to 100. With no weights the CLI does"
          + " not read the router (only the worker reaches it): it shows what the last run of the"
          + " service recorded, as of that run: the weights a completed split read back from the"
          + " router, else the status of the rollout running or last run there.",
      "--migrate also accepts the spec's --from v1=100 --to v2=0; the percentages there are"
          + " ignored: a migration starts from the weights in force and ends with all traffic on"
          + " --to.",
      "--adjust-weights keeps the version weights and sets each server's weight inside its"
          + " version's pool from its measured utilization (Prometheus): new = old * target /"
          + " utilization, at most halved or doubled per run, 1..100. Server weights last until"
          + " the next change of the weights.",
    },
    customSynopsis = {
      "trafficctl traffic split SERVICE [--env E] --VERSION=PERCENT... [--reason R]",
      "trafficctl traffic split SERVICE [--env E] --migrate --from V --to V --rate N"
          + " --interval D [--max-error-rate PCT] [--window D] [--min-requests N]"
          + " [--on-breach last_good|source] [--wait]",
      "trafficctl traffic split SERVICE [--env E] --adjust-weights --target-utilization N"
          + " [--window D] [--dry-run]",
      "trafficctl traffic split SERVICE [--env E]",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:split in force, migration started (with --wait: completed), or weights shown",
      "1:the split failed, or no worker took it up in time (withdrawn); with --wait: migration"
          + " rolled back or aborted",
      "2:bad input",
      "3:Temporal unreachable",
      "4:another rollout owns the service",
      "5:the split not in force within --timeout (it goes on); with --migrate --wait --timeout:"
          + " the migration still running when the wait ran out (it goes on)"
    })
final class SplitCommand extends RolloutCommand {

  /** How long a split waits for its result when {@code --timeout} does not say. */
  private static final Duration SPLIT_TIMEOUT = Duration.ofSeconds(30);

  static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

  /** The {@code --<version>=<percent>} options: picocli knows no such names, so they land here. */
  @Unmatched List<String> weightArgs = new ArrayList<>();

  @Option(names = "--migrate", description = "Move traffic gradually from --from to --to.")
  boolean migrate;

  @Option(
      names = {"-f", "--config"},
      paramLabel = "FILE",
      description =
          "A traffic_splitting document: its rules for the service are put in force (weights given"
              + " on the command line replace the document's).")
  Path config;

  @Option(
      names = "--header",
      paramLabel = "NAME",
      description =
          "Route by this request header: a value naming one of the given versions goes there;"
              + " other requests follow the weights (--header X-User-Type --premium=70"
              + " --standard=30).")
  String header;

  @Option(
      names = "--region-header",
      paramLabel = "NAME",
      description =
          "Geographic split: the header an edge or CDN sets to the client's region; a region"
              + " naming one of the given versions goes there (--region-header X-Region"
              + " --us-east=60 --us-west=40).")
  String regionHeader;

  @Option(
      names = "--sticky",
      description = "Keep each client on the version it was given (cookie trafficctl_version).")
  boolean sticky;

  @Option(
      names = "--feature-flag",
      paramLabel = "NAME",
      description =
          "Give the flag to a stable share of clients and tell the upstream in X-Feature-<Name>"
              + " (--feature-flag new_ui --enabled=25 --disabled=75).")
  String featureFlag;

  @Option(
      names = "--client-cookie",
      paramLabel = "NAME",
      description =
          "The cookie that identifies a client for --feature-flag (default: trafficctl_client; set"
              + " to a random id when absent). Name your own session cookie to bucket by it.")
  String clientCookie;

  @Option(
      names = "--adjust-weights",
      description =
          "Set per-server weights inside each version's pool from measured utilization, toward"
              + " --target-utilization; the version weights and rules stay.")
  boolean adjustWeights;

  @Option(
      names = "--target-utilization",
      paramLabel = "PCT",
      description = "With --adjust-weights: the utilization wanted on every server (1..100).")
  Integer targetUtilization;

  @Option(
      names = "--dry-run",
      description = "With --adjust-weights: print the plan (server, utilization, old -> new) only.")
  boolean dryRun;

  @Option(
      names = "--from",
      paramLabel = "VERSION",
      description = "With --migrate: the version losing traffic.")
  String from;

  @Option(
      names = "--to",
      paramLabel = "VERSION",
      description = "With --migrate: the version gaining it.")
  String to;

  @Option(
      names = "--rate",
      paramLabel = "POINTS",
      description = "With --migrate: percentage points moved at each step (1..100).")
  Integer rate;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "With --migrate: time between two moves, e.g. 2m.")
  Duration interval;

  @Option(
      names = "--max-error-rate",
      paramLabel = "PCT",
      description =
          "With --migrate: judge --to before each move; a higher error rate (percent of 5xx)"
              + " is a breach. Without it the migration moves on time alone.")
  Double maxErrorRate;

  @Option(
      names = "--window",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "With --max-error-rate: the window the error rate is measured over (default 1m). With"
              + " --adjust-weights: the window utilization is averaged over (default 5m).")
  Duration window;

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
          "With --migrate: where traffic goes on a breach: the last weights that passed"
              + " (last_good, default) or all back to --from (source).")
  String onBreach;

  @Option(
      names = "--wait",
      description =
          "With --migrate: block until it completes (exit 0) or is rolled back or aborted (exit"
              + " 1). A split always waits.")
  boolean wait;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How long a split waits for a worker to put it in force (default 30s). With --migrate"
              + " --wait: stop waiting after DURATION (exit 5); the migration goes on.")
  Duration timeout;

  @Option(names = "--reason", description = "Why, for the record.")
  String reason;

  @Option(names = "--by", description = "Who (default: the login name).")
  String by;

  @Override
  protected int run(RolloutClient client) throws Exception {
    if (adjustWeights) {
      return split(client, capacityInput());
    }
    if (targetUtilization != null || dryRun) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          (targetUtilization != null ? "--target-utilization" : "--dry-run")
              + ": only with --adjust-weights");
    }
    if (migrate) {
      checkWaitTimeout(timeout, wait);
      return startMigration(client, migrationInput());
    }
    SplitInput input = plannedSplit();
    return input == null ? show(client) : split(client, input);
  }

  /**
   * The split the command line asks for: weights and rules from the options and {@code -f}'s
   * document; null when it asks for none (show the weights in force).
   */
  SplitInput plannedSplit() {
    Map<String, Integer> weights = new LinkedHashMap<>(weights());
    RoutingRules.FeatureFlag flag = null;
    if (featureFlag != null) {
      Map<String, Integer> states = new LinkedHashMap<>();
      for (String state : List.of("enabled", "disabled")) {
        if (weights.containsKey(state)) {
          states.put(state, weights.remove(state));
        }
      }
      try {
        flag = SplitPlan.featureFlag(featureFlag, states);
        if (clientCookie != null) {
          flag =
              new RoutingRules.FeatureFlag(
                  flag.name(), flag.enabledPercent(), clientCookie, flag.header());
        }
      } catch (IllegalArgumentException e) {
        throw new CommandFailure(ExitCode.BAD_INPUT, "--feature-flag: " + e.getMessage());
      }
      if (states.values().stream().mapToInt(Integer::intValue).sum() != 100) {
        throw new CommandFailure(
            ExitCode.BAD_INPUT, "--enabled, --disabled: must add up to 100 (" + states + ")");
      }
    }
    SplitPlan document = config == null ? null : documentPlan();
    if (weights.isEmpty() && document != null) {
      weights.putAll(document.weights());
    }
    List<RoutingRules.MatchRule> matches = new ArrayList<>();
    if (document != null) {
      matches.addAll(document.rules().matches());
    }
    if (header != null) {
      matches.add(new RoutingRules.MatchRule("header", header, List.copyOf(weights.keySet())));
    }
    if (regionHeader != null) {
      matches.add(
          new RoutingRules.MatchRule("geographic", regionHeader, List.copyOf(weights.keySet())));
    }
    String stickyCookie =
        sticky || (document != null && document.rules().stickyCookie() != null)
            ? SplitPlan.STICKY_COOKIE
            : null;
    if (flag == null && document != null) {
      flag = document.rules().featureFlag();
    }
    RoutingRules rules = new RoutingRules(matches, stickyCookie, flag);
    if (weights.isEmpty() && rules.isNone()) {
      return null;
    }
    return splitInput(weights, rules);
  }

  /** The rules of {@code -f}'s document for this service. */
  private SplitPlan documentPlan() {
    TrafficSplittingDocument doc =
        new DocumentLoader().load(config, TrafficSplittingDocument.class);
    TrafficSplitSpec spec = doc.trafficSplitting().get(target.service());
    if (spec == null) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          config
              + ": traffic_splitting: no entry for service \""
              + target.service()
              + "\" (document has: "
              + String.join(", ", doc.trafficSplitting().keySet())
              + ")");
    }
    try {
      return SplitPlan.of(spec);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(ExitCode.BAD_INPUT, config + ": " + e.getMessage());
    }
  }

  /** The weights of a static split (none: show the weights in force), checked for their form. */
  Map<String, Integer> weights() {
    List<String> migrationOnly = new ArrayList<>();
    addIf(migrationOnly, from != null, "--from");
    addIf(migrationOnly, to != null, "--to");
    addIf(migrationOnly, rate != null, "--rate");
    addIf(migrationOnly, interval != null, "--interval");
    addIf(migrationOnly, maxErrorRate != null, "--max-error-rate");
    addIf(migrationOnly, window != null, "--window");
    addIf(migrationOnly, minRequests != null, "--min-requests");
    addIf(migrationOnly, onBreach != null, "--on-breach");
    if (!migrationOnly.isEmpty()) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          String.join(", ", migrationOnly)
              + ": only with --migrate (a split is written --VERSION=PERCENT, e.g. --v1=80"
              + " --v2=20)");
    }
    return SplitInputs.weights(weightArgs);
  }

  /** The checked input of a static split, or one line naming the option at fault (exit 2). */
  SplitInput splitInput(Map<String, Integer> weights) {
    return splitInput(weights, RoutingRules.NONE);
  }

  SplitInput splitInput(Map<String, Integer> weights, RoutingRules rules) {
    EnvironmentEntry entry = target.catalogEntry();
    SplitInput input =
        new SplitInput(target.service(), target.env(), entry, weights, Actor.of(by), reason, rules);
    Map<String, String> options = new LinkedHashMap<>(targetOptions());
    options.put(
        "weights", weights.keySet().stream().map(v -> "--" + v).collect(Collectors.joining(", ")));
    SplitInputs.validate("split", input, options);
    return input;
  }

  /** The checked input of capacity-based server weights, or one line naming the option at fault. */
  SplitInput capacityInput() {
    List<String> conflicting = new ArrayList<>();
    addIf(conflicting, migrate, "--migrate");
    addIf(conflicting, config != null, "--config");
    addIf(conflicting, header != null, "--header");
    addIf(conflicting, regionHeader != null, "--region-header");
    addIf(conflicting, sticky, "--sticky");
    addIf(conflicting, featureFlag != null, "--feature-flag");
    addIf(conflicting, from != null, "--from");
    addIf(conflicting, to != null, "--to");
    addIf(conflicting, rate != null, "--rate");
    addIf(conflicting, interval != null, "--interval");
    addIf(conflicting, maxErrorRate != null, "--max-error-rate");
    addIf(conflicting, minRequests != null, "--min-requests");
    addIf(conflicting, onBreach != null, "--on-breach");
    addIf(conflicting, wait, "--wait");
    if (!weightArgs.isEmpty()) {
      conflicting.add(weightArgs.get(0));
    }
    if (!conflicting.isEmpty()) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          String.join(", ", conflicting)
              + ": not with --adjust-weights (it keeps the version weights and rules in force and"
              + " changes server weights only)");
    }
    if (targetUtilization == null) {
      throw new CommandFailure(ExitCode.BAD_INPUT, "--adjust-weights needs --target-utilization");
    }
    if (targetUtilization < 1 || targetUtilization > 100) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          "--target-utilization: " + targetUtilization + " is not a percentage (1..100)");
    }
    if (window != null && window.isZero()) {
      throw new CommandFailure(ExitCode.BAD_INPUT, "--window: must be longer than 0s");
    }
    SplitInput input =
        SplitInput.capacity(
            target.service(),
            target.env(),
            target.catalogEntry(),
            new CapacityPlan(targetUtilization, window, dryRun),
            Actor.of(by),
            reason);
    Map<String, String> options = new LinkedHashMap<>(targetOptions());
    options.put("capacity", "--adjust-weights");
    SplitInputs.validate("split", input, options);
    return input;
  }

  /** The checked input of a migration, or one line naming the option at fault (exit 2). */
  MigrationInput migrationInput() {
    List<String> splitOnly = new ArrayList<>();
    addIf(splitOnly, config != null, "--config");
    addIf(splitOnly, header != null, "--header");
    addIf(splitOnly, regionHeader != null, "--region-header");
    addIf(splitOnly, sticky, "--sticky");
    addIf(splitOnly, featureFlag != null, "--feature-flag");
    if (!splitOnly.isEmpty()) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          String.join(", ", splitOnly)
              + ": not with --migrate (a migration moves weights only; the rules in force stay)");
    }
    if (!weightArgs.isEmpty()) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          weightArgs.get(0)
              + ": --migrate moves traffic from --from to --to; it takes no --VERSION=PERCENT"
              + " weights");
    }
    List<String> missing = new ArrayList<>();
    addIf(missing, from == null, "--from");
    addIf(missing, to == null, "--to");
    addIf(missing, rate == null, "--rate");
    addIf(missing, interval == null, "--interval");
    if (!missing.isEmpty()) {
      throw new CommandFailure(ExitCode.BAD_INPUT, "--migrate needs " + String.join(", ", missing));
    }
    String source = version("--from", from);
    String destination = version("--to", to);
    OnBreach breach = onBreach(onBreach);
    AnalysisCriteria criteria = criteria();
    EnvironmentEntry entry = target.catalogEntry();
    MigrationInput input =
        new MigrationInput(
            target.service(),
            target.env(),
            entry,
            source,
            destination,
            rate,
            interval,
            criteria,
            breach,
            Actor.of(by));
    Map<String, String> options = new LinkedHashMap<>(targetOptions());
    options.put("from", "--from");
    options.put("to", "--to");
    options.put("rate", "--rate");
    options.put("interval", "--interval");
    options.put("criteria", "--max-error-rate");
    SplitInputs.validate("migrate", input, options);
    return input;
  }

  /** What the analysis checks: the error rate of --to, or nothing without --max-error-rate. */
  private AnalysisCriteria criteria() {
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
    // The percentile and, without --min-requests, the minimum take the criteria's defaults.
    return new AnalysisCriteria(null, null, maxErrorRate, over, null, null, null, minRequests);
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

  private static Map<String, String> targetOptions() {
    return Map.of("service", "SERVICE", "env", "--env");
  }

  private static void addIf(List<String> list, boolean condition, String option) {
    if (condition) {
      list.add(option);
    }
  }

  private int split(RolloutClient client, SplitInput input) {
    checkWaitTimeout(timeout, true); // a split always waits
    String workflowId = target.workflowId();
    String runId = client.startSplit(workflowId, input);
    progress()
        .printf(
            "started split %s (run %s): %s%n",
            workflowId,
            runId,
            input.capacity() == null
                ? RolloutClient.weightsLine(input.weights())
                : (input.capacity().dryRun() ? "planning" : "adjusting")
                    + " server weights toward "
                    + input.capacity().targetUtilization()
                    + "% utilization");
    progress().flush();
    Duration limit = timeout != null ? timeout : SPLIT_TIMEOUT;
    Optional<SplitResult> result = client.awaitResult(workflowId, runId, SplitResult.class, limit);
    if (result.isEmpty()) {
      String waited = SpecDurations.format(limit);
      if (!client.workerPolling()) {
        // No worker has seen it, so nothing has moved: withdraw it rather than let it change
        // the traffic whenever a worker next starts.
        client.withdraw(
            workflowId, runId, "no worker picked the split up within " + waited + " (withdrawn)");
        throw new CommandFailure(
            ExitCode.ROLLED_BACK,
            "no worker is polling "
                + TaskQueues.ROLLOUTS
                + ": the split of "
                + workflowId
                + " did not start within "
                + waited
                + " and was withdrawn, nothing changed; start one (bin/trafficctl-worker) and"
                + " try again");
      }
      throw new CommandFailure(
          ExitCode.STILL_RUNNING,
          workflowId
              + ": the split has not finished after "
              + waited
              + "; it goes on (see trafficctl traffic split "
              + target.service()
              + " --env "
              + target.env()
              + ")");
    }
    if (input.capacity() != null) {
      return printAdjustments(result.get());
    }
    printWeights(result.get(), null);
    return ExitCode.OK;
  }

  /** The capacity plan, one line per server; exit 1 when it was not carried out. */
  private int printAdjustments(SplitResult result) {
    if (output.json()) {
      printWeights(result, null);
    } else {
      for (ServerAdjustment line : result.adjustments()) {
        out().println(adjustmentLine(line));
      }
      out().println(result.status().message());
      out().flush();
    }
    return result.status().phase() == dev.trafficctl.workflows.status.Phase.PROMOTED
        ? ExitCode.OK
        : ExitCode.ROLLED_BACK;
  }

  /** {@code 127.0.0.1:18081 v1 util 92.0% weight 3 -> 2}. */
  static String adjustmentLine(ServerAdjustment line) {
    return String.format(
        Locale.ROOT,
        "%s %s  util %s  weight %d -> %d",
        line.server(),
        line.version(),
        line.utilization() == null ? "-" : String.format(Locale.ROOT, "%.1f%%", line.utilization()),
        line.oldWeight(),
        line.newWeight());
  }

  private int startMigration(RolloutClient client, MigrationInput input)
      throws InterruptedException {
    String workflowId = target.workflowId();
    String runId = client.startMigration(workflowId, input);
    announceStart(
        client,
        workflowId,
        runId,
        String.format(
            "started migration %s (run %s): %s %s -> %s, %d points every %s",
            workflowId,
            runId,
            input.service(),
            input.from(),
            input.to(),
            input.rate(),
            SpecDurations.format(input.interval())),
        "the migration",
        wait);
    return wait
        ? waitForOutcome(client, workflowId, status -> false, timeout, "migration")
        : ExitCode.OK;
  }

  /** The weights in force as the last run of the service recorded them. */
  private int show(RolloutClient client) {
    String workflowId = target.workflowId();
    Optional<SplitResult> last = client.lastSplit(workflowId);
    if (last.isPresent()) {
      printWeights(last.get(), "as of the last split");
      return ExitCode.OK;
    }
    StatusAnswer answer = client.status(workflowId);
    String asOf =
        (answer.running() ? "as of the running " : "as of the last rollout, a ")
            + answer.status().strategy()
            + " (the CLI does not read the router)";
    print(answer.status(), answer.note() == null ? asOf : asOf + "; " + answer.note());
    return ExitCode.OK;
  }

  /** The rules in force, one clause each, e.g. {@code ; X-User-Type names: premium, standard}. */
  static String rulesLine(RoutingRules rules) {
    StringBuilder line = new StringBuilder();
    for (RoutingRules.MatchRule match : rules.matches()) {
      line.append("; ")
          .append(match.header())
          .append(" names: ")
          .append(String.join(", ", match.pools()));
    }
    if (rules.stickyCookie() != null) {
      line.append("; sticky (cookie ").append(rules.stickyCookie()).append(')');
    }
    if (rules.featureFlag() != null) {
      line.append("; feature flag ")
          .append(rules.featureFlag().name())
          .append(' ')
          .append(rules.featureFlag().enabledPercent())
          .append("% (")
          .append(rules.featureFlag().header())
          .append(')');
    }
    return line.toString();
  }

  private void printWeights(SplitResult result, String asOf) {
    if (output.json()) {
      try {
        out()
            .println(
                JsonMapping.json().writerWithDefaultPrettyPrinter().writeValueAsString(result));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      out()
          .printf(
              "%s (%s): %s%s%s%n",
              target.service(),
              target.env(),
              RolloutClient.weightsLine(result.weights()),
              asOf == null ? "" : " (" + asOf + ")",
              rulesLine(result.rules()));
    }
    out().flush();
  }
}
