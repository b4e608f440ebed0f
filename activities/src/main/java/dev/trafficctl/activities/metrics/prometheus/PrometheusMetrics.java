package dev.trafficctl.activities.metrics.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trafficctl.activities.AllowedHosts;
import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.activities.ResourceName;
import dev.trafficctl.activities.metrics.MetricsReader;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.catalog.MetricsSource;
import dev.trafficctl.config.catalog.ServerAddress;
import dev.trafficctl.workflows.ports.ConversionCounts;
import dev.trafficctl.workflows.ports.ConversionQuery;
import dev.trafficctl.workflows.ports.MetricsQuery;
import dev.trafficctl.workflows.ports.MetricsSample;
import dev.trafficctl.workflows.ports.UtilizationQuery;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Reads a version's requests, failures and latency percentile from Prometheus' HTTP API: three
 * instant queries ({@code GET /api/v1/query}) built from {@link PromQlTemplates}, all evaluated at
 * the same instant (now) so the counts belong together.
 *
 * <p>Answers: no series means no requests (0) and no latency (null); a NaN latency (no requests in
 * the window) is null too. {@code increase()} extrapolates, so counts are rounded, and failures
 * never exceed requests. Failures: Prometheus unreachable, timing out or answering 5xx throws
 * {@link PrometheusUnavailableException} (retryable); a query Prometheus rejects (400 {@code
 * bad_data}, 422 {@code execution}), a selector that is not a list of label matchers, or an answer
 * with several series fails non-retryably as invalid configuration, with Prometheus' message.
 *
 * <p>Utilization: one instant query per server from the catalog's {@code metrics.utilization}
 * template (default {@link MetricsSource#DEFAULT_UTILIZATION}), {@code {{server}}} replaced by the
 * checked {@code host:port} and {@code {{window}}} by the window. No series or NaN means no
 * measurement (the server is left out); a negative answer counts as 0.
 *
 * <p>A/B test conversions: the application counts users, not requests. It increments {@value
 * #EXPOSED_USERS}{@code {test,variant}} once per user the first time it serves them a variant, and
 * {@value #CONVERTED_USERS}{@code {test,variant,metric}} once per user the first time that user
 * converts on a success metric (bought, bounced, ...), so a rate is users who converted among users
 * exposed. {@code test} is the test's name, {@code variant} the document's variant name ({@code A},
 * {@code B}), {@code metric} the success metric's name. Both are read as running totals since the
 * test began, one {@code sum(...)} instant query per variant and counter; no series means 0, and
 * converted users never exceed exposed ones. A counter that restarts at 0 (the application
 * restarted) makes the totals drop until it catches up: an application should keep them in a store
 * that survives restarts, or a test that restarts should be read with care.
 */
public final class PrometheusMetrics implements MetricsReader {

  /**
   * Shared by every instance: one connection pool. The metrics activity has 20 seconds per attempt
   * for three queries, so each call gets at most 6.
   */
  private static final OkHttpClient SHARED_CLIENT =
      new OkHttpClient.Builder()
          .connectTimeout(Duration.ofSeconds(2))
          .readTimeout(Duration.ofSeconds(5))
          .callTimeout(Duration.ofSeconds(6))
          .build();

  private static final String VERSION_PLACEHOLDER = "{{version}}";

  /** Users served each variant of an A/B test, incremented once per user. */
  public static final String EXPOSED_USERS = "trafficctl_ab_exposed_users_total";

  /** Users who converted on a success metric, incremented once per user and metric. */
  public static final String CONVERTED_USERS = "trafficctl_ab_converted_users_total";

  /** What may go into a label value unquoted-safely: no quote, backslash or newline. */
  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  /** label op "value" or 'value', comma separated, an optional trailing comma. */
  private static final String MATCHER =
      "\\s*[A-Za-z_][A-Za-z0-9_]*\\s*(?:=~|!~|!=|=)\\s*"
          + "(?:\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*')\\s*";

  private static final Pattern SELECTOR = Pattern.compile(MATCHER + "(?:," + MATCHER + ")*,?\\s*");
  private static final Pattern ONE_MATCHER = Pattern.compile(MATCHER);
  private static final Pattern STATUS_CLASS = Pattern.compile("[1-5]xx");
  private static final Pattern STATUS_CODE = Pattern.compile("[1-5][0-9]{2}");
  private static final int MESSAGE_LIMIT = 300;

  private final OkHttpClient client;
  private final PromQlTemplates templates;
  private final Clock clock;
  private final AllowedHosts hosts;
  private final ObjectMapper json = JsonMapping.json();

  /** The default templates and the shared client; Prometheus on loopback only. */
  public PrometheusMetrics() {
    this(PromQlTemplates.defaults());
  }

  public PrometheusMetrics(PromQlTemplates templates) {
    this(SHARED_CLIENT, templates, Clock.systemUTC());
  }

  public PrometheusMetrics(OkHttpClient client, PromQlTemplates templates, Clock clock) {
    this(client, templates, clock, AllowedHosts.LOOPBACK);
  }

  /**
   * @param hosts where a catalog's {@code metrics.address} may point: the worker's settings
   */
  public PrometheusMetrics(AllowedHosts hosts) {
    this(SHARED_CLIENT, PromQlTemplates.defaults(), Clock.systemUTC(), hosts);
  }

  public PrometheusMetrics(
      OkHttpClient client, PromQlTemplates templates, Clock clock, AllowedHosts hosts) {
    this.client = client;
    this.templates = templates;
    this.clock = clock;
    this.hosts = hosts;
  }

  @Override
  public MetricsSample sample(MetricsQuery query) {
    MetricsSource source = query.source();
    HttpUrl endpoint = endpoint(query.service(), query.env(), source.address());
    String selector = selectorFor(source.selector(), query.version());
    Duration window = query.window().truncatedTo(ChronoUnit.MILLIS);
    String range = SpecDurations.format(window);
    Optional<String> codes = failureCodes(source.failureStatus());
    String time = epochSeconds(clock.instant());

    String requestsQuery =
        PromQlTemplates.render(templates.requests(), Map.of("selector", selector, "window", range));
    long requests = count(run(endpoint, requestsQuery, time), requestsQuery);

    long failures = 0;
    if (codes.isPresent()) {
      String failuresQuery =
          PromQlTemplates.render(
              templates.failures(),
              Map.of("selector", selector, "window", range, "failure_codes", codes.get()));
      failures = Math.min(requests, count(run(endpoint, failuresQuery, time), failuresQuery));
    }

    String latencyQuery =
        PromQlTemplates.render(
            templates.latencySeconds(),
            Map.of(
                "selector", selector, "window", range, "quantile", quantile(query.percentile())));
    Double latencyMillis =
        run(endpoint, latencyQuery, time)
            .filter(seconds -> !seconds.isNaN())
            .map(seconds -> seconds * 1000.0)
            .orElse(null);

    return new MetricsSample(requests, failures, latencyMillis, window);
  }

  @Override
  public Map<String, Double> utilization(UtilizationQuery query) {
    MetricsSource source = query.source();
    HttpUrl endpoint = endpoint(query.service(), query.env(), source.address());
    String template = source.utilizationOrDefault();
    if (!template.contains(MetricsSource.SERVER_PLACEHOLDER)) {
      throw InvalidConfiguration.failure(
          "metrics.utilization '"
              + template
              + "' lacks "
              + MetricsSource.SERVER_PLACEHOLDER
              + ": without it every server would report the same");
    }
    String range = SpecDurations.format(query.window().truncatedTo(ChronoUnit.MILLIS));
    String time = epochSeconds(clock.instant());
    Map<String, Double> utilization = new LinkedHashMap<>();
    for (String server : query.servers()) {
      String promql = utilizationQuery(template, server, range);
      Optional<Double> value = run(endpoint, promql, time).filter(v -> !v.isNaN());
      if (value.isPresent()) {
        double percent = value.get();
        if (!Double.isFinite(percent)) {
          throw InvalidConfiguration.failure(
              "Prometheus answered " + percent + " to " + promql + ", which is not a percentage");
        }
        utilization.put(server, Math.max(0, percent));
      }
    }
    return utilization;
  }

  @Override
  public ConversionCounts conversions(ConversionQuery query) {
    HttpUrl endpoint = endpoint(query.service(), query.env(), query.source().address());
    String test = labelValue("A/B test name", query.test());
    String metric = labelValue("success metric", query.metric());
    String time = epochSeconds(clock.instant());
    Map<String, ConversionCounts.UserCounts> counts = new LinkedHashMap<>();
    String scope = scopeOf(query.source().selector());
    String ofTest = (scope.isEmpty() ? "" : scope + ",") + "test=\"" + test + "\"";
    for (String variant : query.variants()) {
      String labels = ofTest + ",variant=\"" + labelValue("variant", variant) + "\"";
      String exposedQuery = "sum(" + EXPOSED_USERS + "{" + labels + "})";
      long exposed = count(run(endpoint, exposedQuery, time), exposedQuery);
      String convertedQuery =
          "sum(" + CONVERTED_USERS + "{" + labels + ",metric=\"" + metric + "\"})";
      long converted =
          Math.min(exposed, count(run(endpoint, convertedQuery, time), convertedQuery));
      counts.put(variant, new ConversionCounts.UserCounts(exposed, converted));
    }
    return new ConversionCounts(query.metric(), counts);
  }

  private static String labelValue(String what, String value) {
    if (value == null || !LABEL_VALUE.matcher(value).matches()) {
      throw InvalidConfiguration.failure(
          what + " \"" + value + "\" cannot be a PromQL label value (" + LABEL_VALUE + ")");
    }
    return value;
  }

  /**
   * The utilization query of one server. The address is checked to be a plain {@code host:port} (no
   * quote or backslash), so it cannot end the label value it is put in.
   */
  static String utilizationQuery(String template, String server, String range) {
    String address;
    try {
      address = ServerAddress.parse(server).toString();
    } catch (IllegalArgumentException e) {
      throw InvalidConfiguration.failure("server " + e.getMessage(), e);
    }
    return template
        .replace(MetricsSource.SERVER_PLACEHOLDER, address)
        .replace(MetricsSource.WINDOW_PLACEHOLDER, range);
  }

  private HttpUrl endpoint(String service, String env, String address) {
    HttpUrl base = address == null ? null : HttpUrl.parse(address);
    if (base == null) {
      throw InvalidConfiguration.failure(
          "metrics.address \"" + address + "\" is not an http(s) URL of Prometheus");
    }
    hosts.require(service + " (" + env + ")", "metrics.address", base);
    return base.newBuilder().addPathSegments("api/v1/query").build();
  }

  /**
   * The catalog's selector for one version. Only {@code {{version}}} is replaced, and only by a
   * checked name; the result must be plain label matchers, so nothing can close the braces and
   * append PromQL of its own.
   */
  static String selectorFor(String template, String version) {
    ResourceName.require("version", version);
    if (template == null || !template.contains(VERSION_PLACEHOLDER)) {
      throw InvalidConfiguration.failure(
          "metrics.selector "
              + (template == null
                  ? "is missing"
                  : "'" + template + "' lacks " + VERSION_PLACEHOLDER)
              + ": without it every version would report the same requests");
    }
    String selector = template.replace(VERSION_PLACEHOLDER, version);
    if (!SELECTOR.matcher(selector).matches()) {
      throw InvalidConfiguration.failure(
          "metrics.selector '"
              + template
              + "' is not a list of PromQL label matchers such as job=\"api\",version=\""
              + VERSION_PLACEHOLDER
              + "\"");
    }
    String trimmed = selector.strip();
    return trimmed.endsWith(",") ? trimmed.substring(0, trimmed.length() - 1).strip() : trimmed;
  }

  /**
   * The catalog's selector without its {@code {{version}}} matchers: where the service's A/B
   * counters are, whichever versions serve the variants ({@code job="api"} of {@code
   * job="api",version="{{version}}"}). Without it, a test's users would be counted again wherever
   * else Prometheus scrapes the same application, and together with another service's test of the
   * same name.
   */
  static String scopeOf(String template) {
    String marker = "trafficctl-version-marker";
    // Checked as a whole first, so the matchers found one after another are exactly its own.
    Matcher matchers = ONE_MATCHER.matcher(selectorFor(template, marker));
    List<String> kept = new ArrayList<>();
    while (matchers.find()) {
      if (!matchers.group().contains(marker)) {
        kept.add(matchers.group().strip());
      }
    }
    return String.join(",", kept);
  }

  /** {@code ["5xx", "429"]} as {@code 5..|429}; empty when nothing counts as a failure. */
  static Optional<String> failureCodes(List<String> failureStatus) {
    List<String> alternatives = new ArrayList<>();
    for (String status : failureStatus) {
      if (status != null && STATUS_CLASS.matcher(status).matches()) {
        alternatives.add(status.charAt(0) + "..");
      } else if (status != null && STATUS_CODE.matcher(status).matches()) {
        alternatives.add(status);
      } else {
        throw InvalidConfiguration.failure(
            "metrics.failure_status \"" + status + "\" is not a status class (5xx) or code (503)");
      }
    }
    return alternatives.isEmpty() ? Optional.empty() : Optional.of(String.join("|", alternatives));
  }

  /** 95 as {@code 0.95}, 99.9 as {@code 0.999}, 50 as {@code 0.5}. */
  static String quantile(double percentile) {
    return BigDecimal.valueOf(percentile).movePointLeft(2).stripTrailingZeros().toPlainString();
  }

  private static String epochSeconds(Instant now) {
    return BigDecimal.valueOf(now.toEpochMilli()).movePointLeft(3).toPlainString();
  }

  private static long count(Optional<Double> value, String promql) {
    if (value.isEmpty()) {
      return 0;
    }
    double v = value.get();
    if (!Double.isFinite(v)) {
      throw InvalidConfiguration.failure(
          "Prometheus answered " + v + " to " + promql + ", which is not a count");
    }
    return Math.max(0, Math.round(v));
  }

  /** The single value of an instant query; empty when it returned no series. */
  private Optional<Double> run(HttpUrl endpoint, String promql, String time) {
    HttpUrl url =
        endpoint
            .newBuilder()
            .addQueryParameter("query", promql)
            .addQueryParameter("time", time)
            .build();
    Request request = new Request.Builder().url(url).header("Accept", "application/json").build();
    String where = "Prometheus at " + endpoint;
    try (Response response = client.newCall(request).execute()) {
      ResponseBody body = response.body();
      String text = body == null ? "" : body.string();
      if (response.code() == 400 || response.code() == 422) {
        throw InvalidConfiguration.failure(
            where + " rejected the query " + promql + ": " + errorOf(text));
      }
      if (!response.isSuccessful()) {
        throw new PrometheusUnavailableException(
            where + " answered HTTP " + response.code() + " to " + promql + ": " + errorOf(text));
      }
      return valueOf(text, where, promql);
    } catch (IOException e) {
      throw new PrometheusUnavailableException(where + " is unreachable: " + e, e);
    }
  }

  private Optional<Double> valueOf(String text, String where, String promql) {
    JsonNode root;
    try {
      root = json.readTree(text);
    } catch (IOException e) {
      throw new PrometheusUnavailableException(
          where + " answered with something other than JSON: " + abbreviate(text), e);
    }
    if (root == null || !"success".equals(root.path("status").asText())) {
      throw new PrometheusUnavailableException(
          where + " did not answer " + promql + " successfully: " + errorOf(text));
    }
    JsonNode data = root.path("data");
    String resultType = data.path("resultType").asText();
    JsonNode result = data.path("result");
    if (resultType.equals("scalar")) {
      return Optional.of(number(result));
    }
    if (!resultType.equals("vector")) {
      throw InvalidConfiguration.failure(
          promql + " returned a " + resultType + ", not an instant vector or scalar");
    }
    if (result.size() == 0) {
      return Optional.empty();
    }
    if (result.size() > 1) {
      throw InvalidConfiguration.failure(
          promql
              + " returned "
              + result.size()
              + " series, e.g. "
              + result.get(0).path("metric")
              + "; a query must aggregate to one (sum ...)");
    }
    return Optional.of(number(result.get(0).path("value")));
  }

  /** The value of a {@code [<time>, "<value>"]} pair; Prometheus writes numbers as strings. */
  private static double number(JsonNode pair) {
    String text = pair.path(1).asText();
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new PrometheusUnavailableException(
              "Prometheus answered \"" + text + "\" where a number belongs", e);
        }
      }
    };
  }

  /** Prometheus' own error message when the body has one, else the start of the body. */
  private String errorOf(String text) {
    try {
      JsonNode root = json.readTree(text);
      if (root != null && root.hasNonNull("error")) {
        String type = root.path("errorType").asText("");
        return root.get("error").asText() + (type.isEmpty() ? "" : " (" + type + ")");
      }
    } catch (IOException notJson) {
      // A proxy's HTML page or plain text: show its start instead.
    }
    return abbreviate(text);
  }

  private static String abbreviate(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    if (oneLine.isEmpty()) {
      return "(empty body)";
    }
    return oneLine.length() <= MESSAGE_LIMIT
        ? oneLine
        : oneLine.substring(0, MESSAGE_LIMIT) + "...";
  }
}
