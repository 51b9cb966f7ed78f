#!/usr/bin/env bash
# Bounded soak (issue 10 point 3): starts the Release server on a fresh database and drives it
# with bench/soak.mjs: 500 concurrent connections (mixed reads and writes, slowloris clients,
# clients that vanish mid-response) for SOAK_SECONDS (default 300). Prints health p99, RSS and
# open descriptors over time, and errors; exits non-zero when a target is missed.
#   make soak                      (builds the Release server first)
#   SOAK_SECONDS=60 SOAK_CONNECTIONS=500 bench/soak.sh
#   GLUCOPLAY_BIN=... bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${GLUCOPLAY_BIN:-build/release/server/glucoplay}"
seconds="${SOAK_SECONDS:-300}"
connections="${SOAK_CONNECTIONS:-500}"
[ -x "$bin" ] || { echo "soak: $bin is not built (run make build)" >&2; exit 1; }
dir=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"; wait "$server_pid" || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
# Each client connection is a descriptor in this process too.
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"

port="${SOAK_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
"$bin" serve --port "$port" --web-port 0 --data-dir "$dir" --web-root "$dir/web" \
  --rate-limit off --auth-rate-limit off --login-rate-limit off --log-level warn \
  >"$dir/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$dir/server.log"; exit 1; }
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null || { echo "soak: server did not start"; cat "$dir/server.log"; exit 1; }
echo "soak: server pid $server_pid on port $port; $connections connections for ${seconds}s"
status=0
node bench/soak.mjs --port "$port" --pid "$server_pid" --seconds "$seconds" \
  --connections "$connections" --out "${SOAK_OUT:-/dev/null}" || status=$?
if grep -E "level=(error|critical)" "$dir/server.log" | head -5; then
  echo "soak: the server logged errors" >&2
  status=1
fi
exit $status
