#!/usr/bin/env bash
# Runs every test: unit, CLI, and the integration suite on SQLite,
# PostgreSQL and MySQL/MariaDB. The suite takes its servers from
# RETORT_TEST_POSTGRES_URL and RETORT_TEST_MYSQL_URL; when one is unset and
# a server answers on 127.0.0.1:5432 (user postgres) or 127.0.0.1:3306
# (user root), this script points the suite at it. Otherwise the suite
# starts one with Testcontainers (Docker needed).
# A server the suite needs and cannot reach fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${RETORT_TEST_POSTGRES_URL:-}" ] && command -v pg_isready >/dev/null 2>&1 \
  && pg_isready -h 127.0.0.1 -p 5432 -U postgres >/dev/null 2>&1; then
  export RETORT_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:5432/postgres"
fi
if [ -z "${RETORT_TEST_MYSQL_URL:-}" ] && command -v mysqladmin >/dev/null 2>&1 \
  && mysqladmin -h 127.0.0.1 -P 3306 -u root ping >/dev/null 2>&1; then
  export RETORT_TEST_MYSQL_URL="mysql://root@127.0.0.1:3306/test"
fi
if [ ! -d node_modules ]; then
  pnpm install --frozen-lockfile
fi
exec pnpm test "$@"
