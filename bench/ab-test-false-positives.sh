#!/usr/bin/env bash
# A/B test false positives: simulated A/A tests (no difference between the variants), and how often
# some look shows a winner or a loser anyway, with the approximate boundary z_(alpha/2)/sqrt(t) the
# judge used before and with the exact group-sequential boundaries it uses now. Prints, per number
# of equally spaced looks, each rate with its Monte Carlo standard error:
#   brownian 5/10/50/200 looks: z as a Brownian motion in information time, the boundaries' model;
#   judge 5/10 looks: user counts judged look after look by SequentialJudge, as the workflow does;
# and how long the exact boundaries of 336 looks (a 14-day test's hourly looks) take.
# RUNS (default 20000) runs per row, SEED to vary the seed; arguments go to Maven (e.g. -o).
# Takes a few minutes. The simulation is
# workflows/src/test/java/dev/trafficctl/workflows/analysis/abtest/stats/FalsePositiveSimulation.java,
# outside the test suite.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$TRAFFICCTL_ROOT"
require_build_tools

class=dev.trafficctl.workflows.analysis.abtest.stats.FalsePositiveSimulation
report="workflows/target/surefire-reports/$class-output.txt"
mkdir -p workflows/target
rm -f "$report"
log "simulating A/A tests, ${RUNS:-20000} runs per row (a few minutes)"
# -am: the modules workflows builds on come from this tree; -Dtest runs no test of theirs.
if ! mvn -B test -Dspotless.check.skip=true -pl workflows -am -Dtest=FalsePositiveSimulation \
  -Dsurefire.failIfNoSpecifiedTests=false -Druns="${RUNS:-20000}" ${SEED:+-Dseed="$SEED"} "$@" \
  >workflows/target/ab-test-false-positives.log 2>&1; then
  tail -n 60 workflows/target/ab-test-false-positives.log >&2
  [[ -f $report ]] && tail -n 40 "$report" >&2
  echo "the simulation failed; full log: workflows/target/ab-test-false-positives.log" >&2
  exit 1
fi
cat "$report"
