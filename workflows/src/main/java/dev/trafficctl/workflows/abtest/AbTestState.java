package dev.trafficctl.workflows.abtest;

import dev.trafficctl.workflows.ports.ConversionCounts.UserCounts;
import dev.trafficctl.workflows.status.ActionRecord;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an A/B test carries into its next run when it continues as new: only the latest counts
 * (counters are cumulative, so the latest supersede the rest), never the series of analyses. Its
 * size does not grow with the test's length.
 *
 * @param startedAt when the test's traffic was routed
 * @param deadline when the test ends ({@code startedAt} + {@code duration})
 * @param analyses analyses done so far, every run counted
 * @param nextAnalysisAt when the next analysis is due
 * @param lastAnalysisAt when the latest counts were read; null before the first analysis
 * @param counts success metric to variant to its latest users and conversions
 * @param metricsError why the latest analysis could not read the counts; null when it could
 * @param actions people's actions so far
 * @param weights the variants' pools to percent, as the test routes them; a pool is the variant's
 *     version, or an alias of it for a later variant on the same version ({@link VariantPools})
 */
public record AbTestState(
    Instant startedAt,
    Instant deadline,
    int analyses,
    Instant nextAnalysisAt,
    Instant lastAnalysisAt,
    Map<String, Map<String, UserCounts>> counts,
    String metricsError,
    List<ActionRecord> actions,
    Map<String, Integer> weights) {

  public AbTestState {
    Map<String, Map<String, UserCounts>> copy = new LinkedHashMap<>();
    if (counts != null) {
      counts.forEach(
          (metric, byVariant) ->
              copy.put(metric, Collections.unmodifiableMap(new LinkedHashMap<>(byVariant))));
    }
    counts = Collections.unmodifiableMap(copy);
    actions = actions == null ? List.of() : List.copyOf(actions);
    weights =
        Collections.unmodifiableMap(new LinkedHashMap<>(weights == null ? Map.of() : weights));
  }
}
