#!/usr/bin/env python3
"""Checks the running server answers GET /api/scores/me for a few seeded players exactly as the
seeder computed in memory (best, rank, number of players; all-time and this week), so the
benchmark measures a data set the server agrees with. Usage: check_seed.py API_URL DATA_DIR"""
import json
import sys
import urllib.request

api, data = sys.argv[1], sys.argv[2]
tokens = [line.strip() for line in open(f"{data}/tokens.txt") if line.strip()]
expected = json.load(open(f"{data}/expected.json"))
failures = 0
for e in expected["players"]:
    req = urllib.request.Request(
        f"{api}/api/scores/me?game=racing&period={e['period']}",
        headers={"Authorization": "Bearer " + tokens[e["token_index"]]})
    with urllib.request.urlopen(req, timeout=30) as r:
        got = json.load(r)
    want = {"best": e["best"], "rank": e["rank"], "players": e["players"]}
    have = {k: got.get(k) for k in want}
    if have != want:
        failures += 1
        print(f"bench: seeded player {e['user_id']} ({e['period']}): expected {want}, server says {have}",
              file=sys.stderr)
    elif e["rank"] is not None and not any(a["user_id"] == e["user_id"] and a["rank"] == e["rank"]
                                           for a in got.get("around", [])):
        failures += 1
        print(f"bench: seeded player {e['user_id']} is not in their own 'around' list", file=sys.stderr)
if failures:
    sys.exit(f"bench: {failures} seeded standings disagree with the server")
print(f"bench: {len(expected['players'])} seeded standings match the server "
      f"({expected['scores']} scores)", file=sys.stderr)
