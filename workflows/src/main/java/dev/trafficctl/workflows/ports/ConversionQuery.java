package dev.trafficctl.workflows.ports;

import dev.trafficctl.config.catalog.MetricsSource;
import java.util.List;

/**
 * The users of an A/B test's variants, and those of them who converted on one success metric, since
 * the test began: the input of {@link MetricsProvider#conversions}. Counters, not a window: every
 * answer is the running total, so a later answer supersedes an earlier one.
 *
 * @param test the test's name, as the application labels its counters ({@code test="new-ui"})
 * @param metric the success metric, e.g. {@code conversion_rate} ({@code metric="..."})
 * @param variants the variants asked about ({@code variant="A"}), the control first
 */
public record ConversionQuery(
    String service,
    String env,
    MetricsSource source,
    String test,
    String metric,
    List<String> variants) {

  public ConversionQuery {
    variants = variants == null ? List.of() : List.copyOf(variants);
  }
}
