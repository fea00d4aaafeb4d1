#!/usr/bin/env bash
# Runs the product on a fresh machine: installs, builds, and serves it on localhost until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
npm run build
exec npx tsx scripts/serve-static.ts "$@"
