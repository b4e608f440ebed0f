#!/usr/bin/env bash
# Real-traffic benchmark: a real nginx (dynamic and reload modes) in front of demo services, real
# Prometheus, a Temporal dev server, the worker process and the CLI, all on loopback. Prints
#   breach-to-rollback: how long a canary whose candidate turns bad (20% errors at 20% traffic,
#     200 req/s) takes to be RolledBack (5 runs);
#   weight changes under load: requests lost while the nginx router moves v2 between 10% and 90%
#     30 times, once every ~300 ms, under a keep-alive load that never retries, per router mode.
# Needs nginx with libnginx-mod-http-lua, prometheus and the Temporal CLI (scripts/test-all.sh
# installs them). Builds the modules when their jars are missing. Takes about 3-6 minutes.
# The benchmark is e2e/src/test/java/dev/trafficctl/e2e/RealTrafficBenchmark.java; its name does
# not end in Test, so the normal test suite never runs it.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$TRAFFICCTL_ROOT"

require_build_tools
if [[ ! -f cli/target/trafficctl.jar || ! -f worker/target/trafficctl-worker.jar \
  || ! -f demo-service/target/trafficctl-demo-service.jar ]]; then
  log "building trafficctl"
  mvn -B -q install -DskipTests -pl '!e2e'
fi

report=e2e/target/surefire-reports/dev.trafficctl.e2e.RealTrafficBenchmark-output.txt
mkdir -p e2e/target
rm -f "$report"
log "running the benchmark (a few minutes)"
if ! mvn -B test -Dspotless.check.skip=true -pl e2e -Dtest=RealTrafficBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false >e2e/target/real-traffic-bench.log 2>&1; then
  tail -n 60 e2e/target/real-traffic-bench.log >&2
  [[ -f $report ]] && grep -v '^\s*at ' "$report" | tail -n 40 >&2
  echo "real-traffic benchmark failed; full log: e2e/target/real-traffic-bench.log" >&2
  exit 1
fi
grep -E '^(rollback run|breach-to-rollback|weight changes)' "$report"
