package dev.trafficctl.workflows.bluegreen.testing;

import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.bluegreen.BlueGreenDocument;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.config.catalog.DriftAction;
import dev.trafficctl.config.catalog.RollbackSettings;
import dev.trafficctl.workflows.bluegreen.BlueGreenInput;
import dev.trafficctl.workflows.bluegreen.BlueGreenOptions;
import dev.trafficctl.workflows.bluegreen.ColorPools;
import java.time.Duration;

/**
 * Blue-green documents for the workflow tests, as YAML a person would write, read by the product's
 * own loader. Blue runs on two instances, green on two; blue is live.
 */
public final class BlueGreenDocs {

  /** The spec's own example (switch_timeout 300s, monitor 300s, cleanup 600s). */
  public static final String SPEC_EXAMPLE =
      """
      blue_green:
        api:
          strategy:
            switch_timeout: "300s"
            health_check_timeout: "120s"
            auto_promote: false
            cleanup_delay: "600s"
          traffic:
            load_balancer: "file"
            health_endpoint: "/health"
            readiness_timeout: "60s"
          environments:
            blue:
              weight: 100
              instances: 2
              addresses: ["10.0.0.1:8080", "10.0.0.2:8080"]
            green:
              weight: 0
              instances: 2
              addresses: ["10.0.1.1:8080", "10.0.1.2:8080"]
          rollback:
            automatic: true
            failure_threshold: 5
            monitor_duration: "300s"
          notification:
            channels: [slack]
            events: [started, paused, promoted, rolled_back, aborted, completed]
      """;

  private static final String CATALOG =
      """
      services:
        api:
          environments:
            production:
              router: { type: file, file: { state_dir: routes } }
              versions:
                v1: { servers: ["10.0.0.1:8080"] }
      %s
              notifications:
                slack: { channel: "#deploys" }
      """;

  private static final String METRICS =
      """
              metrics:
                provider: prometheus
                address: "http://127.0.0.1:9090"
                selector: 'job="api",color="{{version}}"'
      """;

  private BlueGreenDocs() {}

  /** The spec example with {@code autoPromote}, judged on health probes (no metrics source). */
  public static BlueGreenInput input(String doc, BlueGreenOptions options) {
    return input(doc, options, false);
  }

  public static BlueGreenInput input(String doc, BlueGreenOptions options, boolean metrics) {
    DocumentLoader loader = new DocumentLoader();
    BlueGreenDocument bg = loader.parse("blue-green.yaml", doc, BlueGreenDocument.class);
    Catalog catalog =
        loader.parse("trafficctl.yaml", CATALOG.formatted(metrics ? METRICS : ""), Catalog.class);
    return new BlueGreenInput(
        "api",
        "production",
        bg.blueGreen().get("api"),
        ColorPools.resolve(
            "api", bg.blueGreen().get("api"), catalog.find("api", "production").orElseThrow()),
        options,
        "alice");
  }

  /** {@code input} with the catalog's {@code rollback.on_drift} set to {@code action}. */
  public static BlueGreenInput onDrift(BlueGreenInput input, DriftAction action) {
    return new BlueGreenInput(
        input.service(),
        input.env(),
        input.blueGreen(),
        input.target().withRollback(new RollbackSettings(null, action)),
        input.options(),
        input.requestedBy());
  }

  /**
   * The spec example with one field replaced, e.g. {@code with("auto_promote: false",
   * "auto_promote: true")}.
   */
  public static String with(String from, String to) {
    if (!SPEC_EXAMPLE.contains(from)) {
      throw new IllegalArgumentException("not in the example: " + from);
    }
    return SPEC_EXAMPLE.replace(from, to);
  }

  public static BlueGreenOptions options() {
    return BlueGreenOptions.defaults();
  }

  public static BlueGreenOptions autoPromote() {
    return new BlueGreenOptions(true, null, null, false, null, null, null, null);
  }

  public static BlueGreenOptions gradual(Boolean autoPromote) {
    return new BlueGreenOptions(
        autoPromote, null, null, true, null, Duration.ofSeconds(45), null, null);
  }

  public static BlueGreenOptions healthThreshold(double percent) {
    return new BlueGreenOptions(true, percent, null, false, null, null, null, null);
  }

  public static BlueGreenOptions switchTo(String color) {
    return new BlueGreenOptions(true, null, null, false, null, null, null, color);
  }
}
