package dev.trafficctl.config.catalog;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code services.<service>.environments.<env>:} where a service's versions run in one environment
 * and how its traffic, metrics, health and notifications are reached there.
 */
public record EnvironmentEntry(
    RouterConfig router,
    Map<String, VersionPool> versions,
    MetricsSource metrics,
    HealthConfig health,
    NotificationTargets notifications,
    RollbackSettings rollback)
    implements Validatable {

  /** An entry with the default rollback settings. */
  public EnvironmentEntry(
      RouterConfig router,
      Map<String, VersionPool> versions,
      MetricsSource metrics,
      HealthConfig health,
      NotificationTargets notifications) {
    this(router, versions, metrics, health, notifications, null);
  }

  public EnvironmentEntry {
    versions = versions == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(versions));
    health = health == null ? new HealthConfig(null, null) : health;
    notifications =
        notifications == null ? new NotificationTargets(null, null, null) : notifications;
    rollback = rollback == null ? new RollbackSettings(null, null) : rollback;
  }

  /** This entry with {@code rollback} instead of its own rollback settings. */
  public EnvironmentEntry withRollback(RollbackSettings rollback) {
    return new EnvironmentEntry(router, versions, metrics, health, notifications, rollback);
  }

  /**
   * The end of a message about a name that is not one of this entry's versions: {@code is not a
   * version of api in production (catalog has: v1, v2)}.
   */
  public String notAVersionOf(String service, String env) {
    return "is not a version of "
        + service
        + " in "
        + env
        + " (catalog has: "
        + String.join(", ", versions.keySet())
        + ")";
  }

  @Override
  public void validate(Validator at) {
    if (at.required("router", router)) {
      at.nested("router", router);
    }
    if (at.required("versions", versions) && at.notEmpty("versions", versions)) {
      at.eachNamed("versions", "version", versions);
    }
    at.nested("metrics", metrics);
    at.nested("health", health);
    at.nested("notifications", notifications);
    at.nested("rollback", rollback);
  }
}
