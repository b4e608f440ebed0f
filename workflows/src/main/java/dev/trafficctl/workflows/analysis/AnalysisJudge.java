package dev.trafficctl.workflows.analysis;

import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.workflows.ports.MetricsSample;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.MetricCheck;
import dev.trafficctl.workflows.status.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judges one analysis from measured samples. Bounds are inclusive (a success rate exactly at its
 * threshold passes). Too few requests in any window is inconclusive, never a pass, and is decided
 * before any bound: a rate from a handful of requests says nothing.
 */
public final class AnalysisJudge {

  private AnalysisJudge() {}

  /**
   * @param samples one sample per window of {@link AnalysisCriteria#windows()}
   */
  public static AnalysisReport judge(
      AnalysisCriteria criteria, Map<Duration, MetricsSample> samples, Instant at) {
    List<MetricCheck> checks = new ArrayList<>();
    long fewest = Long.MAX_VALUE;
    for (Duration window : criteria.windows()) {
      MetricsSample sample = samples.get(window);
      if (sample == null) {
        throw new IllegalArgumentException("no sample for window " + window);
      }
      fewest = Math.min(fewest, sample.requests());
    }
    if (criteria.isEmpty()) {
      return new AnalysisReport(at, Verdict.PASS, List.of(), 0, 0, "no metrics configured");
    }
    if (criteria.successRateAtLeast() != null) {
      MetricsSample s = samples.get(criteria.successRateWindow());
      double value = s.successRatePercent();
      checks.add(
          new MetricCheck(
              "success_rate",
              s.requests() == 0 ? null : value,
              criteria.successRateAtLeast(),
              true,
              "%",
              criteria.successRateWindow(),
              value >= criteria.successRateAtLeast()));
    }
    if (criteria.errorRateAtMost() != null) {
      MetricsSample s = samples.get(criteria.errorRateWindow());
      double value = s.errorRatePercent();
      checks.add(
          new MetricCheck(
              "error_rate",
              s.requests() == 0 ? null : value,
              criteria.errorRateAtMost(),
              false,
              "%",
              criteria.errorRateWindow(),
              value <= criteria.errorRateAtMost()));
    }
    boolean latencyMissing = false;
    if (criteria.latencyAtMost() != null) {
      MetricsSample s = samples.get(criteria.latencyWindow());
      Double value = s.latencyMillis();
      latencyMissing = value == null || value.isNaN();
      double bound = criteria.latencyAtMost().toMillis();
      checks.add(
          new MetricCheck(
              "p" + percentileName(criteria.latencyPercentile()),
              latencyMissing ? null : value,
              bound,
              false,
              "ms",
              criteria.latencyWindow(),
              !latencyMissing && value <= bound));
    }
    long minimum = criteria.minimumRequests();
    if (fewest < minimum) {
      return new AnalysisReport(
          at,
          Verdict.INCONCLUSIVE,
          checks,
          fewest,
          minimum,
          "saw " + fewest + " requests, needs " + minimum);
    }
    if (latencyMissing) {
      return new AnalysisReport(
          at, Verdict.INCONCLUSIVE, checks, fewest, minimum, "no latency measurements");
    }
    List<String> failed =
        checks.stream().filter(c -> !c.ok()).map(AnalysisJudge::describeBreach).toList();
    if (!failed.isEmpty()) {
      return new AnalysisReport(
          at, Verdict.FAIL, checks, fewest, minimum, String.join("; ", failed));
    }
    return new AnalysisReport(at, Verdict.PASS, checks, fewest, minimum, null);
  }

  /**
   * The report of an analysis whose metrics could not be read: an error, never a breach, since
   * unreadable metrics say nothing about the version. The caller's error limit decides.
   */
  public static AnalysisReport unreadable(AnalysisCriteria criteria, Instant at, String why) {
    return new AnalysisReport(
        at, Verdict.ERROR, List.of(), 0, criteria.minimumRequests(), "metrics unavailable: " + why);
  }

  /** {@code success_rate 97.2% < 99% over 5m}: the metric, its value, its bound and its window. */
  public static String describeBreach(MetricCheck c) {
    return c.metric()
        + " "
        + format(c.value())
        + c.unit()
        + (c.atLeast() ? " < " : " > ")
        + format(c.threshold())
        + c.unit()
        + " over "
        + SpecDurations.format(c.window());
  }

  /** A value for people: at most two decimals, no trailing zeros. */
  public static String format(Double value) {
    if (value == null) {
      return "n/a";
    }
    String s = String.format(Locale.ROOT, "%.2f", value);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static String percentileName(double percentile) {
    return format(percentile).replace(".", "_");
  }
}
