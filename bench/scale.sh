#!/usr/bin/env bash
# Scale benchmark: N canaries at once on one worker process and a Temporal dev server of its own,
# on the file router (or SCALE_ROUTER=nginx: one nginx in dynamic mode, a server block per
# service; SCALE_ROUTER=nginx-reload: the same nginx in reload mode), nginx-format access-log metrics, for each N given (default 50,200,500). Prints one
# table: promoted, wall time, worker and server CPU (% of one core) and peak RSS, workflow and
# activity task schedule-to-start p50/p99, step drift p50/p99 (how much later than planned each step
# began), router change latency p50/p99, history events per rollout, failed workflow tasks, and workflow tasks
# that timed out on the worker's sticky queue (handed to the shared queue: late, not lost).
#   bench/scale.sh                 # N = 50, 200, 500
#   bench/scale.sh 1000            # one N
#   SCALE_WORKER_FLAGS="--workflow-pollers 4" bench/scale.sh 200
#   SCALE_ROUTER=nginx bench/scale.sh 200
#   SCALE_ROUTER=nginx-reload bench/scale.sh 200
#   SCALE_SERVER_CONFIG="matching.numTaskqueueReadPartitions=1 matching.numTaskqueueWritePartitions=1" \
#     bench/scale.sh 500
# Each N takes about 2 minutes plus start-up; everything runs on loopback and stops by itself.
# The benchmark is e2e/src/test/java/dev/trafficctl/e2e/ScaleBenchmark.java.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$TRAFFICCTL_ROOT"

sizes=${1:-50,200,500}
# The table is printed after each N; the last print holds every row.
run_benchmark ScaleBenchmark scale-bench '^scale \|' "-Dscale.n=$sizes" \
  "-Dscale.router=${SCALE_ROUTER:-file}" "-Dscale.worker.flags=${SCALE_WORKER_FLAGS:-}" \
  "-Dscale.server.config=${SCALE_SERVER_CONFIG:-}" | tail -n "$(($(tr ',' '\n' <<<"$sizes" | wc -l) + 1))" \
  | sed 's/^scale | /| /; s/$/ |/' | awk 'NR == 2 { print "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|" } { print }'
