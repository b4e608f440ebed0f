package dev.trafficctl.workflows.bluegreen;

import dev.trafficctl.config.FieldProblem;
import dev.trafficctl.config.bluegreen.BlueGreenSpec;
import dev.trafficctl.config.bluegreen.ColorEnvironment;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.config.catalog.VersionPool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each color runs. A color's addresses are the {@code addresses} listed beside its {@code
 * instances} in the blue-green document, else the catalog's version pool named after the color;
 * either way as many as {@code instances}. The router sees the colors as two versions, {@code blue}
 * and {@code green}, so every router that moves versions moves colors too.
 */
public final class ColorPools {

  private ColorPools() {}

  /**
   * The catalog entry with its versions replaced by the two colors' pools, or the first problem,
   * located in the blue-green document ({@code blue_green.<service>.environments.<color>}).
   */
  public static EnvironmentEntry resolve(
      String service, BlueGreenSpec spec, EnvironmentEntry entry) {
    Map<String, VersionPool> pools = new LinkedHashMap<>();
    for (String color : Colors.BOTH) {
      ColorEnvironment env =
          color.equals(Colors.BLUE) ? spec.environments().blue() : spec.environments().green();
      String at = "blue_green." + service + ".environments." + color;
      List<String> addresses = env.addresses();
      String source = "addresses";
      if (addresses == null) {
        VersionPool pool = entry.versions() == null ? null : entry.versions().get(color);
        if (pool == null) {
          throw new Unresolved(
              new FieldProblem(
                  at,
                  "no addresses: list them beside instances, or give the catalog a version named "
                      + color));
        }
        addresses = pool.servers();
        source = "the catalog's " + color + " servers";
      }
      if (addresses.size() != env.instances()) {
        throw new Unresolved(
            new FieldProblem(
                at + ".instances",
                env.instances()
                    + " instances, but "
                    + source
                    + " list "
                    + addresses.size()
                    + " (one address per instance)"));
      }
      pools.put(color, new VersionPool(addresses));
    }
    return new EnvironmentEntry(
        entry.router(), pools, entry.metrics(), entry.health(), entry.notifications());
  }

  /** The colors cannot be placed; the problem says where and why. */
  public static final class Unresolved extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient FieldProblem problem;

    Unresolved(FieldProblem problem) {
      super(problem.path() + ": " + problem.message());
      this.problem = problem;
    }

    public FieldProblem problem() {
      return problem;
    }
  }
}
