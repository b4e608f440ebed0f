package dev.trafficctl.workflows.canary.testing;

import dev.trafficctl.workflows.ports.ConversionCounts;
import dev.trafficctl.workflows.ports.ConversionQuery;
import dev.trafficctl.workflows.ports.MetricsProvider;
import dev.trafficctl.workflows.ports.MetricsQuery;
import dev.trafficctl.workflows.ports.MetricsSample;
import dev.trafficctl.workflows.ports.UtilizationQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Request metrics per version from a script a test can change at any time: the candidate can go bad
 * in the middle of a rollout, see too few requests, or have metrics that cannot be read. Versions
 * without a script look healthy. Server utilization comes from a scriptable map; servers not in it
 * have no measurement. A/B test conversions come from a script too; without one every variant has
 * counted nobody.
 */
public final class ScriptedMetrics implements MetricsProvider {

  private final Map<String, Function<MetricsQuery, MetricsSample>> scripts =
      new ConcurrentHashMap<>();
  private final List<MetricsQuery> queries = new ArrayList<>();
  private final Map<String, Double> utilization = new ConcurrentHashMap<>();
  private final List<UtilizationQuery> utilizationQueries = new ArrayList<>();
  private volatile boolean utilizationUnavailable;

  /** {@code server} ({@code host:port}) is {@code percent} busy. */
  public void utilization(String server, double percent) {
    utilization.put(server, percent);
  }

  /** Utilization queries fail (the metrics backend is unreachable). */
  public void utilizationUnavailable() {
    utilizationUnavailable = true;
  }

  @Override
  public Map<String, Double> utilization(UtilizationQuery query) {
    synchronized (utilizationQueries) {
      utilizationQueries.add(query);
    }
    if (utilizationUnavailable) {
      throw new IllegalStateException("prometheus unreachable (scripted)");
    }
    Map<String, Double> answer = new LinkedHashMap<>();
    for (String server : query.servers()) {
      Double percent = utilization.get(server);
      if (percent != null) {
        answer.put(server, percent);
      }
    }
    return answer;
  }

  /** Utilization queries received, oldest first. */
  public List<UtilizationQuery> utilizationQueries() {
    synchronized (utilizationQueries) {
      return List.copyOf(utilizationQueries);
    }
  }

  /** Answers queries for {@code version} with {@code script}. */
  public void script(String version, Function<MetricsQuery, MetricsSample> script) {
    scripts.put(version, script);
  }

  /** 1,000 requests, 2 failed (99.8%), p95 120ms. */
  public void healthy(String version) {
    script(version, q -> new MetricsSample(1000, 2, 120.0, q.window()));
  }

  /** 1,000 requests, {@code failures} of them failed, p95 120ms. */
  public void failing(String version, long failures) {
    script(version, q -> new MetricsSample(1000, failures, 120.0, q.window()));
  }

  /** Healthy rates and latency, but only {@code requests} requests per window. */
  public void tooFewRequests(String version, long requests) {
    script(version, q -> new MetricsSample(requests, 0, 100.0, q.window()));
  }

  /** Every query for {@code version} fails (the metrics backend is unreachable). */
  public void unreachable(String version) {
    script(
        version,
        q -> {
          throw new IllegalStateException("prometheus unreachable (scripted)");
        });
  }

  @Override
  public MetricsSample sample(MetricsQuery query) {
    synchronized (queries) {
      queries.add(query);
    }
    Function<MetricsQuery, MetricsSample> script = scripts.get(query.version());
    if (script == null) {
      return new MetricsSample(1000, 2, 120.0, query.window());
    }
    return script.apply(query);
  }

  /** Queries received (attempts that failed included), oldest first. */
  public List<MetricsQuery> queries() {
    synchronized (queries) {
      return List.copyOf(queries);
    }
  }

  /** How many queries asked about {@code window}. */
  public long queriesOver(Duration window) {
    return queries().stream().filter(q -> q.window().equals(window)).count();
  }

  private volatile Function<ConversionQuery, ConversionCounts> conversionScript;
  private final List<ConversionQuery> conversionQueries = new ArrayList<>();

  /** Answers A/B test conversion queries with {@code script} (which may throw). */
  public void conversions(Function<ConversionQuery, ConversionCounts> script) {
    conversionScript = script;
  }

  @Override
  public ConversionCounts conversions(ConversionQuery query) {
    synchronized (conversionQueries) {
      conversionQueries.add(query);
    }
    Function<ConversionQuery, ConversionCounts> script = conversionScript;
    if (script != null) {
      return script.apply(query);
    }
    Map<String, ConversionCounts.UserCounts> none = new LinkedHashMap<>();
    query.variants().forEach(v -> none.put(v, new ConversionCounts.UserCounts(0, 0)));
    return new ConversionCounts(query.metric(), none);
  }

  /** Conversion queries received (failed attempts included), oldest first. */
  public List<ConversionQuery> conversionQueries() {
    synchronized (conversionQueries) {
      return List.copyOf(conversionQueries);
    }
  }
}
