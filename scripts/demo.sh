#!/usr/bin/env bash
# The demo: a canary of the demo service v1 -> v2 through a real nginx (dynamic mode), judged on
# real Prometheus data, on a Temporal dev server, under a light loopback load. Installs what is
# missing (as root; otherwise says what to install), starts everything on loopback ports, prints
# each step and the Web UI address, and stops what it started on exit or Ctrl-C (the Temporal dev
# server keeps running for the Web UI: scripts/temporal-dev-server.sh stop).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TRAFFICCTL_ROOT"

apt_install nginx libnginx-mod-http-lua prometheus curl
build

demo="$TRAFFICCTL_ROOT/.run/demo"
rm -rf "$demo/nginx" "$demo/routes"
mkdir -p "$demo"
chmod 755 "$TRAFFICCTL_ROOT/.run" "$demo" # nginx's workers (nobody) read the router's state
sed "s#@DEMO@#$demo#g" examples/demo/trafficctl.yaml >"$demo/trafficctl.yaml"
mkdir -p "$demo/traffic"
cp examples/demo/traffic/canary.yaml "$demo/traffic/canary.yaml"
export TRAFFICCTL_CATALOG="$demo/trafficctl.yaml"
bin/trafficctl validate "$TRAFFICCTL_CATALOG" "$demo/traffic/canary.yaml" >/dev/null

pids=()
cleanup() {
  set +e
  log "stopping the demo's processes"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  [[ -f "$demo/nginx/logs/nginx.pid" ]] && /usr/sbin/nginx -p "$demo/nginx" -c "$demo/nginx/nginx.conf" -s quit 2>/dev/null
  TRAFFICCTL_PROMETHEUS_STATE="$demo/prometheus" scripts/prometheus.sh stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

scripts/temporal-dev-server.sh start
eval "$(scripts/temporal-dev-server.sh env)"

log "demo services: v1 on 18081 and 18082, v2 on 18083"
for spec in v1:18081 v1:18082 v2:18083; do
  bin/trafficctl-demo-service --version "${spec%%:*}" --port "${spec##*:}" >"$demo/demo-${spec/:/-}.log" 2>&1 &
  pids+=($!)
done
export TRAFFICCTL_PROMETHEUS_STATE="$demo/prometheus"
scripts/prometheus.sh start
for spec in v1:18081 v1:18082 v2:18083; do
  scripts/prometheus.sh add-target api "${spec%%:*}" "127.0.0.1:${spec##*:}"
done

log "nginx on 127.0.0.1:18080 (prefix $demo/nginx)"
bin/trafficctl-worker nginx-config --prefix "$demo/nginx" --config-dir "$demo/nginx/conf.d" >/dev/null
/usr/sbin/nginx -p "$demo/nginx" -c "$demo/nginx/nginx.conf"

log "starting a worker (log: $demo/worker.log)"
: >"$demo/worker.log"
bin/trafficctl-worker --health-port 0 --state-dir "$demo" >>"$demo/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  grep -q polling "$demo/worker.log" && break
  sleep 0.5
done

log "Web UI: $TRAFFICCTL_TEMPORAL_UI_URL/namespaces/$TEMPORAL_NAMESPACE/workflows/demo.api"
log "in another terminal: TRAFFICCTL_CATALOG=$TRAFFICCTL_CATALOG bin/trafficctl traffic canary status api --env demo --watch"
bin/trafficctl traffic canary deploy api --env demo --version v2 --wait &
deploy=$!

# A light load through nginx once it serves the service: 100 requests/s on one keep-alive
# connection, bounded to 30,000 requests (five minutes).
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null -m 1 http://127.0.0.1:18080/ 2>/dev/null && break
  sleep 0.5
done
curl -s -o /dev/null --rate 100/s "http://127.0.0.1:18080/?[1-30000]" &
pids+=($!)
rc=0
wait "$deploy" || rc=$?
for port in 18081 18082 18083; do
  printf 'demo service on %s answered %s requests\n' "$port" \
    "$(curl -s http://127.0.0.1:$port/admin/stats | sed 's/.*"requests":\([0-9]*\).*/\1/')"
done
exit "$rc"
