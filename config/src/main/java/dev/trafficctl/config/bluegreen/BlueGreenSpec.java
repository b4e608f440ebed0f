package dev.trafficctl.config.bluegreen;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import dev.trafficctl.config.notification.NotificationSpec;

/**
 * {@code blue_green.<service>:} how to move a service's traffic from its live color to the other
 * one in a single switch, and how to come back.
 *
 * @param strategy timeouts of the switch and whether it waits for a person
 * @param traffic how the colors are reached and judged ready
 * @param environments the two colors, their weights and sizes; required
 * @param rollback when to switch back on its own after a switch
 * @param notification who hears which events
 */
public record BlueGreenSpec(
    SwitchStrategy strategy,
    BlueGreenTraffic traffic,
    BlueGreenEnvironments environments,
    BlueGreenRollback rollback,
    NotificationSpec notification)
    implements Validatable {

  public BlueGreenSpec {
    strategy = strategy == null ? new SwitchStrategy(null, null, null, null) : strategy;
    traffic = traffic == null ? new BlueGreenTraffic(null, null, null) : traffic;
    rollback = rollback == null ? new BlueGreenRollback(null, null, null) : rollback;
    notification = notification == null ? new NotificationSpec(null, null) : notification;
  }

  @Override
  public void validate(Validator at) {
    at.nested("strategy", strategy);
    at.nested("traffic", traffic);
    if (at.required("environments", environments)) {
      at.nested("environments", environments);
    }
    at.nested("rollback", rollback);
    at.nested("notification", notification);
  }
}
