#!/usr/bin/env bash
# Blue-green benchmark: five rollouts back and forth between blue and green through a real nginx
# (dynamic mode) under a 200 req/s keep-alive load that never retries, with a Temporal dev server,
# the worker process and the CLI, all on loopback. Prints per switch and overall
#   promote-to-100%: from issuing `trafficctl traffic blue-green promote` (CLI start-up included)
#     until the previously live color's last answer;
#   failed requests while switching.
# Needs nginx with libnginx-mod-http-lua, prometheus and the Temporal CLI (scripts/test-all.sh
# installs them). Takes about 2 minutes. The benchmark is
# e2e/src/test/java/dev/trafficctl/e2e/BlueGreenBenchmark.java, outside the test suite.
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

report=e2e/target/surefire-reports/dev.trafficctl.e2e.BlueGreenBenchmark-output.txt
mkdir -p e2e/target
rm -f "$report"
log "running the benchmark (about 2 minutes)"
if ! mvn -B test -Dspotless.check.skip=true -pl e2e -Dtest=BlueGreenBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false >e2e/target/blue-green-bench.log 2>&1; then
  tail -n 60 e2e/target/blue-green-bench.log >&2
  [[ -f $report ]] && grep -v '^\s*at ' "$report" | tail -n 40 >&2
  echo "blue-green benchmark failed; full log: e2e/target/blue-green-bench.log" >&2
  exit 1
fi
grep -E '^(switch run|promote-to-100%)' "$report"
