package dev.trafficctl.workflows.bluegreen.testing;

import dev.trafficctl.workflows.ports.HealthCheck;
import dev.trafficctl.workflows.ports.HealthChecker;
import dev.trafficctl.workflows.ports.HealthReport;
import dev.trafficctl.workflows.ports.InstanceHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Health answers scripted per pool (color): every instance healthy unless told otherwise. Answers
 * at once; the workflow's waits are what the tests measure.
 */
public final class FakeHealthChecker implements HealthChecker {

  private final Map<String, String> neverReady = new ConcurrentHashMap<>();
  private final Map<String, Double> failingPercent = new ConcurrentHashMap<>();
  private final Map<String, Boolean> silent = new ConcurrentHashMap<>();
  private final List<HealthCheck> checks = new ArrayList<>();
  private volatile long probeMillis;

  /** Probes take {@code d} of real time from now on, so a test can act while one runs. */
  public void slowProbes(java.time.Duration d) {
    probeMillis = d.toMillis();
  }

  /** The pool's first instance never answers 2xx, with {@code problem}. */
  public void neverReady(String pool, String problem) {
    neverReady.put(pool, problem);
  }

  /** {@code percent} of the pool's probes fail (HTTP 500) from now on. */
  public void failing(String pool, double percent) {
    failingPercent.put(pool, percent);
  }

  /** The pool's probes from now on come back with no probe taken: nothing to judge. */
  public void noProbes(String pool) {
    silent.put(pool, true);
  }

  public void healthy(String pool) {
    neverReady.remove(pool);
    failingPercent.remove(pool);
    silent.remove(pool);
  }

  @Override
  public HealthReport awaitReady(HealthCheck check) {
    record(check);
    List<InstanceHealth> instances = new ArrayList<>();
    for (int i = 0; i < check.addresses().size(); i++) {
      String problem = i == 0 ? neverReady.get(check.pool()) : null;
      instances.add(
          new InstanceHealth(
              check.addresses().get(i),
              problem == null ? 1 : 30,
              problem == null ? 1 : 0,
              problem));
    }
    return new HealthReport(instances);
  }

  @Override
  public HealthReport probe(HealthCheck check) {
    record(check);
    if (probeMillis > 0) {
      try {
        Thread.sleep(probeMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    double failing = failingPercent.getOrDefault(check.pool(), 0.0);
    List<InstanceHealth> instances = new ArrayList<>();
    if (silent.containsKey(check.pool())) {
      return new HealthReport(
          check.addresses().stream().map(a -> new InstanceHealth(a, 0, 0, null)).toList());
    }
    for (String address : check.addresses()) {
      long failed = Math.round(failing);
      instances.add(new InstanceHealth(address, 100, 100 - failed, failed > 0 ? "HTTP 500" : null));
    }
    return new HealthReport(instances);
  }

  private synchronized void record(HealthCheck check) {
    checks.add(check);
  }

  public synchronized List<HealthCheck> checks() {
    return List.copyOf(checks);
  }
}
