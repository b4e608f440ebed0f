package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.Actor;
import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.cli.rollout.StatusAnswer;
import dev.trafficctl.client.DurationConverter;
import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.workflows.RolloutInput;
import dev.trafficctl.workflows.RolloutVisibility;
import dev.trafficctl.workflows.TaskQueues;
import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.splitting.MigrationInput;
import dev.trafficctl.workflows.splitting.ServerAdjustment;
import dev.trafficctl.workflows.splitting.SplitInput;
import dev.trafficctl.workflows.splitting.SplitResult;
import dev.trafficctl.workflows.splitting.SplitWeights;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.client.WorkflowExecutionDescription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
      "1:the split failed, or no worker took it up in time (cancelled: it changes nothing, or a"
          + " worker that took it up just then puts the weights back); with --wait: migration"
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

  /**
   * How long a withdrawn split may take to close: time for a worker that took it up just as it was
   * cancelled to put back what it changed.
   */
  private static final Duration WITHDRAWAL_GRACE = Duration.ofSeconds(5);

  /** The {@code --<version>=<percent>} options: picocli knows no such names, so they land here. */
  @Unmatched List<String> weightArgs = new ArrayList<>();

  @Mixin SplitRuleOptions rules;

  @Option(
      names = "--migrate",
      description =
          "Move traffic gradually from --from to --to (as trafficctl traffic migration start).")
  boolean migrate;

  @Mixin MigrationOptions migration;

  @Mixin CapacityOptions capacity;

  @Option(
      names = "--window",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "With --max-error-rate: the window the error rate is measured over (default 1m). With"
              + " --adjust-weights: the window utilization is averaged over (default 5m).")
  Duration window;

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
    if (capacity.adjust) {
      return split(client, capacityInput());
    }
    capacity.refuseWithoutAdjust();
    if (migrate) {
      checkWaitTimeout(timeout, wait);
      return startAndFollow(client, migrationInput(), wait, timeout, status -> false, "migration");
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
    RoutingRules asked = rules.rules(weights, target.service());
    if (weights.isEmpty() && asked == null) {
      return null;
    }
    return splitInput(weights, asked);
  }

  /** The weights of a static split (none: show the weights in force), checked for their form. */
  Map<String, Integer> weights() {
    Optional<Map<String, Integer>> fromTo = migration.startingWeights();
    if (fromTo.isPresent() && weightArgs.isEmpty() && window == null) {
      return fromTo.get();
    }
    List<String> migrationOnly = migration.given();
    SplitInputs.addIf(migrationOnly, window != null, "--window");
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
    return splitInput(weights, null);
  }

  SplitInput splitInput(Map<String, Integer> weights, RoutingRules routing) {
    EnvironmentEntry entry = target.catalogEntry();
    SplitInput input =
        new SplitInput(
            target.service(), target.env(), entry, weights, Actor.of(by), reason, routing);
    Map<String, String> options = new LinkedHashMap<>(SplitInputs.TARGET_OPTIONS);
    options.put(
        "weights", weights.keySet().stream().map(v -> "--" + v).collect(Collectors.joining(", ")));
    SplitInputs.validate("split", input, options);
    return input;
  }

  /** The checked input of capacity-based server weights, or one line naming the option at fault. */
  SplitInput capacityInput() {
    List<String> conflicting = new ArrayList<>();
    SplitInputs.addIf(conflicting, migrate, "--migrate");
    conflicting.addAll(rules.given());
    conflicting.addAll(migration.given());
    SplitInputs.addIf(conflicting, wait, "--wait");
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
    return capacity.input(target, window, Actor.of(by), reason);
  }

  /** The checked input of a migration, or one line naming the option at fault (exit 2). */
  MigrationInput migrationInput() {
    List<String> splitOnly = rules.given();
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
    return migration.input(target, "--migrate", window, Actor.of(by));
  }

  private int split(RolloutClient client, SplitInput input) {
    checkWaitTimeout(timeout, true); // a split always waits
    String workflowId = input.workflowId();
    String runId = client.start(input);
    progress().printf("started %s (run %s): %s%n", workflowId, runId, input.summary());
    progress().flush();
    Duration limit = timeout != null ? timeout : SPLIT_TIMEOUT;
    Optional<SplitResult> result = client.awaitResult(workflowId, runId, SplitResult.class, limit);
    if (result.isEmpty()) {
      String waited = SpecDurations.format(limit);
      if (client.workerPolling()) {
        throw stillRunning(workflowId, waited);
      }
      result = withdraw(client, workflowId, runId, waited);
    }
    if (input.capacity() != null) {
      return printAdjustments(result.get());
    }
    printWeights(result.get(), null);
    return ExitCode.OK;
  }

  /**
   * A split no worker took up in time, while none polls: cancelled, so that it changes nothing
   * later, or puts back what it changed if a worker took it up just now. Returns the result when a
   * worker completed it before the cancellation reached it (the split is in force after all);
   * otherwise fails (exit 1) saying how it stands.
   */
  private Optional<SplitResult> withdraw(
      RolloutClient client, String workflowId, String runId, String waited) {
    WorkflowExecutionDescription after =
        client.withdraw(
            workflowId,
            runId,
            "no worker picked the split up within " + waited + " (withdrawn)",
            WITHDRAWAL_GRACE);
    switch (after.getStatus()) {
      case WORKFLOW_EXECUTION_STATUS_COMPLETED:
        return client.awaitResult(workflowId, runId, SplitResult.class, WITHDRAWAL_GRACE);
      case WORKFLOW_EXECUTION_STATUS_RUNNING:
        throw new CommandFailure(
            ExitCode.ROLLED_BACK,
            "no worker is polling "
                + TaskQueues.ROLLOUTS
                + ": the split of "
                + workflowId
                + " did not start within "
                + waited
                + " and was cancelled; it ends without changing anything when a worker takes it"
                + " up; start one (bin/trafficctl-worker) and try again");
      case WORKFLOW_EXECUTION_STATUS_CANCELED:
        RolloutStatus saved =
            (RolloutStatus) after.getMemo(RolloutVisibility.MEMO_STATUS, RolloutStatus.class);
        String said =
            saved == null || RolloutInput.WAITING_FOR_A_WORKER.equals(saved.message())
                ? "nothing changed"
                : saved.message();
        throw new CommandFailure(
            ExitCode.ROLLED_BACK,
            workflowId
                + ": a worker took the split up as it was withdrawn after "
                + waited
                + " without a worker; cancelled: "
                + said);
      default:
        throw new CommandFailure(
            ExitCode.ROLLED_BACK,
            workflowId
                + ": the split was withdrawn after "
                + waited
                + " without a worker and ended "
                + after
                    .getStatus()
                    .name()
                    .replace("WORKFLOW_EXECUTION_STATUS_", "")
                    .toLowerCase(Locale.ROOT));
    }
  }

  /** A split a worker has (or may have) taken up and not finished in time: it goes on. */
  private CommandFailure stillRunning(String workflowId, String waited) {
    return new CommandFailure(
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

  /** The capacity plan, one line per server; exit 1 when it was not carried out. */
  private int printAdjustments(SplitResult result) {
    if (output.json()) {
      printWeights(result, null);
    } else {
      for (ServerAdjustment line : result.adjustments()) {
        out().println(CapacityOptions.line(line));
      }
      out().println(result.status().message());
      out().flush();
    }
    return result.status().phase() == Phase.PROMOTED ? ExitCode.OK : ExitCode.ROLLED_BACK;
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
      printJson(result);
    } else {
      out()
          .printf(
              "%s (%s): %s%s%s%n",
              target.service(),
              target.env(),
              SplitWeights.describe(result.weights()),
              asOf == null ? "" : " (" + asOf + ")",
              rulesLine(result.rules()));
    }
    out().flush();
  }
}
