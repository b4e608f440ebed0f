package dev.trafficctl.workflows.canary.testing;

import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.canary.CanaryDocument;
import dev.trafficctl.config.canary.CanarySpec;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.workflows.canary.CanaryInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canary inputs built from document text, as a person would write them: the catalog's {@code api}
 * service in {@code production} (v1 stable, v2 candidate) and a canary document. {@link #fast()} is
 * a short canary (10% and 50% for 5m each, analysis every minute over 1m windows) whose settings a
 * test changes one line at a time.
 */
public final class CanaryDocs {

  public static final String SERVICE = "api";
  public static final String ENV = "production";
  public static final String STABLE = "v1";
  public static final String CANDIDATE = "v2";

  public static final String CATALOG =
      """
      services:
        api:
          environments:
            production:
              router: { type: nginx, nginx: { mode: dynamic, load_balancer: lb/nginx-api.yaml } }
              versions:
                v1: { servers: ["127.0.0.1:18081", "127.0.0.1:18082"] }
                v2: { servers: ["127.0.0.1:18083"] }
              metrics:
                provider: prometheus
                address: "http://127.0.0.1:9090"
                selector: 'job="api",version="{{version}}"'
              health: { endpoint: /health }
              notifications: { slack: { channel: "#deploys" }, email: { to: ["ops@example.com"] } }
      """;

  /** The spec's own canary example, unchanged. */
  public static final String SPEC_EXAMPLE =
      """
      canary:
        api:
          steps:
            - traffic_percent: 5
              duration: "5m"
              success_threshold: 99
            - traffic_percent: 10
              duration: "5m"
              success_threshold: 99
            - traffic_percent: 25
              duration: "10m"
              success_threshold: 98
            - traffic_percent: 50
              duration: "10m"
              success_threshold: 98
            - traffic_percent: 100
          metrics:
            success_rate:
              threshold: 99
              window: "5m"
            error_rate:
              threshold: 1
              window: "5m"
            response_time:
              threshold: "500ms"
              percentile: 95
          auto_promote: true
          auto_rollback: true
          notification:
            channels: ["slack", "email"]
            events: ["started", "promoted", "aborted", "completed"]
      """;

  private CanaryDocs() {}

  /** The catalog's entry for api in production. */
  public static EnvironmentEntry target() {
    return new DocumentLoader()
        .parse("trafficctl.yaml", CATALOG, Catalog.class)
        .find(SERVICE, ENV)
        .orElseThrow();
  }

  /** {@code canary.api} of a canary document. */
  public static CanarySpec spec(String canaryYaml) {
    return new DocumentLoader()
        .parse("canary.yaml", canaryYaml, CanaryDocument.class)
        .canary()
        .get(SERVICE);
  }

  /** Deploys v2 of api in production with {@code canaryYaml}. */
  public static CanaryInput input(String canaryYaml) {
    return new CanaryInput(SERVICE, ENV, CANDIDATE, spec(canaryYaml), target(), "alice");
  }

  public static Builder fast() {
    return new Builder();
  }

  /** A canary document, one setting at a time. */
  public static final class Builder {
    private List<String> steps =
        List.of(
            "{ traffic_percent: 10, duration: \"5m\" }",
            "{ traffic_percent: 50, duration: \"5m\" }",
            "{ traffic_percent: 100 }");
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, String> analysis = new LinkedHashMap<>();

    private Builder() {
      analysis.put("interval", "\"1m\"");
      analysis.put("minimum_requests", "50");
      settings.put("notification", "{ channels: [\"slack\"] }");
    }

    /** Steps as {@code percent:duration}, or {@code percent} alone for the promotion step. */
    public Builder steps(String... stepsText) {
      List<String> out = new ArrayList<>();
      for (String s : stepsText) {
        int colon = s.indexOf(':');
        out.add(
            colon < 0
                ? "{ traffic_percent: " + s + " }"
                : "{ traffic_percent: "
                    + s.substring(0, colon)
                    + ", duration: \""
                    + s.substring(colon + 1)
                    + "\" }");
      }
      steps = out;
      return this;
    }

    /** A setting of {@code canary.api}, e.g. {@code ("auto_rollback", "false")}. */
    public Builder with(String field, String yamlValue) {
      settings.put(field, yamlValue);
      return this;
    }

    /** A setting of {@code canary.api.analysis}, e.g. {@code ("inconclusive_limit", "2")}. */
    public Builder analysis(String field, String yamlValue) {
      analysis.put(field, yamlValue);
      return this;
    }

    public String yaml() {
      StringBuilder y = new StringBuilder("canary:\n  api:\n    steps:\n");
      steps.forEach(s -> y.append("      - ").append(s).append('\n'));
      y.append(
          """
              metrics:
                success_rate: { threshold: 99, window: "1m" }
                error_rate: { threshold: 1, window: "1m" }
                response_time: { threshold: "500ms", percentile: 95, window: "1m" }
          """);
      settings.forEach((k, v) -> y.append("    ").append(k).append(": ").append(v).append('\n'));
      y.append("    analysis:\n");
      analysis.forEach((k, v) -> y.append("      ").append(k).append(": ").append(v).append('\n'));
      return y.toString();
    }

    public CanaryInput input() {
      return CanaryDocs.input(yaml());
    }
  }
}
