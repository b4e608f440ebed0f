package dev.trafficctl.workflows.analysis.abtest;

import dev.trafficctl.config.abtest.AbTestSpec;
import dev.trafficctl.config.abtest.SuccessMetric;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults.Comparison;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults.MetricResult;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults.VariantResult;
import dev.trafficctl.workflows.analysis.abtest.stats.ConfidenceInterval;
import dev.trafficctl.workflows.analysis.abtest.stats.MetricAnalysis;
import dev.trafficctl.workflows.analysis.abtest.stats.Proportion;
import dev.trafficctl.workflows.analysis.abtest.stats.SequentialJudge;
import dev.trafficctl.workflows.analysis.abtest.stats.SequentialLooks;
import dev.trafficctl.workflows.analysis.abtest.stats.TwoProportionTest;
import dev.trafficctl.workflows.analysis.abtest.stats.Verdict;
import dev.trafficctl.workflows.ports.ConversionCounts.UserCounts;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.MetricCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns an A/B test's latest counts into its results, and says which variant they make the winner.
 * Pure: the workflow calls it on every analysis with the looks the previous one left, tests call it
 * directly.
 */
public final class AbTestAnalysis {

  private static final UserCounts NOBODY = new UserCounts(0, 0);

  private AbTestAnalysis() {}

  /**
   * The results of one analysis, and every comparison's looks with it.
   *
   * @param results per success metric, the primary first
   * @param looks metric to treatment to its looks so far: what the next analysis is judged after
   */
  public record Judgement(
      List<MetricResult> results, Map<String, Map<String, SequentialLooks>> looks) {}

  /**
   * Every success metric judged from {@code counts} (metric to variant to users) at the test's
   * {@code analysis}-th look, each comparison after its earlier {@code looks} (metric to treatment
   * to its looks; none for a comparison not in it). Judging the same counts again gives the same
   * results and looks, so a continued run may judge its carried counts once more.
   */
  public static Judgement judge(
      AbTestSpec spec,
      Map<String, String> variantVersions,
      Map<String, Map<String, UserCounts>> counts,
      Map<String, Map<String, SequentialLooks>> looks,
      int analysis) {
    List<MetricResult> results = new ArrayList<>();
    Map<String, Map<String, SequentialLooks>> after = new LinkedHashMap<>();
    boolean primary = true;
    for (SuccessMetric metric : spec.successMetrics()) {
      Map<String, SequentialLooks> metricLooks = new LinkedHashMap<>();
      results.add(
          judge(
              spec,
              metric,
              primary,
              variantVersions,
              counts.getOrDefault(metric.name(), Map.of()),
              looks.getOrDefault(metric.name(), Map.of()),
              metricLooks,
              analysis));
      after.put(metric.name(), metricLooks);
      primary = false;
    }
    return new Judgement(results, after);
  }

  /** Every success metric judged from {@code counts} as a first look, with no looks before it. */
  public static List<MetricResult> judge(
      AbTestSpec spec,
      Map<String, String> variantVersions,
      Map<String, Map<String, UserCounts>> counts) {
    return judge(spec, variantVersions, counts, Map.of(), 1).results();
  }

  static MetricResult judge(
      AbTestSpec spec,
      SuccessMetric metric,
      boolean primary,
      Map<String, String> variantVersions,
      Map<String, UserCounts> counts,
      Map<String, SequentialLooks> looksBefore,
      Map<String, SequentialLooks> looksAfter,
      int analysis) {
    double confidence = spec.monitoring().statisticalSignificance();
    double alpha = 1 - confidence;
    List<String> variants = List.copyOf(spec.variants().keySet());
    String control = variants.get(0);
    List<VariantResult> variantResults = new ArrayList<>();
    for (String variant : variants) {
      Proportion p = proportion(counts.getOrDefault(variant, NOBODY));
      ConfidenceInterval ci = p.trials() == 0 ? null : p.wilson(confidence);
      variantResults.add(
          new VariantResult(
              variant,
              variantVersions.get(variant),
              p.trials(),
              p.successes(),
              p.trials() == 0 ? null : p.rate(),
              ci == null ? null : ci.lower(),
              ci == null ? null : ci.upper()));
    }
    Proportion controlCounts = proportion(counts.getOrDefault(control, NOBODY));
    List<Comparison> comparisons = new ArrayList<>();
    for (String variant : variants.subList(1, variants.size())) {
      Proportion treatment = proportion(counts.getOrDefault(variant, NOBODY));
      MetricAnalysis analysed =
          SequentialJudge.judge(
              controlCounts,
              treatment,
              metric,
              spec.monitoring(),
              spec.minimumSampleSize(),
              looksBefore.getOrDefault(variant, SequentialLooks.NONE),
              analysis);
      looksAfter.put(variant, analysed.looks());
      comparisons.add(comparison(variant, analysed, confidence, alpha));
    }
    Optional<String> decision = decide(control, metric, comparisons);
    return new MetricResult(
        metric.name(),
        metric.threshold(),
        primary,
        variantResults,
        comparisons,
        decision.orElse(null),
        summary(metric, control, comparisons, decision, spec.minimumSampleSize(), variantResults));
  }

  private static Comparison comparison(
      String variant, MetricAnalysis analysis, double confidence, double alpha) {
    TwoProportionTest test = analysis.test();
    Proportion c = test.control();
    Proportion t = test.treatment();
    boolean bothSeen = c.trials() > 0 && t.trials() > 0;
    Double relative = null;
    Double relativeLower = null;
    Double relativeUpper = null;
    if (bothSeen && c.successes() > 0) {
      relative = test.relativeLift();
      if (t.successes() > 0) {
        ConfidenceInterval ci = test.relativeLiftInterval(confidence);
        relativeLower = ci.lower();
        relativeUpper = ci.upper();
      }
    }
    ConfidenceInterval absolute = bothSeen ? test.absoluteLiftInterval(confidence) : null;
    SequentialLooks.Decision decided = analysis.looks().decision();
    return new Comparison(
        variant,
        analysis.verdict(),
        relative,
        relativeLower,
        relativeUpper,
        bothSeen ? test.absoluteLift() : null,
        absolute == null ? null : absolute.lower(),
        absolute == null ? null : absolute.upper(),
        bothSeen ? analysis.pValue() : null,
        bothSeen ? test.achievedPower(alpha) : null,
        analysis.z(),
        analysis.informationFraction(),
        // +∞ when the look cannot decide: JSON has no infinity, so it is absent.
        Double.isFinite(analysis.boundary()) ? analysis.boundary() : null,
        analysis.requiredPerGroup(),
        decided == null ? null : decided.analysis(),
        decided == null ? null : decided.z(),
        decided == null ? null : decided.boundary());
  }

  /**
   * The winner on one metric: of the treatments decided in the intended direction the one whose z
   * is now furthest that way, or the control when every treatment was decided in the wrong
   * direction; empty otherwise.
   */
  private static Optional<String> decide(
      String control, SuccessMetric metric, List<Comparison> comparisons) {
    Optional<Comparison> best =
        comparisons.stream()
            .filter(c -> c.verdict() == Verdict.WINNER)
            .max((a, b) -> Double.compare(directed(a, metric), directed(b, metric)));
    if (best.isPresent()) {
      return Optional.of(best.get().variant());
    }
    if (!comparisons.isEmpty()
        && comparisons.stream().allMatch(c -> c.verdict() == Verdict.LOSER)) {
      return Optional.of(control);
    }
    return Optional.empty();
  }

  private static double directed(Comparison c, SuccessMetric metric) {
    return c.z() * Math.signum(metric.threshold());
  }

  /** The variant the primary (first) metric makes the winner; empty while it is undecided. */
  public static Optional<String> winner(List<MetricResult> results) {
    return results.isEmpty() ? Optional.empty() : Optional.ofNullable(results.get(0).decision());
  }

  /**
   * The latest analysis in the status model every strategy shares: a check per success metric and
   * treatment, on its relative lift; a pass once the primary metric is decisive, an error when the
   * counts could not be read.
   *
   * @param metricsError why the latest counts could not be read, or null
   */
  public static AnalysisReport report(
      List<MetricResult> results, Instant at, String metricsError, long minimumSampleSize) {
    List<MetricCheck> checks = new ArrayList<>();
    for (MetricResult m : results) {
      for (Comparison c : m.comparisons()) {
        checks.add(
            new MetricCheck(
                m.metric() + " " + c.variant(),
                c.relativeLift() == null ? null : c.relativeLift() * 100,
                m.threshold() * 100,
                m.threshold() > 0,
                "%",
                null,
                c.verdict() != Verdict.LOSER));
      }
    }
    dev.trafficctl.workflows.status.Verdict verdict =
        metricsError != null
            ? dev.trafficctl.workflows.status.Verdict.ERROR
            : winner(results).isPresent()
                ? dev.trafficctl.workflows.status.Verdict.PASS
                : dev.trafficctl.workflows.status.Verdict.INCONCLUSIVE;
    return new AnalysisReport(
        at,
        verdict,
        checks,
        fewestUsers(results),
        minimumSampleSize,
        results.stream().map(MetricResult::summary).collect(Collectors.joining("; "))
            + (metricsError == null ? "" : "; metrics unavailable: " + metricsError));
  }

  /** The fewest users any variant has on the primary metric; 0 before the first analysis. */
  public static long fewestUsers(List<MetricResult> results) {
    return results.isEmpty()
        ? 0
        : results.get(0).variants().stream().mapToLong(VariantResult::users).min().orElse(0);
  }

  /**
   * Users per variant the primary metric needs: the largest planned sample of its comparisons, at
   * least the minimum sample size; 0 while it cannot be planned.
   */
  public static long requiredPerVariant(List<MetricResult> results, long minimumSampleSize) {
    if (results.isEmpty()) {
      return 0;
    }
    long required =
        results.get(0).comparisons().stream()
            .mapToLong(Comparison::requiredPerVariant)
            .max()
            .orElse(0);
    return required == 0 ? 0 : Math.max(required, minimumSampleSize);
  }

  private static String summary(
      SuccessMetric metric,
      String control,
      List<Comparison> comparisons,
      Optional<String> decision,
      long minimumSampleSize,
      List<VariantResult> variants) {
    long fewest = variants.stream().mapToLong(VariantResult::users).min().orElse(0);
    if (decision.isPresent()) {
      String winner = decision.get();
      if (winner.equals(control)) {
        return metric.name() + ": " + control + " (control) wins, every treatment is worse";
      }
      Comparison c =
          comparisons.stream().filter(x -> x.variant().equals(winner)).findFirst().orElseThrow();
      return metric.name()
          + ": "
          + winner
          + " wins, "
          + lift(c)
          + " against "
          + control
          + (c.pValue() < 0.0001
              ? " (p<0.0001"
              : " (p=" + String.format(Locale.ROOT, "%.4f", c.pValue()))
          + "; decided at analysis "
          + c.decidedAt()
          + ": |z| "
          + String.format(Locale.ROOT, "%.2f", Math.abs(c.decidedZ()))
          + " > "
          + String.format(Locale.ROOT, "%.2f", c.decidedBoundary())
          + ")";
    }
    if (fewest < minimumSampleSize) {
      return metric.name()
          + ": too few users ("
          + fewest
          + " in the smallest variant, minimum_sample_size "
          + minimumSampleSize
          + ")";
    }
    long required = comparisons.stream().mapToLong(Comparison::requiredPerVariant).max().orElse(0);
    long needed = Math.max(required, minimumSampleSize);
    if (required > 0 && fewest >= needed) {
      // Enough users to see a change of the threshold's size: none that large has shown up.
      return metric.name()
          + ": inconclusive with "
          + fewest
          + " users per variant, more than the "
          + needed
          + " needed to detect "
          + percent(metric.threshold())
          + ": no change that large so far";
    }
    return metric.name()
        + ": inconclusive with "
        + fewest
        + " users per variant"
        + (required > 0
            ? "; detecting a change of "
                + percent(metric.threshold())
                + " needs about "
                + needed
                + " per variant"
            : "; no sample size can be planned from the control's rate yet");
  }

  private static String lift(Comparison c) {
    return c.relativeLift() == null
        ? "absolute lift " + percent(c.absoluteLift())
        : percent(c.relativeLift());
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%+.1f%%", fraction * 100);
  }

  private static Proportion proportion(UserCounts counts) {
    return new Proportion(counts.converted(), counts.exposed());
  }
}
