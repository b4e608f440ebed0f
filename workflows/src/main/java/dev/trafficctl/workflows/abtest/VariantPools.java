package dev.trafficctl.workflows.abtest;

import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.config.catalog.VersionPool;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where each variant's requests go while a test runs. Routers divide traffic between versions, and
 * tell each version's requests their headers; two variants of one version (the same build, other
 * feature flags) could not be told apart that way. So the first variant on a version is served by
 * that version's pool, and each later one by an alias pool of the same servers, named {@code
 * <version>.variant-<variant>} ({@code v2.variant-b}). Aliases exist only while the test runs: its
 * end routes to the catalog's versions again.
 *
 * @param pools variant to the pool that serves it, in the spec's order
 * @param target the catalog's entry with the aliases added; the entry itself when there are none
 */
record VariantPools(Map<String, String> pools, EnvironmentEntry target) {

  VariantPools {
    pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
  }

  /** The pools of {@code input}'s variants. */
  static VariantPools of(AbTestInput input) {
    EnvironmentEntry entry = input.target();
    Map<String, VersionPool> versions = new LinkedHashMap<>(entry.versions());
    Set<String> used = new HashSet<>();
    Map<String, String> pools = new LinkedHashMap<>();
    input
        .variantVersions()
        .forEach(
            (variant, version) -> {
              String pool = version;
              if (!used.add(version)) {
                pool = alias(version, variant, versions.keySet());
                versions.put(pool, entry.versions().get(version));
              }
              pools.put(variant, pool);
            });
    boolean aliased = versions.size() > entry.versions().size();
    return new VariantPools(
        pools,
        aliased
            ? new EnvironmentEntry(
                entry.router(),
                versions,
                entry.metrics(),
                entry.health(),
                entry.notifications(),
                entry.rollback())
            : entry);
  }

  /** The pool serving {@code variant}. */
  String pool(String variant) {
    return pools.get(variant);
  }

  /**
   * A version name (lower case letters, digits, dots and dashes) for {@code variant}'s alias of
   * {@code version}, unlike any name {@code taken}.
   */
  private static String alias(String version, String variant, Set<String> taken) {
    String base = version + ".variant-" + variant.toLowerCase(Locale.ROOT).replace('_', '-');
    String name = base;
    for (int n = 2; taken.contains(name); n++) {
      name = base + "-" + n;
    }
    return name;
  }
}
