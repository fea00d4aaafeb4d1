#!/usr/bin/env bash
# Runs the product on a fresh machine: installs, builds the tokens, and starts on localhost the local
# LaunchDarkly-compatible flag server, the collector, the demo storefront and the dashboard, until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
npm run build:tokens
exec npx tsx apps/serve.ts "$@"
