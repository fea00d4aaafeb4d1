#!/usr/bin/env bash
# Finds a ClickHouse server for the event-store tests, or installs and starts one, and says which.
# Prints the server's URL on the last line of stdout (empty when none can be had: those tests then skip
# and say why); messages go to stderr.
#   1. $TOKEN_ROLLOUT_CLICKHOUSE_URL when a server answers there;
#   2. a server already answering on 127.0.0.1:18123;
#   3. Debian's clickhouse-server (installed with apt-get as root on Debian when missing), started on
#      127.0.0.1:18123 with its data in a temp folder; `--stop` stops the one this script started.
set -euo pipefail
say() { echo "[clickhouse] $*" >&2; }
PORT=18123
DIR="${TMPDIR:-/tmp}/token-rollout-clickhouse"
ping() { curl -fsS --max-time 2 "$1/ping" >/dev/null 2>&1; }

if [[ "${1:-}" == "--stop" ]]; then
  if [[ -f "$DIR/pid" ]]; then kill "$(cat "$DIR/pid")" 2>/dev/null || true; rm -f "$DIR/pid"; say "stopped"; fi
  exit 0
fi
if [[ -n "${TOKEN_ROLLOUT_CLICKHOUSE_URL:-}" ]] && ping "${TOKEN_ROLLOUT_CLICKHOUSE_URL%/*}"; then
  say "using \$TOKEN_ROLLOUT_CLICKHOUSE_URL"; echo "${TOKEN_ROLLOUT_CLICKHOUSE_URL}"; exit 0
fi
if ping "http://127.0.0.1:$PORT"; then
  say "found a server on 127.0.0.1:$PORT"; echo "http://127.0.0.1:$PORT"; exit 0
fi
if ! command -v clickhouse-server >/dev/null; then
  if [[ "$(id -u)" == "0" && -f /etc/debian_version ]] && command -v apt-get >/dev/null; then
    say "installing Debian's clickhouse-server (apt-get install clickhouse-server clickhouse-client)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq clickhouse-server clickhouse-client >&2
  else
    say "no clickhouse-server and not root on Debian: the ClickHouse store tests will be skipped"
    echo ""; exit 0
  fi
fi
mkdir -p "$DIR"
say "starting $(clickhouse-server --version 2>/dev/null | head -n 1) on 127.0.0.1:$PORT (data in $DIR)"
# setsid: the server outlives this script (the tests use it), and --stop ends it.
setsid clickhouse-server --config-file=/etc/clickhouse-server/config.xml -- --path="$DIR/" \
  --http_port=$PORT --tcp_port=19000 --listen_host=127.0.0.1 \
  --logger.log="$DIR/server.log" --logger.errorlog="$DIR/error.log" >"$DIR/stdout.log" 2>&1 < /dev/null &
echo $! > "$DIR/pid"
for _ in $(seq 1 60); do
  if ping "http://127.0.0.1:$PORT"; then say "ready"; echo "http://127.0.0.1:$PORT"; exit 0; fi
  sleep 0.5
done
say "the server did not answer within 30 s (see $DIR/error.log): the ClickHouse store tests will be skipped"
echo ""
