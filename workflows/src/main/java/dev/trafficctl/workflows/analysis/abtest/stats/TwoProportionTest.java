package dev.trafficctl.workflows.analysis.abtest.stats;

/**
 * A control and a treatment compared on one metric, users as the unit. Throughout, p_c = x_c/n_c
 * and p_t = x_t/n_t are the observed rates, q = 1 − p, and z_a = Φ⁻¹(1 − a) is an upper critical
 * value of the standard normal.
 *
 * <p>Power and sample size follow one model: under H0 (no difference) the difference of the rates
 * has the pooled variance p̄q̄(1/n_t + 1/n_c), under H1 the unpooled variance p_t·q_t/n_t +
 * p_c·q_c/n_c — the same model as statsmodels' {@code power_proportions_2indep} and {@code
 * samplesize_proportions_2indep_onetail}. (statsmodels' {@code NormalIndPower} with {@code
 * proportion_effectsize} uses Cohen's arcsine effect size instead and gives slightly different
 * numbers; it is not what is computed here.)
 *
 * @param control the variant as it is (A)
 * @param treatment the variant tried (B)
 */
public record TwoProportionTest(Proportion control, Proportion treatment) {

  public TwoProportionTest {
    if (control == null || treatment == null) {
      throw new IllegalArgumentException("a two-proportion test needs a control and a treatment");
    }
  }

  /** The absolute lift Δ = p_t − p_c. */
  public double absoluteLift() {
    return treatment.rate() - control.rate();
  }

  /**
   * The Wald (unpooled) interval for Δ: Δ ± z_(α/2)·√(p_t·q_t/n_t + p_c·q_c/n_c), α = 1 −
   * confidence; statsmodels' {@code confint_proportions_2indep(x_t, n_t, x_c, n_c, method='wald',
   * compare='diff')}.
   */
  public ConfidenceInterval absoluteLiftInterval(double confidence) {
    double z = Normal.upperQuantile(Proportion.alphaOf(confidence) / 2);
    double halfWidth = z * unpooledStandardError();
    double lift = absoluteLift();
    return new ConfidenceInterval(lift - halfWidth, lift + halfWidth);
  }

  /**
   * The relative lift p_t/p_c − 1 (+0.05 is 5% more than the control).
   *
   * @throws IllegalStateException when the control has no successes
   */
  public double relativeLift() {
    requireSuccesses(control, "relative lift");
    return treatment.rate() / control.rate() - 1;
  }

  /**
   * An interval for the relative lift by the delta method on the log of the ratio r = p_t/p_c:
   * Var(ln r) ≈ q_t/(n_t·p_t) + q_c/(n_c·p_c) = 1/x_t − 1/n_t + 1/x_c − 1/n_c, so the interval is
   * exp(ln r ± z_(α/2)·√Var) − 1, α = 1 − confidence. It is asymmetric around the lift and never
   * below −1. The same as statsmodels' {@code confint_proportions_2indep(x_t, n_t, x_c, n_c,
   * method='log', compare='ratio')} minus 1.
   *
   * @throws IllegalStateException when either variant has no successes (ln 0)
   */
  public ConfidenceInterval relativeLiftInterval(double confidence) {
    requireSuccesses(control, "relative lift interval");
    requireSuccesses(treatment, "relative lift interval");
    double z = Normal.upperQuantile(Proportion.alphaOf(confidence) / 2);
    double variance =
        1.0 / treatment.successes()
            - 1.0 / treatment.trials()
            + 1.0 / control.successes()
            - 1.0 / control.trials();
    double logRatio = Math.log(treatment.rate() / control.rate());
    double halfWidth = z * Math.sqrt(variance);
    return new ConfidenceInterval(
        Math.expm1(logRatio - halfWidth), Math.expm1(logRatio + halfWidth));
  }

  /**
   * The pooled two-proportion z statistic: z = (p_t − p_c)/√(p̄q̄(1/n_t + 1/n_c)) with p̄ = (x_t +
   * x_c)/(n_t + n_c); statsmodels' {@code proportions_ztest([x_t, x_c], [n_t, n_c])}. Positive when
   * the treatment's rate is higher. 0 (no evidence of a difference) when a variant has no trials or
   * the pooled rate is 0 or 1 (no variance), where the formula is 0/0.
   */
  public double zStatistic() {
    if (control.trials() == 0 || treatment.trials() == 0) {
      return 0.0;
    }
    double se = pooledStandardError();
    return se == 0 ? 0.0 : absoluteLift() / se;
  }

  /** The two-sided p-value of the pooled z-test: 2·Φ(−|z|). */
  public double pValue() {
    return 2 * Normal.cdf(-Math.abs(zStatistic()));
  }

  /**
   * The power the two-sided pooled z-test at level {@code alpha} has if the true rates were the
   * observed ones ("achieved" or "observed" power) — see {@link #power}.
   */
  public double achievedPower(double alpha) {
    return power(control.rate(), treatment.rate(), control.trials(), treatment.trials(), alpha);
  }

  /**
   * The power of the two-sided pooled z-test at level α with n_c and n_t users when the true rates
   * are p_c and p_t, by the normal approximation with the pooled variance under H0 and the unpooled
   * one under H1:
   *
   * <pre>
   *   σ0 = √(p̄q̄(1/n_t + 1/n_c)),  p̄ = (n_t·p_t + n_c·p_c)/(n_t + n_c)
   *   σ1 = √(p_t·q_t/n_t + p_c·q_c/n_c),  Δ = p_t − p_c
   *   power = Φ((Δ − z_(α/2)·σ0)/σ1) + Φ((−Δ − z_(α/2)·σ0)/σ1)
   * </pre>
   *
   * (both rejection regions); statsmodels' {@code power_proportions_2indep(diff=p_t − p_c,
   * prop2=p_c, nobs1=n_t, ratio=n_c/n_t, alpha=α)}. When σ1 = 0 (both rates 0 or 1) the limit is
   * taken: 1 if |Δ| &gt; z_(α/2)·σ0, else 0.
   */
  public static double power(
      double controlRate, double treatmentRate, long controlN, long treatmentN, double alpha) {
    checkRate(controlRate);
    checkRate(treatmentRate);
    checkAlpha(alpha);
    if (controlN < 1 || treatmentN < 1) {
      throw new IllegalArgumentException("power needs at least one user in each variant");
    }
    double pooled = (treatmentN * treatmentRate + controlN * controlRate) / (treatmentN + controlN);
    double sigma0 = Math.sqrt(pooled * (1 - pooled) * (1.0 / treatmentN + 1.0 / controlN));
    double sigma1 =
        Math.sqrt(
            treatmentRate * (1 - treatmentRate) / treatmentN
                + controlRate * (1 - controlRate) / controlN);
    double z = Normal.upperQuantile(alpha / 2);
    double delta = treatmentRate - controlRate;
    if (sigma1 == 0) {
      return Math.abs(delta) > z * sigma0 ? 1.0 : 0.0;
    }
    return Normal.cdf((delta - z * sigma0) / sigma1) + Normal.cdf((-delta - z * sigma0) / sigma1);
  }

  /**
   * The users each variant needs (unrounded) for the two-sided pooled z-test at level α to detect a
   * relative change {@code relativeEffect} of the {@code baselineRate} p1 with the given power:
   * with p2 = p1·(1 + relativeEffect), p̄ = (p1 + p2)/2,
   *
   * <pre>
   *   n = (z_(α/2)·√(2p̄q̄) + Φ⁻¹(power)·√(p1·q1 + p2·q2))² / (p2 − p1)²
   * </pre>
   *
   * (pooled variance under H0, unpooled under H1, equal groups; the far rejection region is
   * ignored, as usual). The numerator is floored at 0. statsmodels' {@code
   * samplesize_proportions_2indep_onetail(diff=p2 − p1, prop2=p1, power=power, ratio=1, alpha=α)}.
   *
   * @throws IllegalArgumentException when p1 or p2 is not strictly between 0 and 1, or the effect
   *     is 0
   */
  public static double sampleSizePerGroup(
      double baselineRate, double relativeEffect, double alpha, double power) {
    checkAlpha(alpha);
    if (!(power > 0 && power < 1)) {
      throw new IllegalArgumentException("power " + power + " is not in (0, 1)");
    }
    if (!(baselineRate > 0 && baselineRate < 1)) {
      throw new IllegalArgumentException("baseline rate " + baselineRate + " is not in (0, 1)");
    }
    double target = baselineRate * (1 + relativeEffect);
    if (relativeEffect == 0 || !(target > 0 && target < 1)) {
      throw new IllegalArgumentException(
          "a change of "
              + relativeEffect
              + " from "
              + baselineRate
              + " gives "
              + target
              + ", not a different rate in (0, 1)");
    }
    double mean = (baselineRate + target) / 2;
    double sigma0 = Math.sqrt(2 * mean * (1 - mean));
    double sigma1 = Math.sqrt(baselineRate * (1 - baselineRate) + target * (1 - target));
    double numerator =
        Math.max(Normal.upperQuantile(alpha / 2) * sigma0 + Normal.inverseCdf(power) * sigma1, 0.0);
    double delta = target - baselineRate;
    return numerator * numerator / (delta * delta);
  }

  /** {@link #sampleSizePerGroup} rounded up to whole users. */
  public static long requiredSampleSizePerGroup(
      double baselineRate, double relativeEffect, double alpha, double power) {
    return (long) Math.ceil(sampleSizePerGroup(baselineRate, relativeEffect, alpha, power));
  }

  private double unpooledStandardError() {
    double pc = control.rate();
    double pt = treatment.rate();
    return Math.sqrt(pt * (1 - pt) / treatment.trials() + pc * (1 - pc) / control.trials());
  }

  private double pooledStandardError() {
    long n = control.trials() + treatment.trials();
    double pooled = (double) (control.successes() + treatment.successes()) / n;
    return Math.sqrt(pooled * (1 - pooled) * (1.0 / control.trials() + 1.0 / treatment.trials()));
  }

  private static void requireSuccesses(Proportion p, String what) {
    if (p.successes() == 0) {
      throw new IllegalStateException(
          "the " + what + " is undefined with 0 successes of " + p.trials());
    }
  }

  private static void checkRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("rate " + rate + " is not in [0, 1]");
    }
  }

  static void checkAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("significance level " + alpha + " is not in (0, 1)");
    }
  }
}
