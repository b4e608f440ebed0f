package dev.trafficctl.workflows.bluegreen;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import dev.trafficctl.config.bluegreen.BlueGreenSpec;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.workflows.RolloutInput;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.time.Instant;

/**
 * The input of {@code BlueGreenWorkflow}, and the JSON a pipeline sends to start one.
 *
 * @param service the service, as in the catalog
 * @param env the environment, as in the catalog
 * @param blueGreen {@code blue_green.<service>} of the blue-green document
 * @param target the catalog's entry for the service in the environment, its versions being the two
 *     colors with their addresses ({@link ColorPools#resolve})
 * @param options what the command line adds
 * @param requestedBy who started it
 */
public record BlueGreenInput(
    String service,
    String env,
    BlueGreenSpec blueGreen,
    EnvironmentEntry target,
    BlueGreenOptions options,
    String requestedBy)
    implements Validatable, RolloutInput {

  public BlueGreenInput {
    options = options == null ? BlueGreenOptions.defaults() : options;
  }

  @Override
  public String workflowType() {
    return BlueGreenWorkflow.TYPE;
  }

  @Override
  public String strategy() {
    return "blue-green";
  }

  /** What the idle color now runs, when the command line says; else {@code blue-green}. */
  @Override
  public String version() {
    return options.version() != null ? options.version() : "blue-green";
  }

  @Override
  public String summary() {
    String live = live();
    return "blue-green "
        + (options.switchTo() != null ? "switch" : "deploy")
        + " "
        + service
        + " ("
        + env
        + ") "
        + live
        + " -> "
        + Colors.other(live)
        + (options.version() == null ? "" : " (" + options.version() + ")");
  }

  @Override
  public RolloutStatus waitingStatus(Instant now) {
    String live = live();
    return RolloutInput.waiting(this, now)
        .stableVersion(live)
        .candidateVersion(Colors.other(live))
        .totalSteps(Stage.values().length)
        .nextWeight(options.gradual() ? options.gradualSteps().get(0) : 100)
        .build();
  }

  /**
   * The color live now as far as the input tells, before a worker reads the router: the one a
   * manual switch leaves, else the one the document weighs most.
   */
  private String live() {
    if (options.switchTo() != null) {
      return Colors.other(options.switchTo());
    }
    return blueGreen.environments().blue().weight() >= blueGreen.environments().green().weight()
        ? Colors.BLUE
        : Colors.GREEN;
  }

  @Override
  public void validate(Validator at) {
    boolean where = validateWhere(at);
    if (at.required("blue_green", blueGreen)) {
      at.nested("blue_green", blueGreen);
    }
    at.nested("options", options);
    if (where) {
      if (blueGreen != null
          && blueGreen.traffic().loadBalancer() != null
          && target.router() != null
          && target.router().type() != null) {
        at.at("blue_green")
            .at("traffic")
            .check(
                blueGreen.traffic().loadBalancer() == target.router().type(),
                "load_balancer",
                "is "
                    + blueGreen.traffic().loadBalancer().wire()
                    + " but the catalog routes "
                    + service
                    + " in "
                    + env
                    + " through "
                    + target.router().type().wire());
      }
      if (blueGreen != null) {
        target
            .notifications()
            .checkDestinations(
                at.at("target").at("notifications"), blueGreen.notification(), "blue-green");
      }
      if (target.versions() != null) {
        for (String color : Colors.BOTH) {
          at.at("target")
              .check(
                  target.versions().containsKey(color),
                  "versions",
                  "no \"" + color + "\" pool: resolve the colors with ColorPools first");
        }
      }
    }
  }
}
