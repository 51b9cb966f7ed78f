#!/usr/bin/env bash
# make test-deploy: the production layout on loopback. Two `glucoplay serve` instances sharing one
# database behind nginx, which runs deploy/nginx/glucoplay.conf (the committed file, rendered with
# envsubst exactly as the nginx image does) with a self-signed certificate linked by the web image's
# own bootstrap script. Checks the HTTP->HTTPS redirect and the ACME path, TLS versions, the UI and
# its cache headers, an API round trip, nginx's JSON 413, that requests are spread over both
# instances with one request id end to end, that SIGKILLing one instance under read and write load
# loses no acknowledged write and fails no read while the other keeps serving, that a leaderboard
# stream on instance A sees a score posted through instance B (PostgreSQL LISTEN/NOTIFY), a
# leaderboard event stream through nginx, nginx's sign-in rate limit, its JSON 502 when no instance
# is left, and backup -> wipe -> restore. Everything lives in a temp dir and is stopped on exit.
# About 10-20 s.
#
# Environment:
#   GLUCOPLAY_BIN          the server binary (default build/test/server/glucoplay, what `make test` builds)
#   DEPLOY_TEST_WEB_ROOT   the built UI (default web/dist)
#   DEPLOY_TEST_DATABASE   where both instances keep their data:
#                          cluster   a new database on the PostgreSQL server named by
#                                    GLUCOPLAY_TEST_POSTGRES, i.e. inside `scripts/pg-test-cluster run`
#                                    (what `make test-deploy` does: the layout docker-compose.yml ships);
#                          postgres://...  an empty, throwaway database (the event checks need free
#                                    places on the leaderboard);
#                          unset     one SQLite file (WAL) shared by both, which works on one machine
#                                    (`make test-deploy DEPLOY_DB=sqlite`). Live events stay in each
#                                    process there, so the A/B stream check is skipped.
#   DEPLOY_TEST_KEEP=1     keep the temp dir (logs, rendered config) for debugging
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
started=$(date +%s)

bin=$(realpath -m "${GLUCOPLAY_BIN:-build/test/server/glucoplay}")
web_root=$(realpath -m "${DEPLOY_TEST_WEB_ROOT:-web/dist}")
database_url=${DEPLOY_TEST_DATABASE:-}
host=glucoplay.test

say() { echo "deploy-test: $*"; }
die() {
  echo "deploy-test: FAIL: $*" >&2
  exit 1
}
expect_eq() { [ "$1" = "$2" ] || die "$3: expected '$2', got '$1'"; }
# Prints one response header's value (last occurrence), from a curl -D dump.
header() { tr -d '\r' <"$1" | sed -n "s/^$2: //Ip" | tail -n 1; }

[ -x "$bin" ] || die "$bin is not built (make server-test, or set GLUCOPLAY_BIN)"
[ -f "$web_root/index.html" ] || die "$web_root/index.html is missing (make web)"
for tool in nginx openssl curl envsubst node python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed (scripts/install-deps --deploy)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/glucoplay-deploy.XXXXXX")
# nginx's workers run as nobody when the master is root: everything they read lives in here.
chmod 755 "$tmp"
instance_pids=()
nginx_pid=""

cleanup() {
  local status=$?
  set +e
  trap '' PIPE # a closed stdout (| head) must not stop the clean-up
  # nginx first (its keep-alive connections to the instances close with it), then the instances.
  if [ -n "$nginx_pid" ]; then
    kill -QUIT "$nginx_pid" 2>/dev/null
    wait "$nginx_pid" 2>/dev/null
  fi
  for pid in "${instance_pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${instance_pids[@]}"; do
    for _ in $(seq 1 150); do gone "$pid" && break; sleep 0.1; done
    gone "$pid" || kill -KILL "$pid" 2>/dev/null
  done
  if [ "$status" -ne 0 ]; then
    echo "deploy-test: logs (last lines of each):" >&2
    for f in "$tmp"/logs/*; do
      [ -f "$f" ] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }
    done
  fi
  if [ "${DEPLOY_TEST_KEEP:-}" = 1 ]; then
    echo "deploy-test: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# True once a process has exited.
gone() { ! kill -0 "$1" 2>/dev/null; }

# Waits until a command succeeds, polling every 0.1 s, up to $1 seconds.
wait_until() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$(($(date +%s%N) + seconds * 1000000000))
  until "$@" >/dev/null; do
    [ "$(date +%s%N)" -lt "$deadline" ] || die "$what: not within ${seconds}s"
    sleep 0.1
  done
}

mkdir -p "$tmp"/{logs,tls,data,nginx/site,www/acme/.well-known/acme-challenge}

# ---- Certificate: self-signed, for the test host name only ----
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj "/CN=$host" -addext "subjectAltName=DNS:$host" \
  -keyout "$tmp/tls/key.pem" -out "$tmp/tls/cert.pem" 2>"$tmp/logs/openssl.log"

# ---- The web image's certificate bootstrap (deploy/nginx/docker-entrypoint.d/15-glucoplay-tls.sh):
#      a self-signed stand-in before Certbot's first certificate, Certbot's once it exists. nginx
#      below reads the certificate through the links it makes, as in the image. ----
tls_boot() {
  NGX_DOMAIN=$host TLS_DIR="$tmp/tls/nginx" LE_LIVE_ROOT="$tmp/tls/live" TLS_RELOAD_EVERY=off \
    deploy/nginx/docker-entrypoint.d/15-glucoplay-tls.sh >>"$tmp/logs/tls-boot.log" 2>&1
}
tls_boot
expect_eq "$(readlink "$tmp/tls/nginx/fullchain.pem")" "$tmp/tls/nginx/selfsigned.pem" "stand-in certificate link"
openssl x509 -noout -subject -in "$tmp/tls/nginx/fullchain.pem" | grep -q "CN *= *$host" ||
  die "the stand-in certificate does not name $host"
mkdir -p "$tmp/tls/live/$host"
cp "$tmp/tls/cert.pem" "$tmp/tls/live/$host/fullchain.pem"
cp "$tmp/tls/key.pem" "$tmp/tls/live/$host/privkey.pem"
tls_boot
expect_eq "$(readlink "$tmp/tls/nginx/fullchain.pem")" "$tmp/tls/live/$host/fullchain.pem" "Certbot certificate link"
expect_eq "$(readlink "$tmp/tls/nginx/privkey.pem")" "$tmp/tls/live/$host/privkey.pem" "Certbot key link"
say "ok: certificate bootstrap: self-signed stand-in first, Certbot's certificate once issued"

# ---- Two API instances on one database ----
if [ "$database_url" = cluster ]; then
  [ -n "${GLUCOPLAY_TEST_POSTGRES:-}" ] ||
    die "DEPLOY_TEST_DATABASE=cluster runs inside scripts/pg-test-cluster run (GLUCOPLAY_TEST_POSTGRES)"
  db_name="glucoplay_deploy_$$"
  psql "$GLUCOPLAY_TEST_POSTGRES" -qc "CREATE DATABASE $db_name" >"$tmp/logs/createdb.log" 2>&1 ||
    die "CREATE DATABASE: $(cat "$tmp/logs/createdb.log")"
  database_url="${GLUCOPLAY_TEST_POSTGRES%/*}/$db_name" # the cluster is deleted afterwards
fi
say "database: ${database_url:-SQLite file $tmp/data/glucoplay.db}"
# The schema first, through the same script the image and `make db` use.
GLUCOPLAY_BIN="$bin" scripts/db_init --data-dir "$tmp/data" --env-file "$repo/deploy/.env.example" \
  ${database_url:+--database "$database_url"} >"$tmp/logs/db_init.log" 2>&1 ||
  die "scripts/db_init failed: $(tail -n 5 "$tmp/logs/db_init.log")"
jwt_secret=$(openssl rand -hex 32)

# Starts one instance in the background. Its .env is deploy/.env.example, so the server's own parser
# validates every value in it; flags and the environment set what this test needs on top.
start_instance() {
  local name=$1
  (
    cd "$tmp"
    # Only what this test sets: drop any GLUCOPLAY_* from the caller's environment.
    for v in $(compgen -e | grep '^GLUCOPLAY_' || true); do unset "$v"; done
    export GLUCOPLAY_ENV=production GLUCOPLAY_JWT_SECRET="$jwt_secret"
    exec "$bin" serve --bind 127.0.0.1 --port 0 --web-port 0 --data-dir "$tmp/data" \
      ${database_url:+--database "$database_url"} --env-file "$repo/deploy/.env.example" \
      --trusted-proxies 127.0.0.1 --public-api-url same-origin \
      --web-root "$web_root" --cors-origin "https://$host" --threads 2 --db-pool-size 4 --sse-heartbeat 5s \
      --auth-rate-limit 100000/60s --rate-limit 100000/60s
  ) >"$tmp/logs/$name.log" 2>&1 &
  instance_pids+=($!)
  disown $! # no "Killed" job notices; gone() below waits for them instead
}
api_port_of() {
  sed -n 's|.*API listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$tmp/logs/$1.log" | head -n 1
}
start_instance api_a
start_instance api_b
pid_a=${instance_pids[0]}
# Listening yet? An instance that exited (e.g. a bad value in .env.example) fails the test at once.
listening() {
  grep -q "API listening on" "$tmp/logs/$1.log" && return 0
  gone "$2" && die "$1 exited: $(tail -n 3 "$tmp/logs/$1.log")"
  return 1
}
wait_until 30 "api_a listening" listening api_a "${instance_pids[0]}"
wait_until 30 "api_b listening" listening api_b "${instance_pids[1]}"
port_a=$(api_port_of api_a)
port_b=$(api_port_of api_b)
say "instances: A on 127.0.0.1:$port_a (pid $pid_a), B on 127.0.0.1:$port_b"

# ---- nginx: the committed site config, rendered for loopback ----
read -r http_port https_port < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
cp -r "$web_root" "$tmp/www/ui"
cp -r deploy/nginx/errors "$tmp/www/errors"
printf "acme-token-%s" "$$" >"$tmp/www/acme/.well-known/acme-challenge/token-$$"

export NGX_DOMAIN=$host NGX_PUBLIC_ORIGIN="https://$host:$https_port" \
  NGX_HTTP_PORT=$http_port NGX_HTTPS_PORT=$https_port \
  NGX_API_1="127.0.0.1:$port_a" NGX_API_2="127.0.0.1:$port_b" \
  NGX_WEB_ROOT="$tmp/www/ui" NGX_ERROR_ROOT="$tmp/www/errors" NGX_ACME_ROOT="$tmp/www/acme" \
  NGX_TLS_CERT="$tmp/tls/nginx/fullchain.pem" NGX_TLS_KEY="$tmp/tls/nginx/privkey.pem"
# Like the image's 20-envsubst-on-templates.sh: only the NGX_ variables are substituted.
envsubst "$(compgen -e | grep '^NGX_' | sed 's/.*/${&}/' | tr '\n' ' ')" \
  <deploy/nginx/glucoplay.conf >"$tmp/nginx/site/glucoplay.conf"
if grep -n '\${NGX_[A-Z]' "$tmp/nginx/site/glucoplay.conf"; then die "placeholders left unrendered (above)"; fi

# The main file mirrors the nginx image's /etc/nginx/nginx.conf: the site file sits inside http {}.
{
  [ "$(id -u)" = 0 ] && echo "user nobody nogroup;"
  cat <<EOF
worker_processes 1;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/logs/nginx-error.log info;
events { worker_connections 512; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    keepalive_timeout 65;
    include $tmp/nginx/site/glucoplay.conf;
}
EOF
} >"$tmp/nginx/nginx.conf"
nginx -t -q -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/logs/nginx-error.log" ||
  die "nginx -t: $(tail -n 5 "$tmp/logs/nginx-error.log")"
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/logs/nginx-error.log" \
  >>"$tmp/logs/nginx-access.log" 2>&1 &
nginx_pid=$!

tls=(--silent --show-error --cacert "$tmp/tls/cert.pem" --resolve "$host:$https_port:127.0.0.1")
https_base="https://$host:$https_port"
http_base="http://$host:$http_port"
plain=(--silent --show-error --resolve "$host:$http_port:127.0.0.1")
nginx_up() { curl "${tls[@]}" --fail -o /dev/null "$https_base/config.json" 2>/dev/null; }
wait_until 20 "nginx answering over HTTPS" nginx_up
say "nginx: http $http_port, https $https_port"


# ---- 1. HTTP -> HTTPS, except Certbot's challenge path ----
out=$(curl "${plain[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' "$http_base/leaderboards?game=racing")
expect_eq "$out" "301 $https_base/leaderboards?game=racing" "HTTP redirect"
out=$(curl "${plain[@]}" -w ' %{http_code}' "$http_base/.well-known/acme-challenge/token-$$")
expect_eq "$out" "acme-token-$$ 200" "ACME challenge over plain HTTP"
say "ok: HTTP redirects to HTTPS; /.well-known/acme-challenge/ is served over HTTP"

# ---- 2. HTTPS with the self-signed certificate; the UI and its caching ----
curl "${tls[@]}" --fail -D "$tmp/h_index" -o "$tmp/index.html" "$https_base/"
cmp -s "$tmp/index.html" "$web_root/index.html" || die "/ is not web/dist/index.html"
expect_eq "$(header "$tmp/h_index" Cache-Control)" "no-cache" "index.html Cache-Control"
hsts=$(header "$tmp/h_index" Strict-Transport-Security)
[[ "$hsts" == max-age=* ]] || die "no HSTS header on HTTPS (got '$hsts')"
[[ "$(header "$tmp/h_index" Content-Security-Policy)" == *"default-src 'self'"* ]] || die "UI has no CSP"
# A pretty URL is its page; the runtime config says "same origin".
curl "${tls[@]}" --fail -o "$tmp/racing.html" "$https_base/racing"
cmp -s "$tmp/racing.html" "$web_root/racing.html" || die "/racing is not racing.html"
expect_eq "$(curl "${tls[@]}" --fail "$https_base/config.json")" '{"api_base":""}' "/config.json"
# A content-hashed asset: a year, immutable, and gzip when asked.
asset=$(grep -o 'assets/[^"]*\.js' "$web_root/index.html" | head -n 1)
[ -n "$asset" ] || die "no hashed script in index.html"
curl "${tls[@]}" --fail -H 'Accept-Encoding: gzip' -D "$tmp/h_asset" -o /dev/null "$https_base/$asset"
expect_eq "$(header "$tmp/h_asset" Cache-Control)" "public, max-age=31536000, immutable" "$asset Cache-Control"
expect_eq "$(header "$tmp/h_asset" Content-Encoding)" "gzip" "$asset Content-Encoding"
expect_eq "$(curl "${tls[@]}" -o /dev/null -w '%{http_code}' "$https_base/assets/missing-0000.js")" 404 \
  "a missing asset"
# The Prometheus endpoint stays private: /metrics is a UI path here, not proxied.
curl "${tls[@]}" "$https_base/metrics" | grep -q glucoplay_http_requests_total &&
  die "/metrics must not be reachable through nginx"
# TLS 1.2 and 1.3 are accepted, TLS 1.1 refused (the client is allowed to offer it here).
handshake() {
  openssl s_client -brief -connect "127.0.0.1:$https_port" -servername "$host" \
    -CAfile "$tmp/tls/cert.pem" "$@" </dev/null >"$tmp/s_client.log" 2>&1
  grep -q '^Protocol version: TLSv1' "$tmp/s_client.log"
}
handshake -tls1_3 || die "TLS 1.3 refused"
handshake -tls1_2 || die "TLS 1.2 refused"
handshake -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' && die "TLS 1.1 accepted"
say "ok: HTTPS (self-signed CA), HSTS, index no-cache, $asset immutable+gzip, TLS 1.1 refused"

# ---- 3. The API through nginx ----
export GP_HOST=$host GP_HTTPS_PORT=$https_port GP_CA="$tmp/tls/cert.pem"
export GP_API_A="http://127.0.0.1:$port_a" GP_API_B="http://127.0.0.1:$port_b"
node deploy/tests/deploy_checks.mjs roundtrip

# A body over nginx's limit gets the API's error shape from nginx itself.
head -c $((22 * 1024 * 1024)) /dev/zero >"$tmp/big.json"
out=$(curl "${tls[@]}" -o "$tmp/b_413" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary "@$tmp/big.json" "$https_base/api/pin_dexcom/import")
expect_eq "$out" 413 "a 22 MiB body"
grep -q '"error":{"code":"payload_too_large"' "$tmp/b_413" || die "413 body: $(cat "$tmp/b_413")"
rm -f "$tmp/big.json"
say "ok: a 22 MiB body -> 413 payload_too_large from nginx"

# ---- 4. Requests are spread over both instances (and carry X-Request-Id) ----
for i in $(seq 1 20); do
  curl "${tls[@]}" --fail -o /dev/null -H "X-Request-Id: spread-$$-$i" "$https_base/api/health"
done
count_in() { grep -c "request_id=spread-$$-" "$tmp/logs/$1.log" || true; }
both_logged() { [ $(($(count_in api_a) + $(count_in api_b))) -eq 20 ]; }
wait_until 10 "20 access lines in the instances' logs" both_logged
a=$(count_in api_a)
b=$(count_in api_b)
{ [ "$a" -ge 5 ] && [ "$b" -ge 5 ]; } || die "requests not spread: A served $a, B served $b of 20"
say "ok: 20 requests through nginx: A served $a, B served $b (X-Request-Id reached both logs)"
# Without a caller's id, nginx makes one: the API answers with it, and both logs carry it.
curl "${tls[@]}" --fail -D "$tmp/h_rid" -o /dev/null "$https_base/api/health"
rid=$(header "$tmp/h_rid" X-Request-Id)
[[ "$rid" =~ ^[0-9a-f]{32}$ ]] || die "X-Request-Id from nginx: '$rid'"
rid_logged() {
  grep -q "\"request_id\":\"$rid\"" "$tmp/logs/nginx-access.log" &&
    cat "$tmp/logs/api_a.log" "$tmp/logs/api_b.log" | grep -q "request_id=$rid "
}
wait_until 10 "request id $rid in nginx's and the API's logs" rid_logged
say "ok: nginx's request id $rid is in its access log, the API's log and the response"

# ---- 5. Cross-instance events: a stream on A sees a score posted through B (PostgreSQL
#         LISTEN/NOTIFY; with SQLite, events stay in each process) ----
if [[ "$database_url" == postgres* ]]; then
  node deploy/tests/deploy_checks.mjs sse-cross
  forwarded=$(curl --silent --fail "http://127.0.0.1:$port_b/metrics" | sed -n 's/^glucoplay_events_forwarded_total //p')
  received=$(curl --silent --fail "http://127.0.0.1:$port_a/metrics" | sed -n 's/^glucoplay_events_received_total //p')
  [ "${forwarded:-0}" -ge 1 ] && [ "${received:-0}" -ge 1 ] ||
    die "events metrics: B forwarded '${forwarded}', A received '${received}'"
  say "ok: A/B events: B forwarded $forwarded, A received $received"
else
  say "skip: stream on A / score via B needs PostgreSQL (DEPLOY_TEST_DATABASE); SQLite keeps events per process"
fi

# ---- 6. SIGKILL instance A under write load ----
GP_KILL_PID=$pid_a node deploy/tests/deploy_checks.mjs kill-under-load
wait_until 5 "instance A gone" gone "$pid_a"
instance_pids=("${instance_pids[@]:1}")

# ---- 7. An event stream through nginx (only B is left: stream and score meet on one instance, so
#         this holds on SQLite too) ----
node deploy/tests/deploy_checks.mjs sse

# ---- 8. nginx's sign-in rate limit answers 429 in the API's error shape ----
mkdir -p "$tmp/rl"
codes=$(for i in $(seq 1 60); do
  curl "${tls[@]}" -o "$tmp/rl/$i" -w '%{http_code}\n' -H 'Content-Type: application/json' \
    -d '{}' "$https_base/api/auth/login"
done)
[ "$(head -n 1 <<<"$codes")" = 400 ] || die "first sign-in attempt should reach the API (400), got $(head -n 1 <<<"$codes")"
first_429=$(grep -n '^429$' <<<"$codes" | head -n 1 | cut -d: -f1)
[ -n "$first_429" ] || die "60 rapid sign-in attempts were never limited"
limited=$(grep -c '^429$' <<<"$codes")
grep -q '"code":"rate_limited"' "$tmp/rl/$first_429" || die "nginx 429 body: $(cat "$tmp/rl/$first_429")"
say "ok: 60 rapid sign-in attempts: $limited answered 429 rate_limited by nginx"

# ---- 9. With no instance left, /api answers nginx's JSON 502 ----
kill -KILL "${instance_pids[0]}"
wait_until 5 "instance B gone" gone "${instance_pids[0]}"
instance_pids=()
curl "${tls[@]}" -D "$tmp/h_502" -o "$tmp/b_502" "$https_base/api/health"
grep -q '^HTTP/[0-9.]* 502' "$tmp/h_502" || die "no 502 with every instance down: $(head -n 1 "$tmp/h_502")"
grep -q '"error":{"code":"bad_gateway"' "$tmp/b_502" || die "502 body: $(cat "$tmp/b_502")"
[[ "$(header "$tmp/h_502" Content-Type)" == application/json* ]] || die "502 is not JSON"
say "ok: every instance down -> 502 {\"error\":{\"code\":\"bad_gateway\",...}}"

# ---- 10. Backup -> wipe -> restore, with every row of every table back ----
# Row counts per table, through the database's own client.
table_counts() {
  if [[ "$database_url" == postgres* ]]; then
    psql "$database_url" -Atc "SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' ORDER BY 1" | while read -r t; do
      echo "$t $(psql "$database_url" -Atc "SELECT COUNT(*) FROM \"$t\"")"
    done
  else
    local db="$tmp/data/glucoplay.db"
    sqlite3 "$db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
      ORDER BY 1" | while read -r t; do echo "$t $(sqlite3 "$db" "SELECT COUNT(*) FROM \"$t\"")"; done
  fi
}
wipe_users() { # every account and, by ON DELETE CASCADE, everything it owned
  if [[ "$database_url" == postgres* ]]; then
    psql "$database_url" -qc "DELETE FROM users"
  else
    sqlite3 "$tmp/data/glucoplay.db" "PRAGMA foreign_keys = ON; DELETE FROM users;"
  fi
}
cli() { "$bin" "$@" --data-dir "$tmp/data" ${database_url:+--database "$database_url"}; }
before=$(table_counts)
grep -q '^users [1-9]' <<<"$before" || die "no accounts to back up: $before"
cli backup --to "$tmp/backups" >"$tmp/logs/backup.log" 2>&1 ||
  die "glucoplay backup failed: $(tail -n 5 "$tmp/logs/backup.log")"
backup_file=$(sed -n 's/.*"file":"\([^"]*\)".*/\1/p' "$tmp/logs/backup.log" | tail -n 1)
[ -f "$backup_file" ] && [ -f "$backup_file.sha256" ] ||
  die "no backup file and checksum: $(cat "$tmp/logs/backup.log")"
wipe_users
grep -q '^users 0$' <<<"$(table_counts)" || die "the wipe left accounts behind"
cli restore "$backup_file" >"$tmp/logs/restore.log" 2>&1 ||
  die "glucoplay restore failed: $(tail -n 5 "$tmp/logs/restore.log")"
expect_eq "$(table_counts)" "$before" "row counts after backup -> wipe -> restore"
say "ok: backup -> wipe -> restore: all $(awk '{s += $2} END {print s}' <<<"$before") rows of $(wc -l <<<"$before") tables back"

# A sanitizer build (CI) reports memory errors and undefined behaviour in the instances' logs.
if grep -E 'ERROR: AddressSanitizer|runtime error:' "$tmp"/logs/api_*.log; then
  die "sanitizer reports in the instances' logs (above)"
fi

say "passed in $(($(date +%s) - started)) s"
