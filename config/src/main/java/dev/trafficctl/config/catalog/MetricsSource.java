package dev.trafficctl.config.catalog;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code metrics:} of a catalog environment: where request metrics per version come from.
 *
 * @param provider {@code prometheus} or {@code nginx-log}
 * @param address prometheus: base URL of the HTTP API
 * @param selector prometheus: label selector, {@code {{version}}} replaced by the version name
 * @param accessLog nginx-log: path of nginx's JSON access log
 * @param failureStatus status classes or codes that count as failed requests ({@code 5xx}, {@code
 *     429}); default {@code 5xx}
 * @param utilization prometheus, optional: PromQL giving one server's utilization in percent
 *     (0..100) over a window, for capacity-based server weights ({@code traffic split
 *     --adjust-weights}). {@code {{server}}} is replaced by the server's {@code host:port} as the
 *     catalog lists it (the {@code instance} label when Prometheus scrapes the servers at those
 *     addresses), {@code {{window}}} by the window ({@code 5m}). Absent: {@value
 *     #DEFAULT_UTILIZATION}, the percent of one CPU core the server's process used
 * @param minimumRequests fewer requests than this in a window is inconclusive, for the analyses
 *     whose document gives no number of its own (a blue-green switch and its watch); default
 *     {@value #DEFAULT_MINIMUM_REQUESTS}
 */
public record MetricsSource(
    MetricsProviderType provider,
    String address,
    String selector,
    String accessLog,
    List<String> failureStatus,
    String utilization,
    Long minimumRequests)
    implements Validatable {

  /** Fewer requests than this in a window cannot show an error percentage worth judging. */
  public static final long DEFAULT_MINIMUM_REQUESTS = 20;

  /** The utilization query when the catalog gives none: CPU of the server's process, percent. */
  public static final String DEFAULT_UTILIZATION =
      "100 * sum(rate(process_cpu_seconds_total{instance=\"{{server}}\"}[{{window}}]))";

  public static final String SERVER_PLACEHOLDER = "{{server}}";
  public static final String WINDOW_PLACEHOLDER = "{{window}}";

  private static final Pattern STATUS = Pattern.compile("[1-5]xx|[1-5][0-9]{2}");

  public MetricsSource {
    failureStatus = failureStatus == null ? List.of("5xx") : List.copyOf(failureStatus);
  }

  /** Without a utilization query (the default one applies) nor a minimum of requests. */
  public MetricsSource(
      MetricsProviderType provider,
      String address,
      String selector,
      String accessLog,
      List<String> failureStatus) {
    this(provider, address, selector, accessLog, failureStatus, null, null);
  }

  /** {@code minimum_requests}, or its default. */
  public long minimumRequestsOrDefault() {
    return minimumRequests == null ? DEFAULT_MINIMUM_REQUESTS : minimumRequests;
  }

  /** The catalog's utilization query, else {@link #DEFAULT_UTILIZATION}. */
  public String utilizationOrDefault() {
    return utilization == null ? DEFAULT_UTILIZATION : utilization;
  }

  /** Whether an HTTP status counts as a failed request. */
  public boolean isFailure(int status) {
    String code = Integer.toString(status);
    return failureStatus.stream()
        .anyMatch(p -> p.equals(code) || (p.endsWith("xx") && p.charAt(0) == code.charAt(0)));
  }

  @Override
  public void validate(Validator at) {
    at.required("provider", provider);
    if (provider == MetricsProviderType.PROMETHEUS) {
      at.required("address", address);
      at.matches("address", address, Pattern.compile("https?://\\S+"), "an http(s) URL");
    }
    if (provider == MetricsProviderType.NGINX_LOG) {
      at.required("access_log", accessLog);
    }
    if (utilization != null) {
      at.check(
          provider == MetricsProviderType.PROMETHEUS,
          "utilization",
          "is a PromQL query: only with provider prometheus");
      at.check(
          utilization.contains(SERVER_PLACEHOLDER),
          "utilization",
          "lacks " + SERVER_PLACEHOLDER + ": without it every server would report the same");
    }
    if (minimumRequests != null) {
      at.atLeast("minimum_requests", minimumRequests, 1);
    }
    for (int i = 0; i < failureStatus.size(); i++) {
      String status = failureStatus.get(i);
      if (!STATUS.matcher(status).matches()) {
        at.at("failure_status")
            .index(i)
            .fail("\"" + status + "\" is not a status class (5xx) or code (503)");
      }
    }
  }
}
