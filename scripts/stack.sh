#!/usr/bin/env bash
# The demo's stack, left running to play with: a Temporal dev server, Prometheus, the demo service
# (v1 on two instances, v2 on one), nginx in dynamic mode in front of it, serving v1 before any
# rollout, and a worker; all on loopback, with the demo's catalog (service api, environment demo).
# scripts/demo.sh runs its canary on it.
#
# Usage: scripts/stack.sh [up [--fresh]|down [--keep-server]|status|env|help]
#
#   up       installs what is missing (Debian packages, as root), builds when nothing is built,
#            starts what is not running and prints what runs where. Idempotent: a second up says
#            what already runs. Before the first rollout nginx serves v1 at 100% (a traffic split
#            to 100% v1, run by the worker). --fresh: start over on v1 whatever the last rollout
#            left: when nginx is not running, forget the router's state (nginx's configuration
#            and weights) first; when it is, put v1 back at 100% with a traffic split.
#   down     stops what up started, the Temporal dev server too (its db is kept). --keep-server
#            leaves the dev server running, for its Web UI.
#   status   each component with its pid, address and whether it answers; exit 0 when all do.
#   env      export lines for the CLI (eval "$(scripts/stack.sh env)"): TEMPORAL_ADDRESS,
#            TEMPORAL_NAMESPACE, TRAFFICCTL_CATALOG, TRAFFICCTL_ENV; and where things are:
#            TRAFFICCTL_TEMPORAL_UI_URL, TRAFFICCTL_STACK_NGINX_URL, TRAFFICCTL_STACK_SERVICE_URLS.
#
# Environment (default):
#   TRAFFICCTL_STACK_STATE          catalog, logs, pid files, nginx's prefix (<repo>/.run/demo)
#   TRAFFICCTL_STACK_NGINX_PORT     nginx serving api (18080)
#   TRAFFICCTL_STACK_ADMIN_PORT     nginx's admin endpoint for the router (18090)
#   TRAFFICCTL_STACK_SERVICE_PORTS  the demo service's v1, v1 and v2 ("18081 18082 18083")
#   TRAFFICCTL_STACK_WORKER_PORT    the worker's /healthz and /metrics (18070)
#   TRAFFICCTL_PROMETHEUS_PORT      Prometheus (19090)
#   TRAFFICCTL_TEMPORAL_STATE, TRAFFICCTL_TEMPORAL_PORT, ..._UI_PORT, ..._HTTP_PORT,
#   ..._METRICS_PORT                the dev server, as scripts/temporal-dev-server.sh takes them
# up records the settings it started with in the state dir; status, down and the next up use
# those while anything of that stack runs.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TRAFFICCTL_ROOT"

SERVICE=api
ENV_NAME=demo
VERSIONS=(v1 v1 v2)
STATE=${TRAFFICCTL_STACK_STATE:-$TRAFFICCTL_ROOT/.run/demo}
RECORD="$STATE/stack.env"
NGINX_PREFIX="$STATE/nginx"
NGINX_CONF="$NGINX_PREFIX/nginx.conf"
NGINX_INCLUDE="$NGINX_PREFIX/conf.d/$ENV_NAME.$SERVICE.conf"
CATALOG="$STATE/trafficctl.yaml"

die() {
  printf 'stack: %s\n' "$*" >&2
  exit 1
}

# ------------------------------------------------------------------- settings --

from_environment() {
  NGINX_PORT=${TRAFFICCTL_STACK_NGINX_PORT:-18080}
  ADMIN_PORT=${TRAFFICCTL_STACK_ADMIN_PORT:-18090}
  read -r -a SERVICE_PORTS <<<"${TRAFFICCTL_STACK_SERVICE_PORTS:-18081 18082 18083}"
  WORKER_PORT=${TRAFFICCTL_STACK_WORKER_PORT:-18070}
  PROMETHEUS_PORT=${TRAFFICCTL_PROMETHEUS_PORT:-19090}
  TEMPORAL_STATE=${TRAFFICCTL_TEMPORAL_STATE:-$TRAFFICCTL_ROOT/.run/temporal}
  TEMPORAL_PORTS=("${TRAFFICCTL_TEMPORAL_PORT:-}" "${TRAFFICCTL_TEMPORAL_UI_PORT:-}"
    "${TRAFFICCTL_TEMPORAL_HTTP_PORT:-}" "${TRAFFICCTL_TEMPORAL_METRICS_PORT:-}")
  ((${#SERVICE_PORTS[@]} == ${#VERSIONS[@]})) ||
    die "TRAFFICCTL_STACK_SERVICE_PORTS needs ${#VERSIONS[@]} ports (${VERSIONS[*]}), got '${SERVICE_PORTS[*]}'"
  local p
  for p in "$NGINX_PORT" "$ADMIN_PORT" "${SERVICE_PORTS[@]}" "$WORKER_PORT" "$PROMETHEUS_PORT"; do
    [[ $p =~ ^[0-9]+$ ]] || die "not a port: '$p'"
  done
}

record() {
  mkdir -p "$STATE"
  {
    printf '# Written by scripts/stack.sh up: the settings this stack runs with.\n'
    printf 'NGINX_PORT=%q\nADMIN_PORT=%q\nWORKER_PORT=%q\nPROMETHEUS_PORT=%q\n' \
      "$NGINX_PORT" "$ADMIN_PORT" "$WORKER_PORT" "$PROMETHEUS_PORT"
    printf 'SERVICE_PORTS=(%s)\n' "${SERVICE_PORTS[*]}"
    printf 'TEMPORAL_STATE=%q\n' "$TEMPORAL_STATE"
    printf 'TEMPORAL_PORTS=(%q %q %q %q)\n' "${TEMPORAL_PORTS[@]}"
  } >"$RECORD"
}

recorded() {
  [[ -f $RECORD ]] || return 1
  # shellcheck source=/dev/null
  source "$RECORD"
}

# The dev server's, Prometheus's and the CLI's environment for these settings.
export_settings() {
  export TRAFFICCTL_TEMPORAL_STATE=$TEMPORAL_STATE
  local names=(PORT UI_PORT HTTP_PORT METRICS_PORT) i
  for i in 0 1 2 3; do
    if [[ -n ${TEMPORAL_PORTS[$i]} ]]; then
      export "TRAFFICCTL_TEMPORAL_${names[$i]}=${TEMPORAL_PORTS[$i]}"
    else
      unset "TRAFFICCTL_TEMPORAL_${names[$i]}"
    fi
  done
  export TRAFFICCTL_PROMETHEUS_STATE="$STATE/prometheus" TRAFFICCTL_PROMETHEUS_PORT=$PROMETHEUS_PORT
  export TRAFFICCTL_CATALOG=$CATALOG
  eval "$(scripts/temporal-dev-server.sh env)"
}

# ------------------------------------------------------------------ processes --

pid_file() { printf '%s/pids/%s.pid\n' "$STATE" "$1"; }

# command_of PID TEXT: whether process PID runs and its command line contains TEXT.
command_of() {
  local cmdline
  [[ -r /proc/$1/cmdline ]] || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"$2"* ]]
}

# running NAME PATTERN: prints the pid recorded for NAME while that process runs (its command line
# contains PATTERN, so a reused pid is not taken for it).
running() {
  local file pid
  file=$(pid_file "$1")
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] && command_of "$pid" "$2" || return 1
  printf '%s\n' "$pid"
}

# launch NAME LOG COMMAND...: starts COMMAND in a session of its own (so that neither Ctrl-C nor the
# end of this script stops it), output to LOG, and records its pid.
launch() {
  local name=$1 logfile=$2 file i
  shift 2
  file=$(pid_file "$name")
  mkdir -p "$(dirname "$file")"
  rm -f "$file"
  # shellcheck disable=SC2016 # expanded by the inner shell, on purpose
  setsid bash -c 'echo "$$" >"$1.tmp" && mv -f "$1.tmp" "$1" && shift && exec "$@"' _ "$file" "$@" \
    >>"$logfile" 2>&1 </dev/null 9>&- &
  for ((i = 0; i < 100; i++)); do
    [[ -s $file ]] && return 0
    sleep 0.05
  done
  die "$name did not start; see $logfile"
}

# stop_pids NAME=PID...: SIGTERM to each, then waits for them all (SIGKILL after 20 s), saying
# which stopped.
stop_pids() {
  local entry pid deadline=$((SECONDS + 20))
  for entry in "$@"; do
    kill "${entry#*=}" 2>/dev/null || true
  done
  for entry in "$@"; do
    pid=${entry#*=}
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    log "stopped ${entry%%=*} (pid $pid)"
  done
}

listening() { [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]; }

require_free() { # PORT VARIABLE WHAT
  if listening "$1"; then
    ss -Hltnp "sport = :$1" >&2 2>/dev/null || true
    die "port $1 ($3) is in use by another process; pick another with $2"
  fi
}

# until_true SECONDS COMMAND...: polls COMMAND every 0.25 s; fails after SECONDS.
until_true() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.25
  done
}

answers() { curl -fsS -o /dev/null -m 2 "$1" 2>/dev/null; }

nginx_pid() {
  local pid
  [[ -f $NGINX_PREFIX/logs/nginx.pid ]] || return 1
  pid=$(<"$NGINX_PREFIX/logs/nginx.pid")
  [[ $pid =~ ^[0-9]+$ ]] && command_of "$pid" "$NGINX_CONF" || return 1
  printf '%s\n' "$pid"
}

# The version nginx's answer names, e.g. v1.
nginx_version() {
  curl -fsS -m 2 "http://127.0.0.1:$NGINX_PORT/" 2>/dev/null | sed -n 's/.*"version":"\([^"]*\)".*/\1/p'
}

service_name() { printf 'demo-%s-%s\n' "${VERSIONS[$1]}" "${SERVICE_PORTS[$1]}"; }

# ------------------------------------------------------------------ components --

write_catalog() {
  # The demo's catalog with this stack's state dir and ports.
  local sed_args=(-e "s#@DEMO@#$STATE#g"
    -e "s#\"127.0.0.1:18080\"#\"127.0.0.1:$NGINX_PORT\"#"
    -e "s#\"127.0.0.1:18090\"#\"127.0.0.1:$ADMIN_PORT\"#"
    -e "s#\"http://127.0.0.1:19090\"#\"http://127.0.0.1:$PROMETHEUS_PORT\"#")
  local i default=(18081 18082 18083)
  for i in "${!VERSIONS[@]}"; do
    sed_args+=(-e "s#\"127.0.0.1:${default[$i]}\"#\"127.0.0.1:${SERVICE_PORTS[$i]}\"#")
  done
  sed "${sed_args[@]}" examples/demo/trafficctl.yaml >"$CATALOG.tmp"
  mv -f "$CATALOG.tmp" "$CATALOG"
  mkdir -p "$STATE/traffic"
  cp examples/demo/traffic/canary.yaml "$STATE/traffic/canary.yaml"
  bin/trafficctl validate "$CATALOG" "$STATE/traffic/canary.yaml" >/dev/null
}

start_services() {
  local i name port started=()
  for i in "${!VERSIONS[@]}"; do
    name=$(service_name "$i") port=${SERVICE_PORTS[$i]}
    if running "$name" trafficctl-demo-service >/dev/null; then
      log "demo service ${VERSIONS[$i]} on $port already runs"
      continue
    fi
    require_free "$port" TRAFFICCTL_STACK_SERVICE_PORTS "demo service ${VERSIONS[$i]}"
    log "starting demo service ${VERSIONS[$i]} on $port"
    launch "$name" "$STATE/$name.log" bin/trafficctl-demo-service --version "${VERSIONS[$i]}" --port "$port"
    started+=("$i")
  done
  for i in "${started[@]}"; do
    until_true 60 answers "http://127.0.0.1:${SERVICE_PORTS[$i]}/health" ||
      die "demo service ${VERSIONS[$i]} does not answer on ${SERVICE_PORTS[$i]}; see $STATE/$(service_name "$i").log"
  done
  for i in "${!VERSIONS[@]}"; do
    scripts/prometheus.sh add-target "$SERVICE" "${VERSIONS[$i]}" "127.0.0.1:${SERVICE_PORTS[$i]}"
  done
}

start_nginx() {
  if nginx_pid >/dev/null; then
    log "nginx already runs (prefix $NGINX_PREFIX)"
    return 0
  fi
  if ((FRESH)); then
    rm -rf "$NGINX_PREFIX" "$STATE/routes"
  fi
  require_free "$NGINX_PORT" TRAFFICCTL_STACK_NGINX_PORT nginx
  require_free "$ADMIN_PORT" TRAFFICCTL_STACK_ADMIN_PORT "nginx's admin endpoint"
  log "starting nginx (prefix $NGINX_PREFIX)"
  bin/trafficctl-worker nginx-config --prefix "$NGINX_PREFIX" --config-dir "$NGINX_PREFIX/conf.d" >/dev/null
  /usr/sbin/nginx -p "$NGINX_PREFIX" -c "$NGINX_CONF" 9>&-
}

start_worker() {
  if running worker trafficctl-worker >/dev/null; then
    log "worker already runs"
    return 0
  fi
  require_free "$WORKER_PORT" TRAFFICCTL_STACK_WORKER_PORT "the worker's health endpoint"
  log "starting a worker (log: $STATE/worker.log)"
  launch worker "$STATE/worker.log" bin/trafficctl-worker --health-port "$WORKER_PORT" --state-dir "$STATE"
  until_true 120 answers "http://127.0.0.1:$WORKER_PORT/healthz" ||
    die "the worker does not answer on $WORKER_PORT; see $STATE/worker.log"
}

# Before the first rollout nothing is rendered for the service and nginx does not listen for it:
# a traffic split puts v1 at 100%, through the worker, as any change of weights goes. With --fresh,
# v1 goes back to 100% whatever the last rollout left.
serve_v1() {
  local why
  if [[ ! -f $NGINX_INCLUDE ]]; then
    why="nginx serves nothing yet: putting v1 at 100% (traffic split)"
  elif ((FRESH)); then
    why="putting v1 back at 100% (traffic split)"
  else
    until_true 10 answers "http://127.0.0.1:$NGINX_PORT/" || true
    return 0
  fi
  log "$why"
  bin/trafficctl traffic split "$SERVICE" --env "$ENV_NAME" --v1=100 --v2=0 \
    --reason "the stack starts on v1" >"$STATE/split.log" 2>&1 || {
    cat "$STATE/split.log" >&2
    die "the traffic split to v1 failed"
  }
  until_true 30 answers "http://127.0.0.1:$NGINX_PORT/" ||
    die "nginx does not answer on $NGINX_PORT; see $NGINX_PREFIX/logs/error.log"
}

# ---------------------------------------------------------------------- status --

# row NAME PID ADDRESS STATE
row() { printf '  %-22s %-8s %-52s %s\n' "$1" "${2:--}" "$3" "$4"; }

# Prints every component; returns 0 when all of them answer.
report() {
  local ok=0 pid state i name
  printf 'trafficctl demo stack (state %s)\n' "$STATE"
  row component pid address state
  if pid=$(scripts/temporal-dev-server.sh status 2>/dev/null | sed -n 's/.*running (pid \([0-9]*\)).*/\1/p') && [[ -n $pid ]]; then
    state=answers
  else
    pid="" state="not running" ok=1
  fi
  row "Temporal dev server" "$pid" "$TEMPORAL_ADDRESS, Web UI $TRAFFICCTL_TEMPORAL_UI_URL" "$state"

  pid=$(cat "$STATE/prometheus/prometheus.pid" 2>/dev/null || true)
  if scripts/prometheus.sh status; then state=answers; else state="not answering" ok=1; fi
  [[ -n $pid && -d /proc/$pid ]] || { pid="" state="not running" ok=1; }
  row Prometheus "$pid" "http://127.0.0.1:$PROMETHEUS_PORT" "$state"

  for i in "${!VERSIONS[@]}"; do
    name=$(service_name "$i")
    if pid=$(running "$name" trafficctl-demo-service); then
      if answers "http://127.0.0.1:${SERVICE_PORTS[$i]}/health"; then state=answers; else state="not answering" ok=1; fi
    else
      pid="" state="not running" ok=1
    fi
    row "demo service ${VERSIONS[$i]}" "$pid" "http://127.0.0.1:${SERVICE_PORTS[$i]}" "$state"
  done

  if pid=$(nginx_pid); then
    local version
    version=$(nginx_version)
    if [[ -n $version ]]; then state="answers ($version answered)"; else state="not answering" ok=1; fi
  else
    pid="" state="not running" ok=1
  fi
  row "nginx ($SERVICE, $ENV_NAME)" "$pid" "http://127.0.0.1:$NGINX_PORT (admin 127.0.0.1:$ADMIN_PORT)" "$state"

  if pid=$(running worker trafficctl-worker); then
    if answers "http://127.0.0.1:$WORKER_PORT/healthz"; then state="answers (polling)"; else state="not answering" ok=1; fi
  else
    pid="" state="not running" ok=1
  fi
  row worker "$pid" "http://127.0.0.1:$WORKER_PORT/healthz" "$state"
  return "$ok"
}

hints() {
  cat <<EOF

Try it (catalog $CATALOG):
  eval "\$(scripts/stack.sh env)"
  curl -s http://127.0.0.1:$NGINX_PORT/
  bin/trafficctl traffic canary deploy $SERVICE --env $ENV_NAME --version v2 --wait
  bin/trafficctl traffic canary status $SERVICE --env $ENV_NAME --watch
  bin/trafficctl traffic list --env $ENV_NAME
Web UI: $TRAFFICCTL_TEMPORAL_UI_URL/namespaces/$TEMPORAL_NAMESPACE/workflows/$ENV_NAME.$SERVICE
Logs:   $STATE/*.log, $NGINX_PREFIX/logs/
Stop:   scripts/stack.sh down   (--keep-server leaves the Temporal dev server and its Web UI)
EOF
}

# -------------------------------------------------------------------- commands --

take_lock() {
  mkdir -p "$(dirname "$STATE")"
  exec 9>"${STATE%/}.lock"
  flock -w 600 9 || die "timed out waiting for ${STATE%/}.lock"
}

# Something of the recorded stack still runs.
anything_runs() {
  local i
  nginx_pid >/dev/null && return 0
  running worker trafficctl-worker >/dev/null && return 0
  for i in "${!VERSIONS[@]}"; do
    running "$(service_name "$i")" trafficctl-demo-service >/dev/null && return 0
  done
  [[ -f $STATE/prometheus/prometheus.pid && -d /proc/$(<"$STATE/prometheus/prometheus.pid") ]]
}

cmd_up() {
  FRESH=0
  while (($#)); do
    case $1 in
      --fresh) FRESH=1 ;;
      *) die "unknown option for up: $1" ;;
    esac
    shift
  done
  take_lock
  # The settings of a stack that still runs, else the environment's.
  if ! { recorded && anything_runs; }; then
    from_environment
  fi
  apt_install nginx libnginx-mod-http-lua prometheus curl
  if [[ ! -f cli/target/trafficctl.jar || ! -f worker/target/trafficctl-worker.jar ||
    ! -f demo-service/target/trafficctl-demo-service.jar ]]; then
    build
  fi
  mkdir -p "$STATE"
  # nginx's workers (nobody) read the router's state in here.
  chmod 755 "$(dirname "$STATE")" "$STATE"
  record
  write_catalog
  export_settings
  if scripts/temporal-dev-server.sh status >/dev/null 2>&1; then
    log "the Temporal dev server already runs ($TEMPORAL_ADDRESS)"
  fi
  # The lock (fd 9) stays here: nothing long-lived inherits it.
  scripts/temporal-dev-server.sh start >/dev/null 9>&-
  export_settings # the address the server recorded
  scripts/prometheus.sh start 9>&-
  start_services
  start_nginx
  start_worker
  serve_v1
  report || true
  hints
}

cmd_down() {
  local keep=0 i
  while (($#)); do
    case $1 in
      --keep-server) keep=1 ;;
      *) die "unknown option for down: $1" ;;
    esac
    shift
  done
  take_lock
  recorded || from_environment
  export_settings
  local pid name stopping=()
  # The worker first, so that nothing changes nginx while it stops; then the rest together.
  if pid=$(running worker trafficctl-worker); then
    stop_pids "worker=$pid"
  fi
  rm -f "$(pid_file worker)"
  if pid=$(nginx_pid); then
    stopping+=("nginx=$pid")
  fi
  for i in "${!VERSIONS[@]}"; do
    name=$(service_name "$i")
    if pid=$(running "$name" trafficctl-demo-service); then
      stopping+=("$name=$pid")
    fi
    rm -f "$(pid_file "$name")"
  done
  ((${#stopping[@]} == 0)) || stop_pids "${stopping[@]}"
  scripts/prometheus.sh stop
  if ((keep)); then
    log "the Temporal dev server keeps running: Web UI $TRAFFICCTL_TEMPORAL_UI_URL (scripts/temporal-dev-server.sh stop stops it)"
  else
    scripts/temporal-dev-server.sh stop >&2
  fi
}

cmd_status() {
  recorded || from_environment
  export_settings
  report
}

cmd_env() {
  recorded || from_environment
  export_settings
  local urls=() port
  for port in "${SERVICE_PORTS[@]}"; do urls+=("http://127.0.0.1:$port"); done
  printf 'export TEMPORAL_ADDRESS=%q\n' "$TEMPORAL_ADDRESS"
  printf 'export TEMPORAL_NAMESPACE=%q\n' "$TEMPORAL_NAMESPACE"
  printf 'export TRAFFICCTL_CATALOG=%q\n' "$CATALOG"
  printf 'export TRAFFICCTL_ENV=%q\n' "$ENV_NAME"
  printf 'export TRAFFICCTL_TEMPORAL_UI_URL=%q\n' "$TRAFFICCTL_TEMPORAL_UI_URL"
  printf 'export TRAFFICCTL_STACK_NGINX_URL=%q\n' "http://127.0.0.1:$NGINX_PORT"
  printf 'export TRAFFICCTL_STACK_SERVICE_URLS=%q\n' "${urls[*]}"
}

case ${1:-up} in
  up) shift || true; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) cmd_status ;;
  env) cmd_env ;;
  -h | --help | help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" ;;
  *) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac
