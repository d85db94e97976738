#!/usr/bin/env bash
# Quick start: install, build, and migrate the sample project on a local
# SQLite file, then show `history` and `current`.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pnpm >/dev/null 2>&1; then
  echo "Installing pnpm 10 (npm install -g pnpm@10) ..."
  npm install -g pnpm@10 >/dev/null
fi
pnpm install --frozen-lockfile
pnpm run build
pnpm run demo
