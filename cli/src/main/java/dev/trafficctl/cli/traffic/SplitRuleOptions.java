package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.splitting.TrafficSplitSpec;
import dev.trafficctl.config.splitting.TrafficSplittingDocument;
import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.splitting.SplitPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The routing rules a split puts in force before its weights: header and region matches, sticky
 * sessions, a feature flag, or a {@code traffic_splitting} document's rules.
 */
final class SplitRuleOptions {

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
      names = "--no-rules",
      description =
          "Remove the routing rules in force (a split that gives none leaves them as they are).")
  boolean none;

  /** The options given, as typed, for refusing them where no rules apply. */
  List<String> given() {
    List<String> given = new ArrayList<>();
    SplitInputs.addIf(given, config != null, "--config");
    SplitInputs.addIf(given, header != null, "--header");
    SplitInputs.addIf(given, regionHeader != null, "--region-header");
    SplitInputs.addIf(given, sticky, "--sticky");
    SplitInputs.addIf(given, featureFlag != null, "--feature-flag");
    SplitInputs.addIf(given, none, "--no-rules");
    return given;
  }

  /**
   * The rules asked for {@code service}: null when none are (the rules in force stay), {@link
   * RoutingRules#NONE} for {@code --no-rules}. Changes {@code weights}: the flag's {@code
   * --enabled} and {@code --disabled} are taken out of them, and without weights the document's
   * fill them in.
   */
  RoutingRules rules(Map<String, Integer> weights, String service) {
    List<String> given = given();
    if (none && given.size() > 1) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          String.join(", ", given.subList(0, given.size() - 1)) + ": not with --no-rules");
    }
    if (none) {
      return RoutingRules.NONE;
    }
    if (given.isEmpty()) {
      return null;
    }
    RoutingRules.FeatureFlag flag = featureFlag == null ? null : flag(weights);
    SplitPlan document = config == null ? null : documentPlan(service);
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
    return new RoutingRules(matches, stickyCookie, flag);
  }

  /** The flag from {@code --enabled} and {@code --disabled}, which leave {@code weights}. */
  private RoutingRules.FeatureFlag flag(Map<String, Integer> weights) {
    Map<String, Integer> states = new LinkedHashMap<>();
    for (String state : List.of("enabled", "disabled")) {
      if (weights.containsKey(state)) {
        states.put(state, weights.remove(state));
      }
    }
    RoutingRules.FeatureFlag flag;
    try {
      flag = SplitPlan.featureFlag(featureFlag, states);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(ExitCode.BAD_INPUT, "--feature-flag: " + e.getMessage());
    }
    if (states.values().stream().mapToInt(Integer::intValue).sum() != 100) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT, "--enabled, --disabled: must add up to 100 (" + states + ")");
    }
    return clientCookie == null
        ? flag
        : new RoutingRules.FeatureFlag(
            flag.name(), flag.enabledPercent(), clientCookie, flag.header());
  }

  /** The rules of {@code -f}'s document for {@code service}. */
  private SplitPlan documentPlan(String service) {
    TrafficSplittingDocument doc =
        new DocumentLoader().load(config, TrafficSplittingDocument.class);
    TrafficSplitSpec spec = doc.trafficSplitting().get(service);
    if (spec == null) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          config
              + ": traffic_splitting: no entry for service \""
              + service
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
}
