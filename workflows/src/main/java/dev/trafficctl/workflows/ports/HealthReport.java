package dev.trafficctl.workflows.ports;

import java.util.List;
import java.util.Optional;

/** Every instance's answers, in the order of the check's addresses. */
public record HealthReport(List<InstanceHealth> instances) {

  public HealthReport {
    instances = List.copyOf(instances);
  }

  public long probes() {
    return instances.stream().mapToLong(InstanceHealth::probes).sum();
  }

  public long successes() {
    return instances.stream().mapToLong(InstanceHealth::successes).sum();
  }

  /** Percent of probes answered 2xx; 0 when nothing was probed. */
  public double successPercent() {
    long probes = probes();
    return probes == 0 ? 0 : 100.0 * successes() / probes;
  }

  public boolean allReady() {
    return !instances.isEmpty() && instances.stream().allMatch(InstanceHealth::ready);
  }

  /** The first instance that never answered 2xx. */
  public Optional<InstanceHealth> firstNotReady() {
    return instances.stream().filter(i -> !i.ready()).findFirst();
  }
}
