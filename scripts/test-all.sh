#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need (a JDK and Maven, Debian's nginx with
# its Lua module, prometheus, chromium and docker-compose, playwright-core, the Temporal CLI, the
# container image's base), then `mvn verify`. Tests start and stop their own servers on free
# loopback ports.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TRAFFICCTL_ROOT"

require_build_tools
apt_install nginx libnginx-mod-http-lua prometheus curl chromium docker-compose
# playwright-core for the Web UI browser test (it drives Debian's chromium, downloads no browser).
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
npm ci --prefix e2e/src/test/browser --no-fund --no-audit --loglevel=error
log "Temporal CLI: $(scripts/temporal-dev-server.sh cli --version)"
scripts/base-image.sh
log "running every test (mvn verify)"
maven verify "$@"
