package dev.trafficctl.workflows.splitting;

/**
 * One server's line of a capacity plan.
 *
 * @param server {@code host:port} as the catalog lists it
 * @param utilization measured, percent; null when there was no measurement (the weight is kept)
 * @param oldWeight the weight in force before, 0 for a server marked down (kept)
 * @param newWeight the weight the plan puts in force
 */
public record ServerAdjustment(
    String version, String server, Double utilization, int oldWeight, int newWeight) {

  public boolean changed() {
    return oldWeight != newWeight;
  }
}
