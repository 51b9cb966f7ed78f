#!/usr/bin/env bash
# The GlucoPlay benchmark (issue 9). `make bench` builds Release and runs this; see
# docs/performance.md for what it measures and the latest table.
#
#   bench/run.sh [--quick] [--postgres] [--no-fps]
#
# Starts `glucoplay serve` on a fresh temporary SQLite database loaded with the data set (1 000 000
# racing scores from 50 000 players, 50 000 food-log entries, 90 days of 5-minute readings for 100
# users; --quick or QUICK=1: a tenth of it), then runs wrk against it, each scenario for a fixed
# time after a warm-up, and nginx serving a file of A's response size as the ceiling G. Prints
# one table. Exits 1 on any error or non-2xx response, on a wrong /api/scores/me answer for the
# seeded players, or (BENCH_STRICT=1) on a missed target.
#
# --postgres: the same on PostgreSQL 15, in a throwaway cluster (scripts/pg-test-cluster run:
# installed if missing, removed afterwards). The data set is loaded with the test cluster's
# settings (fsync off), then the cluster is restarted with the settings of a production database
# (postgres:15's defaults, as deploy/docker-compose.yml runs it: fsync, synchronous_commit and
# full_page_writes on, shared_buffers 128MB) and pinned to the server's CPU; the table's header
# line says what it ran with. C* (SQLite synchronous=FULL) does not apply and is marked so.
#
# Environment: GLUCOPLAY_BIN, BENCH_SEED_BIN (default build/release/...), BENCH_DURATION and
# BENCH_WARMUP (seconds), BENCH_CONNECTIONS (64; E and F: BENCH_EF_CONNECTIONS, 4),
# BENCH_SERVER_CPUS / BENCH_WRK_CPUS (taskset lists; default on 2+ cores: server and nginx on
# CPU 1, wrk on CPU 0), BENCH_SQLITE_SYNCHRONOUS (normal; full skips the extra C* row),
# BENCH_PG_SYNCHRONOUS_COMMIT (on) and BENCH_PG_SHARED_BUFFERS (128MB) for --postgres,
# BENCH_LOG_LEVEL (info), BENCH_KEEP=1 keeps the temporary directory, BENCH_STRICT=1,
# BENCH_ONLY=G,A,... runs only the scenarios listed (names as in the table; Cfull for C*, fps for
# the frame time).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

quick=${QUICK:-0}
postgres=0
fps=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --postgres) postgres=1 ;;
    --no-fps) fps=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "bench: unknown option $arg" >&2; exit 2 ;;
  esac
done
[ "$quick" = "" ] && quick=0

bin=$(realpath -m "${GLUCOPLAY_BIN:-build/release/server/glucoplay}")
seed_bin=$(realpath -m "${BENCH_SEED_BIN:-build/release/bench/glucoplay-bench-seed}")
for tool in wrk nginx taskset curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/install-deps --bench)" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "bench: $bin is not built (make bench builds it)" >&2; exit 1; }
[ -x "$seed_bin" ] || { echo "bench: $seed_bin is not built (make bench builds it)" >&2; exit 1; }

# --postgres: run this script again inside a throwaway cluster, which exports its URL as
# GLUCOPLAY_TEST_POSTGRES and its directory as PG_TEST_CLUSTER_DIR, and removes it when we exit.
if [ "$postgres" = 1 ] && [ "${BENCH_IN_PG_CLUSTER:-}" != 1 ]; then
  exec scripts/pg-test-cluster run env BENCH_IN_PG_CLUSTER=1 "$root/bench/run.sh" "$@"
fi
if [ "$postgres" = 1 ]; then
  pg_url=${GLUCOPLAY_TEST_POSTGRES:?}
  pg_dir=${PG_TEST_CLUSTER_DIR:?}
  psql_bin=$(command -v psql || compgen -G '/usr/lib/postgresql/*/bin/psql' | head -1 || true)
  [ -n "$psql_bin" ] || { echo "bench: psql is missing (postgresql-client)" >&2; exit 1; }
fi

if [ "$quick" != 0 ]; then
  players=5000 scores=100000 food=5000 cgm_users=10 token_users=1000
  duration=${BENCH_DURATION:-2} warmup=${BENCH_WARMUP:-1} fps_seconds=3
else
  players=50000 scores=1000000 food=50000 cgm_users=100 token_users=2000
  duration=${BENCH_DURATION:-15} warmup=${BENCH_WARMUP:-5} fps_seconds=10
fi
connections=${BENCH_CONNECTIONS:-64}
ef_connections=${BENCH_EF_CONNECTIONS:-4}
wrk_threads=2
# Fresh sessions for each wrk run of C and D: enough for 20 000 writes/s (4x the target).
sessions=$(( (duration > warmup ? duration : warmup) * 20000 ))

ncpu=$(nproc)
if [ "$ncpu" -ge 2 ]; then
  server_cpus=${BENCH_SERVER_CPUS:-1}
  wrk_cpus=${BENCH_WRK_CPUS:-0}
else
  server_cpus=${BENCH_SERVER_CPUS:-0}
  wrk_cpus=${BENCH_WRK_CPUS:-0}
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/glucoplay-bench.XXXXXX")
server_pid="" nginx_pid=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  sched_groups_undo
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench: kept $work" >&2; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- scheduling groups (--postgres) ------------------------------------------------------------
# With the kernel's autogroup scheduling (kernel.sched_autogroup_enabled, on in Debian's kernels)
# each session gets an equal share of a CPU, and every PostgreSQL backend starts a session of its
# own (setsid). On the one CPU the server shares with PostgreSQL, four busy backends then left the
# whole server a fifth of it: E and F, at 4 connections, had p99s of 250 ms to 1 s on PostgreSQL
# against under 25 ms in a run with the two groups below (docs/performance.md, "On PostgreSQL").
# docker-compose runs them in a container each, that is one CPU cgroup each with equal weight; the
# benchmark does the same where it may create cgroups (root, cgroup v1's cpu hierarchy or v2 with
# the cpu controller), and otherwise turns autogroup off for the run (put back on at exit). The
# table's header line says which.
sched_note="" sched_groups=() sched_home="" sched_autogroup_was=""
sched_cgroup_root() {  # prints the cpu hierarchy's mount point, or fails
  if [ -w /sys/fs/cgroup/cpu/cgroup.procs ] 2>/dev/null; then echo /sys/fs/cgroup/cpu
  elif [ -w /sys/fs/cgroup/cgroup.procs ] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
    grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control || echo +cpu > /sys/fs/cgroup/cgroup.subtree_control || return 1
    echo /sys/fs/cgroup
  else return 1; fi
}
sched_group() {  # name pid... : the processes (and what they fork later) into a CPU cgroup of their own
  local name=$1 root dir pid; shift
  if root=$(sched_cgroup_root 2>/dev/null) && dir="$root/glucoplay-bench-$$-$name" && mkdir -p "$dir" 2>/dev/null; then
    # Where this script runs: v1's cpu line of /proc/self/cgroup, or v2's single line.
    [ -n "$sched_home" ] || sched_home="$root$(awk -F: -v v1="$([ "$root" = /sys/fs/cgroup ] || echo 1)" \
      '(v1 && $2 ~ /(^|,)cpu(,|$)/) || (!v1 && $2 == "") {print $3; exit}' /proc/self/cgroup)"
    sched_groups+=("$dir")
    for pid in "$@"; do echo "$pid" > "$dir/cgroup.procs" 2>/dev/null || true; done
    sched_note="server and PostgreSQL in a CPU cgroup each"
  elif [ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null)" = 1 ] && [ -z "$sched_autogroup_was" ]; then
    if echo 0 > /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null; then
      sched_autogroup_was=1 sched_note="autogroup scheduling off for the run"
    else
      sched_note="autogroup scheduling on: each PostgreSQL backend is scheduled as a group of its own"
    fi
  fi
}
sched_groups_undo() {  # the processes still in our groups back where this script runs, then the groups removed
  local dir pid try
  for dir in "${sched_groups[@]}"; do
    # The backends of a server just stopped may still be exiting: a few tries.
    for try in $(seq 1 100); do
      for pid in $(cat "$dir/cgroup.procs" 2>/dev/null); do echo "$pid" > "$sched_home/cgroup.procs" 2>/dev/null || true; done
      rmdir "$dir" 2>/dev/null && break
      [ "$try" -lt 100 ] && sleep 0.02 || say "bench: could not remove the cgroup $dir"
    done
  done
  sched_groups=()
  [ -z "$sched_autogroup_was" ] || echo "$sched_autogroup_was" > /proc/sys/kernel/sched_autogroup_enabled
  sched_autogroup_was=""
}

export BENCH_DATA="$work/data" BENCH_LUA="$root/bench/wrk" BENCH_WRK_THREADS=$wrk_threads
export BENCH_CGM_USERS=$cgm_users
BENCH_TODAY=$(date -u +%F) BENCH_FROM_90D=$(date -u -d '89 days ago' +%F)
BENCH_FROM_1Y=$(date -u -d '364 days ago' +%F)
export BENCH_TODAY BENCH_FROM_90D BENCH_FROM_1Y
mkdir -p "$BENCH_DATA" "$work/server" "$work/nginx/root" "$work/nginx/tmp" "$work/results"
# nginx workers run as nobody: they may pass through $work and read nginx/root, nothing else.
chmod 711 "$work"
chmod 755 "$work/nginx" "$work/nginx/root"
chmod 700 "$work/server" "$BENCH_DATA" "$work/results"
# The server signs tokens with this; the seeder mints the benchmark users' tokens with it too.
GLUCOPLAY_JWT_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export GLUCOPLAY_JWT_SECRET
(umask 077; echo "$GLUCOPLAY_JWT_SECRET" > "$BENCH_DATA/jwt_secret")

say() { printf '%s\n' "$*" >&2; }
now_ms() { date +%s%3N; }

# ---- data set --------------------------------------------------------------------------------
if [ "$postgres" = 1 ]; then
  database=$pg_url
else
  db="$work/server/glucoplay.db"
  database="sqlite:$db"
fi
t0=$(now_ms)
"$bin" init-db --data-dir "$work/server" --database "$database" --log-level warn
"$seed_bin" seed --database "$database" --out "$BENCH_DATA" --players $players --scores $scores \
  --food-entries $food --cgm-users $cgm_users --token-users $token_users
say "bench: data set ($scores scores, $players players, $food food-log entries, $cgm_users CGM users x 90 days) loaded in $(( $(now_ms) - t0 )) ms"

# ---- PostgreSQL: production settings, pinned to the server's CPU ----------------------------
# The test cluster runs with fsync, synchronous_commit and full_page_writes off and 32 MB of
# shared buffers, which is fine for loading the data set but not what a deployment runs. ALTER
# SYSTEM (postgresql.auto.conf, read after postgresql.conf) restores postgres:15's defaults; the
# loaded files are synced before fsync goes back on (PostgreSQL's own advice when re-enabling it).
# Restarted under taskset, the postmaster and every backend it forks run on the server's CPU: the
# serving side (our server and its database, or nginx for G) gets one core as with SQLite, where
# the database engine runs inside the server process, and wrk keeps the other.
sqlite_sync=${BENCH_SQLITE_SYNCHRONOUS:-normal}
db_label="SQLite synchronous=${sqlite_sync^^}"
if [ "$postgres" = 1 ]; then
  t0=$(now_ms)
  pg_sql() { "$psql_bin" -X -q -A -t -v ON_ERROR_STOP=1 "$pg_url" "$@"; }
  pg_sql <<SQL
ALTER SYSTEM SET fsync = on;
ALTER SYSTEM SET full_page_writes = on;
ALTER SYSTEM SET synchronous_commit = '${BENCH_PG_SYNCHRONOUS_COMMIT:-on}';
ALTER SYSTEM SET shared_buffers = '${BENCH_PG_SHARED_BUFFERS:-128MB}';
ALTER SYSTEM SET max_connections = 100;
SQL
  scripts/pg-test-cluster server-stop
  sync -f "$pg_dir/data"
  taskset -c "$server_cpus" scripts/pg-test-cluster server-start
  pg_pid=$(head -1 "$pg_dir/data/postmaster.pid")
  # The postmaster and its processes (checkpointer, WAL writer, ...) all on the server's CPUs;
  # backends are forked from the postmaster later and inherit its affinity.
  # shellcheck disable=SC2016  # $$ is the inner shell's pid
  want_affinity=$(taskset -c "$server_cpus" sh -c 'taskset -cp $$' | sed 's/.*: //')
  for pid in "$pg_pid" $(ps --ppid "$pg_pid" -o pid=); do
    affinity=$(taskset -cp "$pid" 2>/dev/null | sed 's/.*: //') || continue
    [ "$affinity" = "$want_affinity" ] ||
      { say "bench: PostgreSQL process $pid runs on CPUs $affinity, not $want_affinity"; exit 1; }
  done
  pg_settings=$(pg_sql -F ' ' -c "SELECT split_part(current_setting('server_version'), ' ', 1), current_setting('fsync'),
    current_setting('synchronous_commit'), current_setting('full_page_writes'), current_setting('shared_buffers')")
  read -r pg_version pg_fsync pg_sync_commit pg_fpw pg_shared_buffers <<< "$pg_settings"
  sched_group postgres "$pg_pid" $(ps --ppid "$pg_pid" -o pid=)
  db_label="PostgreSQL $pg_version (fsync=$pg_fsync, synchronous_commit=$pg_sync_commit, full_page_writes=$pg_fpw, shared_buffers=$pg_shared_buffers; $sched_note)"
  say "bench: $db_label, restarted on CPUs $want_affinity in $(( $(now_ms) - t0 )) ms (postmaster pid $pg_pid)"
fi

# ---- server ----------------------------------------------------------------------------------
# Production settings except the per-address rate limit (every wrk connection comes from
# 127.0.0.1); access lines go to a file like any deployment's log. SQLite commits with
# synchronous=NORMAL (BENCH_SQLITE_SYNCHRONOUS): see docs/performance.md. C is measured again at
# the end with synchronous=FULL, the durable setting, as row C*. On PostgreSQL the same flags
# without the SQLite one.
sync=$sqlite_sync
start_server() {  # [sqlite synchronous]
  local log="$work/server/server.log" started deadline sync_level=${1:-$sync} db_flags
  if [ "$postgres" = 1 ]; then
    db_flags=(--database "$database")
  else
    db_flags=(--database "$database" --sqlite-synchronous "$sync_level")
  fi
  : > "$log"
  started=$(now_ms)
  deadline=$(( started + 60000 ))
  taskset -c "$server_cpus" "$bin" serve --port 0 --web-port 0 --bind 127.0.0.1 \
    --data-dir "$work/server" "${db_flags[@]}" --rate-limit off \
    --web-root "$work/nginx/root" --log-level "${BENCH_LOG_LEVEL:-info}" >> "$log" 2>&1 &
  server_pid=$!
  until grep -q "API listening on" "$log"; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; say "bench: the server exited"; exit 1; }
    [ "$(now_ms)" -lt "$deadline" ] || { say "bench: the server did not start in 60 s"; exit 1; }
    sleep 0.005
  done
  startup_ms=$(( $(now_ms) - started ))
  api="http://$(grep -o 'API listening on http://[^ ]*' "$log" | head -1 | sed 's|.*http://||')"
}
start_server
[ "$postgres" != 1 ] || sched_group server "$server_pid"
say "bench: server up in $startup_ms ms at $api (pid $server_pid, CPUs $server_cpus)"

# ---- the seeded data answers what it should ---------------------------------------------------
python3 "$root/bench/check_seed.py" "$api" "$BENCH_DATA"

# ---- G: nginx with a file of A's response size ------------------------------------------------
a_body="$work/nginx/root/a.json"
curl -fsS "$api/api/scores?game=racing" -o "$a_body"
a_bytes=$(stat -c %s "$a_body")
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -e "s|@ROOT@|$work/nginx|g" -e "s|@PORT@|$nginx_port|g" "$root/bench/nginx.conf.in" > "$work/nginx/nginx.conf"
taskset -c "$server_cpus" nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -e "$work/nginx/error.log" &
nginx_pid=$!
for _ in $(seq 1 500); do curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port/a.json" 2>/dev/null && break; sleep 0.01; done
curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port/a.json" || { say "bench: nginx did not start"; cat "$work/nginx/error.log" >&2; exit 1; }

# ---- scenarios ---------------------------------------------------------------------------------
metrics() { curl -fsS "$api/metrics" > "$1"; }
run_wrk() {  # name url script connections [writes]
  local name=$1 url=$2 script=$3 conns=$4 writes=${5:-}
  # Writers get fresh game sessions before the warm-up and again before the measured run.
  [ -z "$writes" ] || fresh_sessions
  taskset -c "$wrk_cpus" wrk -t$wrk_threads -c"$conns" -d"${warmup}s" -s "$BENCH_LUA/$script" "$url" > "$work/results/$name.warmup" 2>&1 \
    || { cat "$work/results/$name.warmup" >&2; say "bench: wrk failed in $name's warm-up"; exit 1; }
  [ -z "$writes" ] || fresh_sessions
  [ "${name:0:1}" = G ] || metrics "$work/results/$name.before"
  cpu_sample "$name" before
  taskset -c "$wrk_cpus" wrk -t$wrk_threads -c"$conns" -d"${duration}s" -s "$BENCH_LUA/$script" "$url" > "$work/results/$name.out" 2>&1 \
    || { cat "$work/results/$name.out" >&2; say "bench: wrk failed in $name"; exit 1; }
  cpu_sample "$name" after
  echo "$conns" > "$work/results/$name.connections"
  [ "${name:0:1}" = G ] || metrics "$work/results/$name.after"
  grep '^{' "$work/results/$name.out" | tail -1 > "$work/results/$name.json"
  say "bench: $name done"
}
# The CPU time the serving processes used (utime + stime of the server, and on PostgreSQL of the
# postmaster and its processes, or of nginx's master and workers for G) and the machine's per-CPU
# counters, around each measured run: the table's "CPU us/req" and "steal" columns. Each process
# is listed with its own ticks, so report.py counts only what each used during the run (one that
# started during it from zero). Steal is time the hypervisor gave the server's CPU to someone
# else; a run with much of it says more about the neighbours than about us.
cpu_sample() {  # name before|after
  local pids pid
  if [ "${1:0:1}" = G ]; then
    pids="$nginx_pid $(pgrep -P "$nginx_pid" | tr '\n' ' ')"
  else
    pids=$server_pid
    [ "$postgres" != 1 ] || pids="$pids $pg_pid $(pgrep -P "$pg_pid" | tr '\n' ' ')"
  fi
  {
    echo "hz $(getconf CLK_TCK)"
    for pid in $pids; do
      [ -r "/proc/$pid/stat" ] || continue
      echo "pid $pid $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')"
    done
    grep '^cpu[0-9]' /proc/stat
  } > "$work/results/$1.cpu.$2"
}
fresh_sessions() {
  "$seed_bin" sessions --database "$database" --out "$BENCH_DATA" --count $sessions --token-users $token_users
}

# BENCH_ONLY=G,A (a comma list) runs only those scenarios, for profiling one path; the table then
# shows only them.
want() { [ -z "${BENCH_ONLY:-}" ] || [[ ",$BENCH_ONLY," == *",$1,"* ]]; }
want G && run_wrk G "http://127.0.0.1:$nginx_port" g_static.lua "$connections"
want A && run_wrk A "$api" a_top10.lua "$connections"
want B && run_wrk B "$api" b_me.lua "$connections"
want C && run_wrk C "$api" c_post.lua "$connections" writes
# G again right before D, so each ratio compares runs side by side on a noisy machine.
want G2 && run_wrk G2 "http://127.0.0.1:$nginx_port" g_static.lua "$connections"
want D && run_wrk D "$api" d_mix.lua "$connections" writes
# E and F are a person opening their 90-day trends or a year of food log: heavy, rare requests,
# measured as latency under a stated load of a few concurrent users rather than at 64 connections.
want E && run_wrk E "$api" e_trends.lua "$ef_connections"
want F && run_wrk F "$api" f_food.lua "$ef_connections"
metrics "$work/results/all.metrics"
peak_rss_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status")

# C*: the write path again with every commit fsynced (SQLite synchronous=FULL; PostgreSQL's
# commits already are, with synchronous_commit=on).
if [ "$postgres" != 1 ] && [ "$sync" != full ] && want Cfull; then
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  first_startup_ms=$startup_ms
  start_server full
  startup_ms=$first_startup_ms
  run_wrk Cfull "$api" c_post.lua "$connections" writes
  metrics "$work/results/all-full.metrics"
fi

# ---- the racing game's frame time in headless Chromium ----------------------------------------
fps_p95=""
if [ "$fps" = 1 ] && want fps; then
  if [ -f web/dist/racing.html ] && [ -d web/node_modules/playwright-core ] && command -v chromium >/dev/null; then
    if out=$(cd web && GLUCOPLAY_BIN="$bin" node e2e/racing-fps.mjs "$fps_seconds" 1280x800 2>&1); then :; fi
    printf '%s\n' "$out" > "$work/results/fps.out"
    fps_p95=$(printf '%s\n' "$out" | grep -o 'p95 [0-9.]*' | head -1 | awk '{print $2}')
    [ -n "$fps_p95" ] || { printf '%s\n' "$out" >&2; say "bench: the frame-time check printed no p95"; }
  else
    say "bench: skipping the frame-time check (needs web/dist, web/node_modules and chromium: make build, scripts/install-deps --test)"
  fi
fi

python3 "$root/bench/report.py" "$work/results" \
  --startup-ms "$startup_ms" --peak-rss-kb "$peak_rss_kb" --a-bytes "$a_bytes" \
  --connections "$connections" --ef-connections "$ef_connections" --duration "$duration" --warmup "$warmup" --quick "$quick" \
  --server-cpus "$server_cpus" --wrk-cpus "$wrk_cpus" --fps-p95 "${fps_p95:-}" \
  --scores "$scores" --players "$players" --database "$db_label" --cfull "$(
    if [ "$postgres" = 1 ]; then echo postgres; elif [ "$sync" = full ]; then echo full; else echo run; fi)"
