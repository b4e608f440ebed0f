#!/usr/bin/env bash
# Runs the whole test suite: installs and starts what the tests need, then `mvn verify`.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TRAFFICCTL_ROOT"

require_build_tools
log "running every test (mvn verify)"
mvn -B verify "$@"
