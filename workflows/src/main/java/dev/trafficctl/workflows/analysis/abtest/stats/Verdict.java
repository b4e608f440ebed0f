package dev.trafficctl.workflows.analysis.abtest.stats;

/** What one look at an A/B test's metric says about the treatment against the control. */
public enum Verdict {
  /**
   * A look's z passed its group-sequential boundary in the metric's intended direction (up for a
   * positive threshold, down for a negative one), with each variant past {@code
   * minimum_sample_size}; the first such look decides, later looks keep the verdict.
   */
  WINNER,
  /** A look's z passed its boundary in the wrong direction: the treatment is worse. */
  LOSER,
  /** Enough users, but the difference has not crossed the boundary (yet). */
  INCONCLUSIVE,
  /** A variant has fewer users than {@code minimum_sample_size}: nothing counts yet. */
  TOO_FEW
}
