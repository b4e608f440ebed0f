package dev.trafficctl.workflows.ports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link MetricsProvider#conversions} counted for one success metric: per variant, the users
 * exposed to it and those of them who converted, since the test began. The user is the unit.
 *
 * @param metric the success metric counted
 * @param variants variant name to its counts, in the query's order; every variant asked about is
 *     present (0 and 0 when nothing was counted yet)
 */
public record ConversionCounts(String metric, Map<String, UserCounts> variants) {

  public ConversionCounts {
    variants =
        Collections.unmodifiableMap(new LinkedHashMap<>(variants == null ? Map.of() : variants));
  }

  /**
   * One variant's users.
   *
   * @param exposed users who were served the variant at least once
   * @param converted of those, users who converted (never more than exposed)
   */
  public record UserCounts(long exposed, long converted) {

    public UserCounts {
      if (exposed < 0 || converted < 0 || converted > exposed) {
        throw new IllegalArgumentException(
            converted + " converted of " + exposed + " exposed users is not a count");
      }
    }
  }
}
