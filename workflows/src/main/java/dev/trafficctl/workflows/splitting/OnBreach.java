package dev.trafficctl.workflows.splitting;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a migration puts traffic when the destination fails its analysis. */
public enum OnBreach {
  /** Back to the weights before the last move: the last ones that passed. */
  LAST_GOOD,
  /** All of the migrated traffic back to the source version. */
  SOURCE;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
