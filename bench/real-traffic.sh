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

run_benchmark RealTrafficBenchmark real-traffic-bench '^\|'
