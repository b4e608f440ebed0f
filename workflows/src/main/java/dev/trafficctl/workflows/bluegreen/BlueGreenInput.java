package dev.trafficctl.workflows.bluegreen;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import dev.trafficctl.config.bluegreen.BlueGreenSpec;
import dev.trafficctl.config.catalog.EnvironmentEntry;

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
    implements Validatable {

  public BlueGreenInput {
    options = options == null ? BlueGreenOptions.defaults() : options;
  }

  @Override
  public void validate(Validator at) {
    at.requiredName("service", service, "service");
    at.requiredName("env", env, "environment");
    if (at.required("blue_green", blueGreen)) {
      at.nested("blue_green", blueGreen);
    }
    at.nested("options", options);
    if (at.required("target", target)) {
      at.nested("target", target);
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
