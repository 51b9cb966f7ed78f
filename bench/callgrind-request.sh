#!/usr/bin/env bash
# Instructions the server spends on one kind of request, counted by callgrind inside
# http::ApiDispatcher::dispatch (authentication, routing, the handler, the JSON text; not the
# socket work) and averaged over N requests: a figure that does not move with the machine's
# load, for before/after comparisons (issue 9, docs/performance.md).
#
#   bench/callgrind-request.sh KEPT_DIR E|F [N]
#
# KEPT_DIR is a data set kept by `BENCH_KEEP=1 bench/run.sh` (server/glucoplay.db, data/tokens.txt,
# data/jwt_secret). Its database is copied first, so a newer binary's migrations leave the kept
# one as it was. GLUCOPLAY_BIN picks the binary (default build/release/server/glucoplay).
# E: GET /api/pin_dexcom/trends over the last 90 days; F: GET /api/food_log/summary over a year;
# request k as CGM user (k mod 10) + 1, after two warm-up requests. The profile stays in
# $TMPDIR for callgrind_annotate when CALLGRIND_KEEP=1. Needs valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2; }
kept=$(realpath "$1") kind=$2 n=${3:-5}
bin=$(realpath "${GLUCOPLAY_BIN:-build/release/server/glucoplay}")
case $kind in
  E) path="/api/pin_dexcom/trends?from=$(date -u -d '89 days ago' +%F)&to=$(date -u +%F)" ;;
  F) path="/api/food_log/summary?from=$(date -u -d '364 days ago' +%F)&to=$(date -u +%F)" ;;
  *) echo "callgrind-request: E or F, not $kind" >&2; exit 2 ;;
esac
command -v valgrind >/dev/null || { echo "callgrind-request: valgrind is missing" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/glucoplay-callgrind.XXXXXX")
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  if [ "${CALLGRIND_KEEP:-0}" = 1 ]; then echo "callgrind-request: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
cp "$kept/server/glucoplay.db" "$work/"
export GLUCOPLAY_JWT_SECRET=$(cat "$kept/data/jwt_secret")
log="$work/server.log"
: > "$log"
valgrind --tool=callgrind --toggle-collect='glucoplay::http::ApiDispatcher::dispatch*' \
  --callgrind-out-file="$work/callgrind.out" "$bin" serve --port 0 --web-port 0 --bind 127.0.0.1 \
  --data-dir "$work" --database "sqlite:$work/glucoplay.db" --rate-limit off --log-level info \
  --web-root "$work" > "$log" 2>&1 &
pid=$!
until grep -q "API listening on" "$log"; do
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.2
done
api="http://$(grep -o 'API listening on http://[^ ]*' "$log" | head -1 | sed 's|.*http://||')"
token() { sed -n "${1}p" "$kept/data/tokens.txt"; }
get() { curl -fsS -o /dev/null -H "Authorization: Bearer $(token "$1")" "$api$path"; }
get 1
get 2
callgrind_control -z "$pid" > /dev/null 2>&1
for k in $(seq 1 "$n"); do get $(( k % 10 + 1 )); done
callgrind_control -d "$pid" > /dev/null 2>&1
total=$(callgrind_annotate "$work/callgrind.out.1" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')
echo "$kind: $(( total / n )) instructions per request ($n requests, $(basename "$bin"))"
