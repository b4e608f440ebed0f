#!/usr/bin/env bash
# A Prometheus of the project's own (Debian's package), on loopback, scraping the targets listed
# as JSON files in its state dir (file service discovery), every second by default.
#
# Usage: scripts/prometheus.sh [start|stop|status|add-target JOB VERSION HOST:PORT|address]
#
#   start        install (apt, as root) when missing, write the config, start, wait until ready.
#                Idempotent.
#   stop         stop it (keeps its data).
#   status       exit 0 when it answers.
#   add-target   scrape HOST:PORT with labels job=JOB, version=VERSION (picked up within 1 s).
#   address      print its base URL.
#
# Environment:
#   TRAFFICCTL_PROMETHEUS_STATE    state dir (default <repo>/.run/prometheus)
#   TRAFFICCTL_PROMETHEUS_PORT     port (default 19090)
#   TRAFFICCTL_PROMETHEUS_SCRAPE   scrape interval (default 1s)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATE=${TRAFFICCTL_PROMETHEUS_STATE:-$TRAFFICCTL_ROOT/.run/prometheus}
PORT=${TRAFFICCTL_PROMETHEUS_PORT:-19090}
SCRAPE=${TRAFFICCTL_PROMETHEUS_SCRAPE:-1s}
ADDRESS="http://127.0.0.1:$PORT"
PID_FILE="$STATE/prometheus.pid"

ready() { curl -fsS -m 2 "$ADDRESS/-/ready" >/dev/null 2>&1; }

running_pid() {
  local pid
  [[ -f $PID_FILE ]] || return 1
  pid=$(<"$PID_FILE")
  kill -0 "$pid" 2>/dev/null || return 1
  printf '%s\n' "$pid"
}

write_config() {
  mkdir -p "$STATE/targets" "$STATE/data"
  cat >"$STATE/prometheus.yml" <<YAML
# Written by scripts/prometheus.sh.
global:
  scrape_interval: $SCRAPE
  evaluation_interval: $SCRAPE
scrape_configs:
  - job_name: trafficctl-targets
    # The services label their own series by version; theirs win over the target labels.
    honor_labels: true
    file_sd_configs:
      - files: ["$STATE/targets/*.json"]
        refresh_interval: 1s
YAML
}

cmd_start() {
  if running_pid >/dev/null && ready; then
    log "prometheus already running at $ADDRESS"
    return 0
  fi
  command -v prometheus >/dev/null 2>&1 || apt_install prometheus
  write_config
  log "starting prometheus at $ADDRESS (state: $STATE)"
  setsid prometheus \
    --config.file="$STATE/prometheus.yml" \
    --storage.tsdb.path="$STATE/data" \
    --storage.tsdb.retention.time=2h \
    --web.listen-address="127.0.0.1:$PORT" \
    --log.level=warn >>"$STATE/prometheus.log" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  local i
  for ((i = 0; i < 120; i++)); do
    ready && { log "prometheus ready at $ADDRESS"; return 0; }
    running_pid >/dev/null || break
    sleep 0.25
  done
  tail -n 20 "$STATE/prometheus.log" >&2 || true
  die_msg "prometheus did not become ready"
}

die_msg() { printf 'prometheus.sh: %s\n' "$*" >&2; exit 1; }

cmd_stop() {
  local pid i
  pid=$(running_pid) || { rm -f "$PID_FILE"; return 0; }
  kill "$pid"
  for ((i = 0; i < 80; i++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; return 0; }
    sleep 0.25
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
}

cmd_add_target() {
  local job=$1 version=$2 target=$3
  [[ $job =~ ^[a-z0-9][a-z0-9.-]*$ && $version =~ ^[a-z0-9][a-z0-9.-]*$ ]] || die_msg "bad job or version name"
  [[ $target =~ ^127\.0\.0\.1:[0-9]+$ ]] || die_msg "targets are loopback host:port only: $target"
  mkdir -p "$STATE/targets"
  local file="$STATE/targets/${job}-${version}-${target//[:.]/_}.json"
  printf '[{"targets":["%s"],"labels":{"job":"%s","version":"%s"}}]\n' "$target" "$job" "$version" >"$file.tmp"
  mv "$file.tmp" "$file"
}

case ${1:-start} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) ready ;;
  add-target) shift; cmd_add_target "$@" ;;
  address) printf '%s\n' "$ADDRESS" ;;
  *) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac
