#!/bin/sh
# Creates or upgrades Temporal's two PostgreSQL databases (the `temporal-schema` service runs it
# with temporalio/admin-tools, before the server starts). Idempotent: on a database that exists,
# `create` and `setup-schema` report that and `update-schema` brings it to this release's version.
#
# Environment: POSTGRES_SEEDS (host), DB_PORT (5432), POSTGRES_USER, SQL_PASSWORD (the password),
# DBNAME (temporal), VISIBILITY_DBNAME (temporal_visibility).
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD is required}"
port=${DB_PORT:-5432}
schema=/etc/temporal/schema/postgresql/v12

i=0
until nc -z -w 5 "$POSTGRES_SEEDS" "$port"; do
  i=$((i + 1))
  [ "$i" -lt 60 ] || { echo "PostgreSQL at $POSTGRES_SEEDS:$port did not answer" >&2; exit 1; }
  sleep 2
done

sql() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$port" -u "$POSTGRES_USER" "$@"
}

for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  db=${pair%%:*}
  dir=$schema/${pair#*:}/versioned
  echo "schema of $db"
  # Fail only on update-schema: create and setup-schema also fail when the database or its
  # schema exist already, and update-schema fails whenever either is really missing.
  sql --db "$db" create || echo "($db exists)"
  sql --db "$db" setup-schema -v 0.0 || echo "($db has a schema)"
  sql --db "$db" update-schema -d "$dir"
done
echo "Temporal's schemas are ready"
