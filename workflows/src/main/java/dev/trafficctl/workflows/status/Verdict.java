package dev.trafficctl.workflows.status;

import com.fasterxml.jackson.annotation.JsonValue;

/** The outcome of one analysis. */
public enum Verdict {
  /** Every metric within its bound, on enough requests. */
  PASS,
  /** At least one metric outside its bound, on enough requests. */
  FAIL,
  /** Too few requests to judge: never a pass. */
  INCONCLUSIVE,
  /** The metrics could not be read. */
  ERROR;

  @JsonValue
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
