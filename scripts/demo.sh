#!/usr/bin/env bash
# The demo: builds trafficctl, starts a Temporal dev server and a worker, and runs a canary of
# the demo service v1 -> v2 to the end, printing each step. Ctrl-C stops the worker.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TRAFFICCTL_ROOT"

build
bin/trafficctl validate examples/trafficctl.yaml examples/traffic/canary.yaml \
  examples/demo/trafficctl.yaml examples/demo/traffic/canary.yaml >/dev/null

scripts/temporal-dev-server.sh start
eval "$(scripts/temporal-dev-server.sh env)"

state="$TRAFFICCTL_ROOT/.run/demo"
# Each run starts from v1 serving everything: forget the previous run's routes.
rm -rf "$state/routes"
mkdir -p "$state"
log "starting a worker (log: $state/worker.log)"
: >"$state/worker.log"
bin/trafficctl-worker --health-port 0 --state-dir "$state" >>"$state/worker.log" 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  grep -q polling "$state/worker.log" && break
  kill -0 "$worker" 2>/dev/null || { cat "$state/worker.log" >&2; exit 1; }
  sleep 0.5
done

export TRAFFICCTL_CATALOG="$TRAFFICCTL_ROOT/examples/demo/trafficctl.yaml"
log "Web UI: $TRAFFICCTL_TEMPORAL_UI_URL/namespaces/$TEMPORAL_NAMESPACE/workflows/demo.api"
log "in another terminal: bin/trafficctl traffic canary status api --env demo --watch"
bin/trafficctl traffic canary deploy api --env demo --version v2 --wait
log "desired weights for GitOps: $state/routes/demo/api.json"
log "the dev server keeps running for the Web UI; stop it with: scripts/temporal-dev-server.sh stop"
