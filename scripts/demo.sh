#!/usr/bin/env bash
# The demo: a canary of the demo service v1 -> v2 through a real nginx (dynamic mode), judged on
# real Prometheus data, on a Temporal dev server, under a light loopback load. It runs on the stack
# scripts/stack.sh keeps: when that stack is up, on it, leaving it up; else it installs what is
# missing (as root; otherwise says what to install), builds, brings the stack up from v1 and, on
# exit or Ctrl-C, stops what it started but the Temporal dev server, which keeps running for the Web
# UI (scripts/temporal-dev-server.sh stop; scripts/stack.sh up brings the rest back).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TRAFFICCTL_ROOT"

apt_install nginx libnginx-mod-http-lua prometheus curl
build

started=0
scripts/stack.sh status >/dev/null 2>&1 || started=1
load=""
cleanup() {
  set +e
  if [[ -n $load ]]; then
    kill "$load" 2>/dev/null
    wait "$load" 2>/dev/null
  fi
  if ((started)); then
    log "stopping the demo's processes"
    scripts/stack.sh down --keep-server 2>/dev/null
    log "the Temporal dev server still runs, for its Web UI: ${TRAFFICCTL_TEMPORAL_UI_URL:-}/namespaces/${TEMPORAL_NAMESPACE:-default}/workflows/demo.api"
    log "stop it with: scripts/temporal-dev-server.sh stop"
    log "or play on: scripts/stack.sh up starts the rest again, with traffic where the canary left it"
  else
    log "the stack keeps running: scripts/stack.sh status shows it, scripts/stack.sh down stops it"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Up from v1 at 100% (what is up already stays up; a rollout the stack kept is undone).
((started)) || log "the stack (scripts/stack.sh) is up: the demo runs on it and leaves it up"
scripts/stack.sh up --fresh >/dev/null
eval "$(scripts/stack.sh env)"
scripts/stack.sh status || true

log "Web UI: $TRAFFICCTL_TEMPORAL_UI_URL/namespaces/$TEMPORAL_NAMESPACE/workflows/demo.api"
log "in another terminal: eval \"\$(scripts/stack.sh env)\"; bin/trafficctl traffic canary status api --env demo --watch"
# A light load through nginx: 100 requests/s on one keep-alive connection, bounded to 30,000
# requests (five minutes).
curl -s -o /dev/null --rate 100/s "$TRAFFICCTL_STACK_NGINX_URL/?[1-30000]" &
load=$!
rc=0
bin/trafficctl traffic canary deploy api --env demo --version v2 --wait || rc=$?
for url in $TRAFFICCTL_STACK_SERVICE_URLS; do
  printf 'demo service on %s answered %s requests\n' "${url##*:}" \
    "$(curl -s "$url/admin/stats" | sed 's/.*"requests":\([0-9]*\).*/\1/')"
done
exit "$rc"
