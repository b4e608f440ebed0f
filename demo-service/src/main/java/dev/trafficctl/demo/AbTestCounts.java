package dev.trafficctl.demo;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What an application in an A/B test reports: users, not requests. A user's requests are not
 * independent trials (one keen user makes many), so the unit counted is the user, once:
 *
 * <ul>
 *   <li>{@code trafficctl_ab_exposed_users_total{test,variant}}: users served the variant, counted
 *       the first time each is served it;
 *   <li>{@code trafficctl_ab_converted_users_total{test,variant,metric}}: users who converted on a
 *       success metric, counted the first time each does, and only users exposed before.
 * </ul>
 *
 * The test and variant come from the router ({@code X-AB-Test}, {@code X-AB-Variant}), the user
 * from {@code X-User-Id} (a real application uses its session or account). The users seen are kept
 * in memory, so a restart starts the counts again; an application keeps them in its own store.
 */
final class AbTestCounts {

  static final String TEST_HEADER = "X-AB-Test";
  static final String VARIANT_HEADER = "X-AB-Variant";
  static final String USER_HEADER = "X-User-Id";

  /** Label values and user ids: short names, nothing a scrape or a log would need escaped. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private final Counter exposed;
  private final Counter converted;
  private final Set<String> exposures = ConcurrentHashMap.newKeySet();
  private final Set<String> conversions = ConcurrentHashMap.newKeySet();

  AbTestCounts(PrometheusRegistry registry) {
    exposed =
        Counter.builder()
            .name("trafficctl_ab_exposed_users_total")
            .help("Users served an A/B test's variant, each counted once")
            .labelNames("test", "variant")
            .withoutExemplars()
            .register(registry);
    converted =
        Counter.builder()
            .name("trafficctl_ab_converted_users_total")
            .help("Users of an A/B test's variant who converted on a metric, each counted once")
            .labelNames("test", "variant", "metric")
            .withoutExemplars()
            .register(registry);
  }

  /** Whether {@code value} can be a test, variant, metric or user here. */
  static boolean isName(String value) {
    return value != null && NAME.matcher(value).matches();
  }

  /** Counts {@code user} as exposed to the variant, once. False when already counted. */
  boolean expose(String test, String variant, String user) {
    if (!exposures.add(key(test, variant, user))) {
      return false;
    }
    exposed.labelValues(test, variant).inc();
    return true;
  }

  /** The outcome of a conversion report. */
  enum Conversion {
    COUNTED,
    ALREADY_COUNTED,
    NOT_EXPOSED
  }

  /** Counts {@code user}'s conversion on {@code metric}, once, if the user was exposed. */
  Conversion convert(String test, String variant, String user, String metric) {
    if (!exposures.contains(key(test, variant, user))) {
      return Conversion.NOT_EXPOSED;
    }
    if (!conversions.add(key(test, variant, user) + '\n' + metric)) {
      return Conversion.ALREADY_COUNTED;
    }
    converted.labelValues(test, variant, metric).inc();
    return Conversion.COUNTED;
  }

  private static String key(String test, String variant, String user) {
    return test + '\n' + variant + '\n' + user;
  }
}
