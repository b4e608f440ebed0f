package dev.trafficctl.workflows.splitting;

import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.workflows.RolloutInput;
import dev.trafficctl.workflows.analysis.AnalysisCriteria;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * The input of {@code TrafficMigrationWorkflow}.
 *
 * @param from the version losing traffic; it must serve some now
 * @param to the version gaining it
 * @param rate percentage points moved at each step, 1..100
 * @param interval time between two moves
 * @param criteria what the destination is judged on before each move (the canary's analysis); null
 *     to move on time alone
 * @param onBreach where traffic goes when the destination fails; default last_good
 * @param carried the state a continued run carries on with; null on the first run (pipelines leave
 *     it out)
 */
public record MigrationInput(
    String service,
    String env,
    EnvironmentEntry target,
    String from,
    String to,
    int rate,
    Duration interval,
    AnalysisCriteria criteria,
    OnBreach onBreach,
    String requestedBy,
    MigrationState carried)
    implements Validatable, RolloutInput {

  public MigrationInput {
    onBreach = onBreach == null ? OnBreach.LAST_GOOD : onBreach;
  }

  /** A migration's first run. */
  public MigrationInput(
      String service,
      String env,
      EnvironmentEntry target,
      String from,
      String to,
      int rate,
      Duration interval,
      AnalysisCriteria criteria,
      OnBreach onBreach,
      String requestedBy) {
    this(service, env, target, from, to, rate, interval, criteria, onBreach, requestedBy, null);
  }

  /** The same migration, carrying on with {@code state}. */
  MigrationInput carryingOn(MigrationState state) {
    return new MigrationInput(
        service, env, target, from, to, rate, interval, criteria, onBreach, requestedBy, state);
  }

  @Override
  public String workflowType() {
    return TrafficMigrationWorkflow.TYPE;
  }

  @Override
  public String strategy() {
    return "migration";
  }

  /** The destination. */
  @Override
  public String version() {
    return to;
  }

  @Override
  public String summary() {
    return "migration "
        + service
        + " ("
        + env
        + ") "
        + from
        + " -> "
        + to
        + ", "
        + rate
        + " points every "
        + SpecDurations.format(interval);
  }

  /** Until the worker reads the router, the moves from 0% are the best estimate. */
  @Override
  public RolloutStatus waitingStatus(Instant now) {
    return RolloutInput.waiting(this, now)
        .stableVersion(from)
        .candidateVersion(to)
        .totalSteps((100 + rate - 1) / rate)
        .nextWeight(rate)
        .build();
  }

  @Override
  public void validate(Validator at) {
    validateWhere(at);
    for (String field : new String[] {"from", "to"}) {
      String version = field.equals("from") ? from : to;
      if (at.required(field, version)
          && target != null
          && target.versions() != null
          && !target.versions().containsKey(version)) {
        at.at(field).fail("\"" + version + "\" " + target.notAVersionOf(service, env));
      }
    }
    at.check(from == null || !from.equals(to), "to", "is the same version as from");
    at.between("rate", rate, 1, 100);
    if (at.required("interval", interval)) {
      at.positive("interval", interval);
    }
    if (criteria != null && target != null) {
      at.check(
          target.metrics() != null,
          "criteria",
          "the migration is judged on metrics, so the catalog entry needs a metrics source");
    }
  }
}
