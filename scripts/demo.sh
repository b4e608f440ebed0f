#!/usr/bin/env bash
# The demo: builds trafficctl and validates the example documents (the spec's own and the catalog).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TRAFFICCTL_ROOT"

build
log "validating the example documents"
bin/trafficctl validate examples/trafficctl.yaml config/src/test/resources/spec/*.yaml
