package dev.trafficctl.workflows.splitting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Capacity-based server weights: a pure function from the weights in force and the measured
 * utilization to the next weights, so the workflow stays deterministic and the rule is tested
 * alone.
 *
 * <p>For each server, {@code new = old * target / max(measured, 1)}: a server busier than the
 * target gets a smaller share of its pool, an idler one a larger share (nginx splits a pool's
 * requests in proportion to the weights). {@code max(measured, 1)} keeps an idle server from
 * dividing by zero. Then:
 *
 * <ul>
 *   <li><b>Bounded per adjustment to {@code [old/2, old*2]}</b>: one step never more than halves or
 *       doubles a weight. Utilization is measured over a window that still reflects the old
 *       weights, and a large correction from one noisy sample would overshoot and oscillate;
 *       repeated adjustments converge instead.
 *   <li>Rounded to the nearest integer and <b>clamped to 1..100</b>, nginx's range for {@code
 *       weight=N}.
 *   <li>A server <b>without a measurement</b> keeps its weight; so does one at weight 0 (marked
 *       {@code down} by the load-balancer document), which receives no traffic to measure.
 * </ul>
 *
 * Weights are relative within a pool: when every server is above (or below) the target they all
 * move the same way and the shares stay (until the clamp stops them at 1 or 100); what changes the
 * utilization is the shift between servers of unequal capacity. The servers reach the target
 * together when the pool's load is what they can carry at the target; otherwise adding or removing
 * servers, not weights, is the fix.
 */
public final class CapacityWeights {

  public static final int MIN_WEIGHT = 1;
  public static final int MAX_WEIGHT = 100;

  /** A server the router reports no weight for has nginx's default weight. */
  public static final int DEFAULT_WEIGHT = 1;

  private CapacityWeights() {}

  /**
   * The plan, one line per server in catalog order.
   *
   * @param servers version to its servers ({@code host:port}), in catalog order
   * @param inForce server to its weight in force; absent: {@link #DEFAULT_WEIGHT}
   * @param utilization server to measured utilization, percent; absent: no measurement
   * @param target the utilization wanted, percent 1..100
   */
  public static List<ServerAdjustment> plan(
      Map<String, List<String>> servers,
      Map<String, Integer> inForce,
      Map<String, Double> utilization,
      int target) {
    if (target < 1 || target > 100) {
      throw new IllegalArgumentException("target utilization " + target + " is not 1..100");
    }
    List<ServerAdjustment> plan = new ArrayList<>();
    for (Map.Entry<String, List<String>> pool : servers.entrySet()) {
      for (String server : pool.getValue()) {
        int old = inForce.getOrDefault(server, DEFAULT_WEIGHT);
        Double measured = utilization.get(server);
        plan.add(
            new ServerAdjustment(
                pool.getKey(), server, measured, old, next(old, measured, target)));
      }
    }
    return plan;
  }

  /** One server's next weight; see the class documentation. */
  public static int next(int old, Double measured, int target) {
    if (old <= 0 || measured == null || !Double.isFinite(measured)) {
      return old;
    }
    double wanted = old * (double) target / Math.max(measured, 1.0);
    double bounded = Math.min(Math.max(wanted, old / 2.0), old * 2.0);
    long rounded = Math.round(bounded);
    return (int) Math.min(MAX_WEIGHT, Math.max(MIN_WEIGHT, rounded));
  }

  /**
   * The server weights to put in force: every server of the plan with a weight of at least 1 (a
   * server at 0 stays as the load-balancer document marks it).
   */
  public static Map<String, Integer> weights(List<ServerAdjustment> plan) {
    Map<String, Integer> weights = new TreeMap<>();
    for (ServerAdjustment line : plan) {
      if (line.newWeight() >= MIN_WEIGHT) {
        weights.put(line.server(), line.newWeight());
      }
    }
    return weights;
  }

  /** The catalog's servers of each version, in catalog order. */
  public static Map<String, List<String>> serversOf(
      Map<String, ? extends dev.trafficctl.config.catalog.VersionPool> versions) {
    Map<String, List<String>> servers = new LinkedHashMap<>();
    versions.forEach(
        (version, pool) ->
            servers.put(
                version, pool == null || pool.servers() == null ? List.of() : pool.servers()));
    return servers;
  }
}
