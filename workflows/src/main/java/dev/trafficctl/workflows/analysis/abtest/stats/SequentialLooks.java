package dev.trafficctl.workflows.analysis.abtest.stats;

/**
 * What one comparison's looks so far leave for its next look: exact group-sequential boundaries.
 *
 * <p>Look k may spend α*(t_k) − α*(t_(k−1)) of the false-positive budget ({@link AlphaSpending}),
 * and its boundary c_k is the |z| with
 *
 * <pre>
 *   P(|Z_1| &lt; c_1, ..., |Z_(k−1)| &lt; c_(k−1), |Z_k| ≥ c_k) = α*(t_k) − α*(t_(k−1))
 * </pre>
 *
 * under H0, Z the look's statistic as a Brownian motion in information time ({@link
 * NoCrossingDensity}): the chance that some look of an A/A test crosses its boundary is then α*(t)
 * of the last, at most α, however many looks there are and however unevenly they are spaced. The
 * joint law of the looks depends on their information alone, the users per variant; t_k = n_k /
 * n_required only says how much each may spend, and n_required, planned from the control's rate as
 * observed, may move between looks. So a look's boundary needs every earlier look's users and
 * boundary; the recursion carries them in the sub-density of the latest look but one, and the
 * latest look itself, which keeps this record's size bounded however long the test runs.
 *
 * <p>A look counts, and spends, when its users grew by at least {@value #MIN_GROWTH} of the latest
 * counted look's (hourly looks at a steady traffic do so for their first thousand), and t says
 * there is alpha left to spend: a look that re-reads the counts of the latest counted look
 * (continue-as-new, a failed read) gets its boundary again; one with (almost) no new users, or with
 * nothing left to spend (t past 1, or t lower than before because the plan grew), cannot decide
 * anything. The first look that crosses its boundary decides the comparison for good, as a
 * group-sequential test stops there; later looks report their own boundary beside that decision.
 *
 * @param alphaSpent α*(t) of the latest counted look: what the looks so far have spent
 * @param looks how many looks counted
 * @param latest the latest counted look; null before the first
 * @param before the sub-density at the counted look before {@code latest}, null while {@code
 *     latest} is the first: the recursion materialises it at {@code latest} only at the next look,
 *     once the step to that look is known and the grid can suit it
 * @param decision the first look whose |z| passed its boundary; null while none has
 */
public record SequentialLooks(
    double alphaSpent, int looks, Look latest, NoCrossingDensity before, Decision decision) {

  /** A comparison before any look. */
  public static final SequentialLooks NONE = new SequentialLooks(0, 0, null, null, null);

  /** The growth of users since the latest counted look below which a look brings nothing new. */
  static final double MIN_GROWTH = 0.001;

  public SequentialLooks {
    if (!(alphaSpent >= 0 && alphaSpent < 1) || looks < 0) {
      throw new IllegalArgumentException(
          "alpha spent " + alphaSpent + " over " + looks + " looks is not a history of looks");
    }
    if ((latest == null) != (looks == 0) || (before != null && latest == null)) {
      throw new IllegalArgumentException(looks + " looks, the latest " + latest);
    }
  }

  /**
   * A look that counted.
   *
   * @param users users per variant at the look (the smaller variant's count): its information
   * @param informationFraction t = min(1, users / planned users per variant), as planned then
   * @param boundary the |z| the look had to exceed; finite
   */
  public record Look(long users, double informationFraction, double boundary) {}

  /**
   * The look that decided the comparison.
   *
   * @param analysis the test's analysis it was (1 for the first)
   * @param verdict {@link Verdict#WINNER} or {@link Verdict#LOSER}
   * @param z the look's z statistic
   * @param boundary the boundary |z| exceeded
   */
  public record Decision(int analysis, Verdict verdict, double z, double boundary) {}

  /**
   * A look's boundary.
   *
   * @param value the |z| the look must exceed to decide; +∞ when it cannot decide
   * @param looks the looks with this one, when it counted
   */
  public record Boundary(double value, SequentialLooks looks) {}

  /**
   * The boundary of a look at {@code users} per variant and information fraction t, spending from a
   * budget α.
   */
  public Boundary next(long users, double informationFraction, double alpha) {
    if (latest != null && users == latest.users()) {
      return new Boundary(latest.boundary(), this);
    }
    Boundary none = new Boundary(Double.POSITIVE_INFINITY, this);
    if (latest != null && users < latest.users() * (1 + MIN_GROWTH)) {
      return none;
    }
    double target = AlphaSpending.spent(alpha, informationFraction);
    double increment = target - alphaSpent;
    if (!(increment > 0)) {
      return none;
    }
    NoCrossingDensity density = null;
    double c;
    if (latest == null) {
      c = NoCrossingDensity.firstBoundary(increment);
    } else {
      density =
          before == null
              ? NoCrossingDensity.first(latest.users(), latest.boundary(), users)
              : before.next(latest.users(), latest.boundary(), users);
      c = density.boundaryFor(users, increment, alphaSpent);
    }
    if (!Double.isFinite(c)) {
      return none;
    }
    return new Boundary(
        c,
        new SequentialLooks(
            target, looks + 1, new Look(users, informationFraction, c), density, decision));
  }

  /** These looks, decided by {@code d} unless an earlier look decided already. */
  public SequentialLooks decidedBy(Decision d) {
    return decision != null ? this : new SequentialLooks(alphaSpent, looks, latest, before, d);
  }

  /**
   * The exact boundaries of looks at {@code users} per variant (increasing) of a comparison planned
   * for {@code requiredPerGroup}: +∞ where a look cannot decide.
   */
  public static double[] boundaries(double alpha, long[] users, long requiredPerGroup) {
    double[] c = new double[users.length];
    SequentialLooks looks = NONE;
    for (int k = 0; k < users.length; k++) {
      Boundary b =
          looks.next(
              users[k], AlphaSpending.informationFraction(users[k], requiredPerGroup), alpha);
      c[k] = b.value();
      looks = b.looks();
    }
    return c;
  }
}
