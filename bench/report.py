#!/usr/bin/env python3
"""Prints the benchmark table from bench/run.sh's results directory and checks the targets of
issue 9. Exit 1 on any error or non-2xx response (and on a missed target with BENCH_STRICT=1)."""
import argparse
import json
import os
import re
import sys

p = argparse.ArgumentParser()
p.add_argument("results")
for name in ("ef-connections", "startup-ms", "peak-rss-kb", "a-bytes", "connections", "duration", "warmup", "quick",
             "server-cpus", "wrk-cpus", "fps-p95", "scores", "players", "database", "cfull"):
    p.add_argument("--" + name, default="")
a = p.parse_args()
# --database: the header's description of the store ("SQLite synchronous=normal", or PostgreSQL
# with its version and settings). --cfull: "run" (C* measured), "full" (the main run was already
# at synchronous=FULL) or "postgres" (C* is SQLite-only: a row says so).
postgres = a.database.startswith("PostgreSQL")

SCENARIOS = [
    ("A", "GET /api/scores?game=racing (top 10)"),
    ("B", "GET /api/scores/me (random players)"),
    ("C", "POST /api/scores (fresh sessions)"),
    ("D", "mix: 90% A/B reads, 10% C writes"),
    ("E", "GET /api/pin_dexcom/trends (90 days)"),
    ("F", "GET /api/food_log/summary (1 year)"),
    ("G", "nginx static file, A's size (run before A)"),
    ("G2", "nginx static file, A's size (run before D)"),
    ("Cfull", "C again, SQLite synchronous=FULL"),
]
METRIC = re.compile(r'^glucoplay_http_requests_total\{method="([^"]*)",route="([^"]*)",status="(\d+)"\} (\d+)')


def counts(path):
    out = {}
    if not os.path.exists(path):
        return out
    for line in open(path):
        m = METRIC.match(line)
        if m:
            out[(m[1], m[2], int(m[3]))] = int(m[4])
    return out


def non_2xx(before, after):
    """Non-2xx responses the server counted between two /metrics snapshots (the snapshot's own
    GET /metrics is a 200)."""
    bad = {}
    for key, n in after.items():
        d = n - before.get(key, 0)
        if d and not 200 <= key[2] < 300:
            bad[key] = d
    return bad


def cpu_list(spec):
    """The CPUs of a taskset list ("1", "0-1", "1,3")."""
    out = set()
    for part in filter(None, spec.split(",")):
        lo, _, hi = part.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def cpu_use(key, requests):
    """From bench/run.sh's cpu_sample files: the serving processes' CPU time per request (us),
    and the share of the server CPUs' time stolen by the hypervisor during the run (%). A
    process is counted for what it used between the samples (from zero when it started after
    the first); one that ended before the second is not counted."""
    def read(path):
        pids, hz, cpus = {}, 100, {}
        for line in open(path):
            f = line.split()
            if f[0] == "hz":
                hz = int(f[1])
            elif f[0] == "pid":
                pids[f[1]] = int(f[2])
            elif f[0].startswith("cpu"):
                cpus[int(f[0][3:])] = [int(x) for x in f[1:]]
        return pids, hz, cpus
    before, after = (os.path.join(a.results, f"{key}.cpu.{w}") for w in ("before", "after"))
    if not (os.path.exists(before) and os.path.exists(after)) or not requests:
        return {}
    (p0, hz, c0), (p1, _, c1) = read(before), read(after)
    # A pid not there before (a backend that started during the run) counts from zero, and so
    # does one with fewer ticks than before: a new process that reused the pid.
    ticks = sum(t - p0.get(pid, 0) if t >= p0.get(pid, 0) else t for pid, t in p1.items())
    total = steal = 0
    for cpu in cpu_list(a.server_cpus) & c0.keys() & c1.keys():
        d = [y - x for x, y in zip(c0[cpu], c1[cpu])]
        total += sum(d[:8])  # user nice system idle iowait irq softirq steal
        steal += d[7] if len(d) > 7 else 0
    return {"cpu_us": ticks / hz * 1e6 / requests,
            "steal": 100.0 * steal / total if total else None}


rows, failures, misses = {}, [], []
only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
for key, _ in SCENARIOS:
    path = os.path.join(a.results, key + ".json")
    if key == "Cfull" and (a.cfull in ("full", "postgres") or not os.path.exists(path)):
        continue  # the main run was already at synchronous=FULL, or not SQLite
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        if only and key not in only:
            continue  # not asked for (BENCH_ONLY)
        failures.append(f"{key}: no wrk result")
        continue
    r = json.load(open(path))
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["errors"] = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"]
    if not key.startswith("G"):
        bad = non_2xx(counts(os.path.join(a.results, key + ".before")),
                      counts(os.path.join(a.results, key + ".after")))
        r["non2xx"] = sum(bad.values())
        for (method, route, status), n in bad.items():
            failures.append(f"{key}: {n} x {status} on {method} {route}")
    else:
        r["non2xx"] = r["status_errors"]
    if r["status_errors"] and not key.startswith("G"):
        r["non2xx"] = max(r["non2xx"], r["status_errors"])
    if r["errors"] or r["non2xx"]:
        failures.append(f"{key}: {r['errors']} socket errors/timeouts, {r['non2xx']} non-2xx")
    r.update(cpu_use(key, r["requests"]))
    rows[key] = r
# Anything non-2xx over the whole run, warm-ups included (the C* server is a second process).
for snapshot in ("all.metrics", "all-full.metrics"):
    everything = non_2xx({}, counts(os.path.join(a.results, snapshot)))
    for (method, route, status), n in everything.items():
        failures.append(f"run: {n} x {status} on {method} {route} (warm-ups included)")

# Each ratio uses the G measured right before it (A after G, D after G2); B, C, E, F use G.
def ratio(k):
    g = rows.get("G2" if k == "D" and "G2" in rows else "G", {}).get("rps")
    return rows[k]["rps"] / g if g and k in rows else None
ms = lambda us: us / 1000.0


def check(label, ok):
    if ok is None:
        return "n/a"
    if not ok:
        misses.append(label)
    return "ok" if ok else "MISS"


# Every target also needs a clean run: no socket errors or timeouts (a timed-out request has no
# latency sample, so it would flatter p99) and no non-2xx answer.
clean = lambda r: r["requests"] > 0 and not r["errors"] and not r["non2xx"]
target = {
    "A": lambda r: (f">= 0.6 G, p99 <= 10 ms", clean(r) and ratio("A") is not None and ratio("A") >= 0.6 and ms(r["p99_us"]) <= 10),
    "B": lambda r: ("p99 <= 10 ms", clean(r) and ms(r["p99_us"]) <= 10),
    "C": lambda r: (">= 5000/s, no error", clean(r) and r["rps"] >= 5000),
    "D": lambda r: (">= 0.5 G", clean(r) and ratio("D") is not None and ratio("D") >= 0.5),
    "E": lambda r: ("p99 <= 25 ms", clean(r) and ms(r["p99_us"]) <= 25),
    "F": lambda r: ("p99 <= 25 ms", clean(r) and ms(r["p99_us"]) <= 25),
    "G": lambda r: ("(ceiling)", None),
    "G2": lambda r: ("(ceiling)", None),
    "Cfull": lambda r: ("(durable commits; no error)", clean(r)),
}

print()
print(f"GlucoPlay benchmark{' (QUICK: a tenth of the data, short runs)' if a.quick not in ('', '0') else ''}: "
      f"{a.scores} scores / {a.players} players; {a.connections} connections (E, F: {a.ef_connections}), 2 wrk threads on CPU {a.wrk_cpus}; "
      f"{'server, nginx and PostgreSQL' if postgres else 'server and nginx'} on CPU {a.server_cpus}; "
      f"{a.warmup} s warm-up + {a.duration} s per scenario; "
      f"{a.database}")
print()
print("| | scenario | req/s | p50 ms | p99 ms | errors | non-2xx | vs G | CPU us/req | steal | target | |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
for key, label in SCENARIOS:
    if key == "Cfull" and a.cfull == "postgres":
        if not only or key in only:
            print(f"| C* | {label} | - | - | - | - | - | | | | SQLite only: not run on PostgreSQL | n/a |")
        continue
    if key == "Cfull" and key not in rows and not os.path.exists(os.path.join(a.results, "Cfull.json")):
        continue
    if key not in rows:
        if only and key not in only:
            continue
        print(f"| {'C*' if key == 'Cfull' else key} | {label} | - | - | - | - | - | - | | | | FAILED |")
        continue
    r = rows[key]
    rg = ratio(key)
    text, ok = target[key](r)
    cpu = "" if r.get("cpu_us") is None else f"{r['cpu_us']:.1f}"
    steal = "" if r.get("steal") is None else f"{r['steal']:.0f} %"
    print(f"| {'C*' if key == 'Cfull' else key} | {label} | {r['rps']:,.0f} | {ms(r['p50_us']):.2f} | {ms(r['p99_us']):.2f} | "
          f"{r['errors']} | {r['non2xx']} | {'' if key.startswith('G') or rg is None else f'{rg:.2f}'} | "
          f"{cpu} | {steal} | {text} | "
          f"{check(key, ok)} |")
startup = int(a.startup_ms) if a.startup_ms else None
rss_mb = int(a.peak_rss_kb) / 1024 if a.peak_rss_kb else None
print(f"| | A/G ratio | {ratio('A') or 0:.2f} | | | | | | | | >= 0.6 | |")
print(f"| | D/G ratio | {ratio('D') or 0:.2f} | | | | | | | | >= 0.5 | |")
print(f"| | server peak RSS (VmHWM{', PostgreSQL not included' if postgres else ''}) | {rss_mb:.0f} MB | | | | | | | | <= 300 MB | {check('RSS', rss_mb is not None and rss_mb <= 300)} |")
print(f"| | startup with the data set | {startup} ms | | | | | | | | <= 2000 ms | {check('startup', startup is not None and startup <= 2000)} |")
if a.fps_p95:
    fps = float(a.fps_p95)
    print(f"| | racing game frame time p95 (headless Chromium, 1280x800) | {fps:.1f} ms | | | | | | | | <= 20 ms | {check('fps', fps <= 20)} |")
else:
    print("| | racing game frame time p95 | not measured | | | | | | | | <= 20 ms | n/a |")
print(f"\nA's response: {a.a_bytes} bytes (G serves a file of that size).")
if misses:
    print("Targets missed: " + ", ".join(misses))
if failures:
    print("\nFAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
    sys.exit(1)
if misses and os.environ.get("BENCH_STRICT") == "1":
    sys.exit(1)
