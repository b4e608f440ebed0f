package dev.trafficctl.cli.abtest;

import dev.trafficctl.workflows.analysis.abtest.AbTestResults;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults.Comparison;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults.MetricResult;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults.VariantResult;
import dev.trafficctl.workflows.analysis.abtest.Conclusion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code ab-test results} for people: a header, then a table per success metric with a row per
 * variant (users, conversions, rate with its interval) and, for each treatment, its lift against
 * the control with intervals, the p-value, the achieved power and the verdict.
 */
final class AbTestResultsView {

  private static final String ROW = "%-8s %-8s %8s %11s  %-24s %-26s %-24s %8s %6s  %s%n";

  private AbTestResultsView() {}

  static String render(AbTestResults results, String workflowId, List<MetricResult> metrics) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "A/B test %s (%s): %d %s%s%n",
            results.name(),
            workflowId,
            results.analyses(),
            results.analyses() == 1 ? "analysis" : "analyses",
            results.analysedAt() == null ? ", none yet" : ", latest at " + results.analysedAt()));
    if (results.metricsError() != null) {
      out.append("Metrics unavailable at the latest analysis: ")
          .append(results.metricsError())
          .append('\n');
    }
    Conclusion c = results.conclusion();
    if (c != null) {
      out.append(
          String.format(
              Locale.ROOT,
              "Concluded: %s (%s) by %s%s%s%n",
              c.winner(),
              c.version(),
              c.by(),
              c.automatic() ? " (automatic)" : "",
              c.reason() == null ? "" : ": " + c.reason()));
    }
    for (MetricResult m : metrics) {
      out.append('\n');
      out.append(
          String.format(
              Locale.ROOT,
              "%s%s: a win is %s%n",
              m.metric(),
              m.primary() ? " (primary)" : "",
              signedPercent(m.threshold()) + " relative"));
      out.append(
          String.format(
              Locale.ROOT,
              ROW,
              "VARIANT",
              "VERSION",
              "USERS",
              "CONVERSIONS",
              "RATE [INTERVAL]",
              "LIFT [INTERVAL]",
              "ABS LIFT [INTERVAL]",
              "P-VALUE",
              "POWER",
              "VERDICT"));
      Map<String, Comparison> byVariant =
          m.comparisons().stream()
              .collect(Collectors.toMap(Comparison::variant, Function.identity()));
      for (VariantResult v : m.variants()) {
        Comparison cmp = byVariant.get(v.variant());
        out.append(
            String.format(
                Locale.ROOT,
                ROW,
                v.variant(),
                v.version(),
                v.users(),
                v.conversions(),
                rate(v),
                cmp == null
                    ? "(control)"
                    : interval(
                        cmp.relativeLift(), cmp.relativeLiftLower(), cmp.relativeLiftUpper()),
                cmp == null ? "" : points(cmp),
                cmp == null || cmp.pValue() == null ? "" : pValue(cmp.pValue()),
                cmp == null || cmp.power() == null
                    ? ""
                    : String.format(Locale.ROOT, "%.2f", cmp.power()),
                cmp == null
                    ? ""
                    : cmp.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
      }
      out.append(m.summary()).append('\n');
    }
    return out.toString();
  }

  /** The metrics asked for, in the test's order; all when {@code names} is empty. */
  static List<MetricResult> select(AbTestResults results, List<String> names) {
    if (names.isEmpty()) {
      return results.metrics();
    }
    List<MetricResult> chosen = new ArrayList<>();
    for (MetricResult m : results.metrics()) {
      if (names.contains(m.metric())) {
        chosen.add(m);
      }
    }
    return chosen;
  }

  private static String rate(VariantResult v) {
    if (v.rate() == null) {
      return "-";
    }
    return String.format(
        Locale.ROOT,
        "%.2f%% [%.2f, %.2f]",
        v.rate() * 100,
        v.rateLower() * 100,
        v.rateUpper() * 100);
  }

  private static String interval(Double value, Double lower, Double upper) {
    if (value == null) {
      return "-";
    }
    String base = signedPercent(value);
    return lower == null || upper == null
        ? base
        : base + " [" + signedPercent(lower) + ", " + signedPercent(upper) + "]";
  }

  private static String points(Comparison c) {
    if (c.absoluteLift() == null) {
      return "-";
    }
    String base = String.format(Locale.ROOT, "%+.2f pp", c.absoluteLift() * 100);
    return c.absoluteLiftLower() == null || c.absoluteLiftUpper() == null
        ? base
        : base
            + String.format(
                Locale.ROOT,
                " [%+.2f, %+.2f]",
                c.absoluteLiftLower() * 100,
                c.absoluteLiftUpper() * 100);
  }

  private static String signedPercent(double fraction) {
    return String.format(Locale.ROOT, "%+.1f%%", fraction * 100);
  }

  private static String pValue(double p) {
    return p < 0.0001 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", p);
  }
}
