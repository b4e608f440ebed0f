package dev.trafficctl.workflows.ports;

/**
 * What one instance answered.
 *
 * @param address {@code host:port}
 * @param probes requests sent
 * @param successes of those, the ones answered 2xx in time
 * @param lastProblem the last failure, e.g. {@code HTTP 503}, {@code connection refused}, {@code no
 *     answer within 2s}; null when it never failed
 */
public record InstanceHealth(String address, long probes, long successes, String lastProblem) {

  /** Answered 2xx at least once. */
  public boolean ready() {
    return successes > 0;
  }
}
