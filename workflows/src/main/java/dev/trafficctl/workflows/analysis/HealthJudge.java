package dev.trafficctl.workflows.analysis;

import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.workflows.ports.HealthReport;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.MetricCheck;
import dev.trafficctl.workflows.status.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Judges health probes where there are no request metrics: a blue-green rollout's check of the idle
 * color before it gets traffic, and its watch of the new color when the catalog names no metrics
 * source. No probe answered is inconclusive, never a pass.
 */
public final class HealthJudge {

  private HealthJudge() {}

  /** At least {@code threshold} percent of the probes taken {@code over} answered 2xx. */
  public static AnalysisReport healthy(
      HealthReport probes, double threshold, Duration over, Instant at) {
    boolean ok = probes.probes() > 0 && probes.successPercent() >= threshold;
    return report(
        at,
        verdict(probes, ok),
        new MetricCheck("health", probes.successPercent(), threshold, true, "%", over, ok),
        probes,
        describe(probes, over));
  }

  /** At most {@code threshold} percent of {@code pool}'s probes failed over {@code over}. */
  public static AnalysisReport failing(
      HealthReport probes, String pool, double threshold, Duration over, Instant at) {
    double failed = 100 - probes.successPercent();
    boolean ok = failed <= threshold;
    if (probes.probes() == 0) {
      return report(
          at,
          Verdict.INCONCLUSIVE,
          new MetricCheck("health_errors", null, threshold, false, "%", over, false),
          probes,
          "no health probes of " + pool + " taken over " + SpecDurations.format(over));
    }
    return report(
        at,
        verdict(probes, ok),
        new MetricCheck("health_errors", failed, threshold, false, "%", over, ok),
        probes,
        percent(failed)
            + " of "
            + probes.probes()
            + " health probes of "
            + pool
            + " failed over "
            + SpecDurations.format(over)
            + " (threshold "
            + percent(threshold)
            + ")"
            + worstInstance(probes));
  }

  /** {@code 98% of 40 probes answered 2xx over 30s}. */
  public static String describe(HealthReport probes, Duration over) {
    if (probes.probes() == 0) {
      return "no probes taken over " + SpecDurations.format(over);
    }
    return percent(probes.successPercent())
        + " of "
        + probes.probes()
        + " probes answered 2xx over "
        + SpecDurations.format(over);
  }

  /** The instance that answered worst, with its last problem; empty when none failed. */
  public static String worstInstance(HealthReport probes) {
    return probes.instances().stream()
        .filter(i -> i.lastProblem() != null)
        .min((a, b) -> Long.compare(a.successes() * b.probes(), b.successes() * a.probes()))
        .map(i -> " (" + i.address() + ": " + i.lastProblem() + ")")
        .orElse("");
  }

  /** A percentage for people: whole when it is, else one decimal. */
  public static String percent(double value) {
    return value == Math.rint(value)
        ? String.format(Locale.ROOT, "%.0f%%", value)
        : String.format(Locale.ROOT, "%.1f%%", value);
  }

  private static Verdict verdict(HealthReport probes, boolean ok) {
    if (probes.probes() == 0) {
      return Verdict.INCONCLUSIVE;
    }
    return ok ? Verdict.PASS : Verdict.FAIL;
  }

  private static AnalysisReport report(
      Instant at, Verdict verdict, MetricCheck check, HealthReport probes, String detail) {
    return new AnalysisReport(at, verdict, List.of(check), probes.probes(), 1, detail);
  }
}
