#!/bin/sh
# Creates the namespace and registers trafficctl's search attributes (the `temporal-namespace`
# service runs it with temporalio/admin-tools once the server is healthy). Idempotent.
#
# Environment:
#   TEMPORAL_ADDRESS              the frontend, host:port
#   TEMPORAL_NAMESPACE            the namespace to create (default "default")
#   TEMPORAL_NAMESPACE_RETENTION  its retention (default 72h)
#   TRAFFICCTL_SEARCH_ATTRIBUTES  NAME=TYPE pairs separated by spaces: every search attribute
#                                 the workflows set (TrafficSearchAttributes in the workflows module)
set -eu

: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS is required}"
: "${TRAFFICCTL_SEARCH_ATTRIBUTES:?TRAFFICCTL_SEARCH_ATTRIBUTES is required}"
namespace=${TEMPORAL_NAMESPACE:-default}
retention=${TEMPORAL_NAMESPACE_RETENTION:-72h}

i=0
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do
  i=$((i + 1))
  [ "$i" -lt 60 ] || { echo "Temporal at $TEMPORAL_ADDRESS is not healthy" >&2; exit 1; }
  sleep 2
done

if temporal operator namespace describe --address "$TEMPORAL_ADDRESS" -n "$namespace" >/dev/null 2>&1; then
  echo "namespace $namespace exists"
else
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" -n "$namespace" --retention "$retention"
fi

# A namespace just created may take a moment to be usable by the next command: retry each.
existing=""
for pair in $TRAFFICCTL_SEARCH_ATTRIBUTES; do
  name=${pair%%=*}
  type=${pair#*=}
  i=0
  until existing=$(temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" -n "$namespace" 2>/dev/null); do
    i=$((i + 1))
    [ "$i" -lt 30 ] || { echo "cannot list search attributes of $namespace" >&2; exit 1; }
    sleep 2
  done
  if printf '%s\n' "$existing" | grep -Eq "^[[:space:]]*${name}[[:space:]]"; then
    echo "search attribute $name exists"
    continue
  fi
  i=0
  until temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" -n "$namespace" \
    --name "$name" --type "$type"; do
    i=$((i + 1))
    [ "$i" -lt 30 ] || { echo "cannot create search attribute $name ($type)" >&2; exit 1; }
    sleep 2
  done
done
echo "namespace $namespace and trafficctl's search attributes are ready"
