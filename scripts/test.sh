#!/usr/bin/env bash
# The one command that runs every test on a fresh machine: install, browser, build,
# ClickHouse, lint, type check, package shape, unit tests, Chromium e2e tests.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "install (npm ci)"
if [[ -n "${CI:-}" || ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
else
  echo "node_modules is up to date with package-lock.json; skipping npm ci (CI always runs it)"
fi

step "browser"
CHROMIUM_PATH="$(bash scripts/ensure-browser.sh | tail -n 1)"
export CHROMIUM_PATH

step "ClickHouse (for the event-store tests)"
TOKEN_ROLLOUT_CLICKHOUSE_URL="$(bash scripts/ensure-clickhouse.sh | tail -n 1)"
export TOKEN_ROLLOUT_CLICKHOUSE_URL

step "build (tokens + library)"
npm run build

step "lint + format (biome)"
npm run lint

step "type check (tsc)"
npm run typecheck

step "published shape (publint + attw)"
npm run check:package

step "unit tests (vitest)"
npm run test:unit

step "e2e tests (Playwright, Chromium)"
npm run test:e2e
