package dev.trafficctl.workflows.bluegreen;

import java.util.Locale;

/** The stages of a blue-green rollout, as its status counts them in step / total_steps. */
public enum Stage {
  /** Every instance of the idle color answers its health endpoint. */
  READINESS,
  /** The idle color's probes, over health_check_timeout, against the health threshold. */
  HEALTH_CHECK,
  /** A person's promote, unless promotion is automatic. */
  PROMOTION,
  /** All traffic to the new color, at once or in judged steps. */
  SWITCH,
  /** The new color watched for monitor_duration. */
  MONITORING,
  /** The previous color kept ready for an instant switch back, until cleanup_delay. */
  CLEANUP;

  /** 1-based, as the status counts steps. */
  public int number() {
    return ordinal() + 1;
  }

  /** {@code health check}. */
  public String title() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /** The stage numbered {@code number}. */
  static Stage numbered(int number) {
    return values()[number - 1];
  }
}
