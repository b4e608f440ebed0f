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

run_benchmark BlueGreenBenchmark blue-green-bench '^\|'
