# Shared by the project's scripts: where things are, and installing Debian packages when missing.
# shellcheck shell=bash
TRAFFICCTL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TRAFFICCTL_ROOT

log() { printf '==> %s\n' "$*" >&2; }

# apt_install PKG...: installs the Debian packages that are missing (as root), else says what to run.
apt_install() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing Debian packages; install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    return 1
  fi
  log "installing ${missing[*]}"
  if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]]; then
    apt-get update -qq >&2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# require_build_tools: a JDK 17+ and Maven 3.8+.
require_build_tools() {
  command -v javac >/dev/null 2>&1 || apt_install openjdk-17-jdk-headless
  command -v mvn >/dev/null 2>&1 || apt_install maven
}

# maven ARGS...: Maven in batch mode, without download progress, and without the colour resets
# (ESC[0m) Maven 3.8's console library writes on exit even in batch mode.
maven() {
  MAVEN_OPTS="-Djansi.noreset=true ${MAVEN_OPTS:-}" mvn -B --no-transfer-progress "$@"
}

# build: packages the programs (the CLI, the worker, the demo service) and the modules they are
# made of, skipping tests. Not the container image: its module needs a base that
# scripts/base-image.sh builds, and the programs do not.
build() {
  require_build_tools
  log "building trafficctl"
  (cd "$TRAFFICCTL_ROOT" && maven -q package -DskipTests -pl cli,worker,demo-service -am)
}

# run_benchmark CLASS LABEL PATTERN [MAVEN_ARG...]: runs the e2e benchmark class CLASS (outside the
# test suite: its name does not end in Test) after building what it starts, and prints the lines of
# its report matching the extended regular expression PATTERN. LABEL names its log,
# e2e/target/LABEL.log. MAVEN_ARGs (e.g. -Dscale.n=50) reach the benchmark as system properties.
run_benchmark() {
  local class=$1 label=$2 pattern=$3
  shift 3
  # Always packaged: the benchmark starts bin/trafficctl-worker and the CLI from these jars, and
  # jars left by an older build would measure older code. Nothing is installed: -am below resolves
  # the sibling modules from this tree.
  build
  local report="e2e/target/surefire-reports/dev.trafficctl.e2e.$class-output.txt"
  mkdir -p e2e/target
  rm -f "$report"
  log "running $class (a few minutes)"
  # -am: the modules e2e builds on (test-fixtures among them) come from this tree, not from a
  # local repository an older install may have left without them; -Dtest runs no test of theirs.
  if ! maven test -Dspotless.check.skip=true -pl e2e -am -Dtest="$class" \
    -Dsurefire.failIfNoSpecifiedTests=false "$@" >"e2e/target/$label.log" 2>&1; then
    tail -n 60 "e2e/target/$label.log" >&2
    [[ -f $report ]] && grep -v '^\s*at ' "$report" | tail -n 40 >&2
    echo "$class failed; full log: e2e/target/$label.log" >&2
    return 1
  fi
  grep -E "$pattern" "$report"
}
