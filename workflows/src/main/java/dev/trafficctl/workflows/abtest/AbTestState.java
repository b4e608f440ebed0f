package dev.trafficctl.workflows.abtest;

import dev.trafficctl.workflows.analysis.abtest.stats.SequentialLooks;
import dev.trafficctl.workflows.control.RolloutState;
import dev.trafficctl.workflows.ports.ConversionCounts.UserCounts;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An A/B test's state, carried into its next run when it continues as new: the latest counts
 * (counters are cumulative, so the latest supersede the rest) and what each comparison's looks so
 * far leave for the next one's boundary, never the series of analyses. Its size does not grow with
 * the test's length.
 */
public final class AbTestState extends RolloutState {

  /** When the test's traffic was routed. */
  Instant startedAt;

  /** When the test ends ({@code startedAt} + {@code duration}). */
  Instant deadline;

  /** Analyses done so far, every run counted. */
  int analyses;

  /** When the next analysis is due. */
  Instant nextAnalysisAt;

  /** When the latest counts were read; null before the first analysis. */
  Instant lastAnalysisAt;

  /** Success metric to variant to its latest users and conversions. */
  Map<String, Map<String, UserCounts>> counts = new LinkedHashMap<>();

  /**
   * Success metric to treatment to its looks so far: the alpha they spent, the recursion the next
   * look's exact boundary is computed from, and the look that decided, if one did.
   */
  Map<String, Map<String, SequentialLooks>> looks = new LinkedHashMap<>();

  /** Why the latest analysis could not read the counts; null when it could. */
  String metricsError;

  /**
   * The variants' pools to percent, as the test routes them; a pool is the variant's version, or an
   * alias of it for a later variant on the same version ({@link VariantPools}).
   */
  Map<String, Integer> weights = new LinkedHashMap<>();
}
