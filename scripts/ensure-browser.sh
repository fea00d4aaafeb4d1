#!/usr/bin/env bash
# Finds a Chromium for Playwright, or installs one, and says which. Prints the path
# (empty for Playwright's own download) on the last line of stdout; messages go to stderr.
#   1. $CHROMIUM_PATH when it points at an executable;
#   2. an installed Chromium (Debian's /usr/bin/chromium, or chromium/chromium-browser on PATH);
#   3. as root on Debian: `apt-get install chromium` (Playwright's downloads are not reachable everywhere);
#   4. elsewhere: `npx playwright install chromium` (Playwright's own build).
set -euo pipefail
say() { echo "[browser] $*" >&2; }

if [[ -n "${CHROMIUM_PATH:-}" && -x "${CHROMIUM_PATH}" ]]; then
  say "using \$CHROMIUM_PATH=${CHROMIUM_PATH}"; echo "${CHROMIUM_PATH}"; exit 0
fi
for candidate in /usr/bin/chromium "$(command -v chromium 2>/dev/null || true)" "$(command -v chromium-browser 2>/dev/null || true)"; do
  if [[ -n "$candidate" && -x "$candidate" ]]; then
    say "found installed Chromium: $candidate ($("$candidate" --version 2>/dev/null || echo 'version unknown'))"
    echo "$candidate"; exit 0
  fi
done
if [[ "$(id -u)" == "0" && -f /etc/debian_version ]] && command -v apt-get >/dev/null; then
  say "no Chromium found; installing Debian's package (apt-get install chromium)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium fonts-liberation fonts-dejavu-core >&2
  say "installed $(/usr/bin/chromium --version 2>/dev/null)"
  echo /usr/bin/chromium; exit 0
fi
say "no Chromium found and not root on Debian; downloading Playwright's Chromium (npx playwright install chromium)"
npx --no-install playwright install chromium >&2
say "installed Playwright's Chromium"
echo ""
