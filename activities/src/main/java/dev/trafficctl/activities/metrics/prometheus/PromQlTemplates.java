package dev.trafficctl.activities.metrics.prometheus;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL a {@link PrometheusMetrics} sends, one instant query per figure. Defaults fit services
 * instrumented the usual way (a {@code http_requests_total} counter with a {@code code} label and a
 * {@code http_request_duration_seconds} histogram, as Prometheus' client libraries name them):
 *
 * <pre>
 * requests: sum(increase(http_requests_total{${selector}}[${window}]))
 * failures: sum(increase(http_requests_total{${selector},code=~"${failure_codes}"}[${window}]))
 * latency:  histogram_quantile(${quantile}, sum by (le) (rate(http_request_duration_seconds_bucket{${selector}}[${window}])))
 * </pre>
 *
 * Placeholders, filled in one pass (a filled-in value is never scanned again):
 *
 * <ul>
 *   <li>{@code ${selector}}: the catalog's {@code metrics.selector} with {@code {{version}}}
 *       replaced by the version, checked to be a list of label matchers;
 *   <li>{@code ${window}}: the analysis window in Prometheus' duration syntax ({@code 5m}, {@code
 *       1h30m});
 *   <li>{@code ${failure_codes}}: the catalog's {@code failure_status} as a regular expression
 *       ({@code 5xx} becomes {@code 5..}, {@code 429} stays, joined with {@code |});
 *   <li>{@code ${quantile}}: the percentile as a fraction ({@code 95} becomes {@code 0.95}).
 * </ul>
 *
 * Services instrumented differently pass their own templates to the constructor (the worker reads
 * them from its configuration; the catalog stays provider-neutral). Each query must aggregate to
 * one series; the latency query yields seconds, Prometheus' base unit.
 *
 * @param requests requests in the window; needs {@code ${selector}} and {@code ${window}}
 * @param failures failed requests in the window; also needs {@code ${failure_codes}}
 * @param latencySeconds the latency percentile in seconds; also needs {@code ${quantile}}
 */
public record PromQlTemplates(String requests, String failures, String latencySeconds) {

  public static final String DEFAULT_REQUESTS =
      "sum(increase(http_requests_total{${selector}}[${window}]))";
  public static final String DEFAULT_FAILURES =
      "sum(increase(http_requests_total{${selector},code=~\"${failure_codes}\"}[${window}]))";
  public static final String DEFAULT_LATENCY_SECONDS =
      "histogram_quantile(${quantile}, sum by (le) "
          + "(rate(http_request_duration_seconds_bucket{${selector}}[${window}])))";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]*)}");
  private static final Set<String> KNOWN =
      Set.of("selector", "window", "failure_codes", "quantile");

  /** Any template left null takes its default. */
  public PromQlTemplates {
    requests = requests == null ? DEFAULT_REQUESTS : requests;
    failures = failures == null ? DEFAULT_FAILURES : failures;
    latencySeconds = latencySeconds == null ? DEFAULT_LATENCY_SECONDS : latencySeconds;
    check("requests", requests, "selector", "window");
    check("failures", failures, "selector", "window", "failure_codes");
    check("latency", latencySeconds, "selector", "window", "quantile");
  }

  public static PromQlTemplates defaults() {
    return new PromQlTemplates(null, null, null);
  }

  /** Fills {@code template}'s placeholders from {@code values} in a single pass. */
  static String render(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for ${" + m.group(1) + "} in " + template);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static void check(String name, String template, String... required) {
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!KNOWN.contains(m.group(1))) {
        throw new IllegalArgumentException(
            name + " template has an unknown placeholder ${" + m.group(1) + "}: " + template);
      }
    }
    for (String placeholder : required) {
      if (!template.contains("${" + placeholder + "}")) {
        throw new IllegalArgumentException(
            name + " template lacks ${" + placeholder + "}: " + template);
      }
    }
  }
}
