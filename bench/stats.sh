#!/usr/bin/env bash
# bench/stats.sh BUILD_DIR — the statistics benchmarks of issue 7, floors measured in the same
# run:
#   bench-data: N dossiers (default 10,000,000, BENCH_DOSSIERS to scale down) generated in bulk
#               mode into a fresh SQLite file (target >= 100,000 dossiers/s); `motcua verify`
#               must pass on it;
#   Biểu 06:    GET /api/v1/reports/bieu06 over real HTTP, one client, p50/p99 (wrk
#               --latency): the whole province over this year to date (the annual report;
#               target p99 <= 50 ms) and one commune over the last calendar month (target
#               p99 <= 5 ms), and for the worst split a province over the last 365 days
#               (loose days at both ends, read at day grain); beside
#               them the bare HTTP floor (bench/floor.c, same wrk settings) and the floor of
#               the data, a plain GROUP BY over the dossiers table for the same province and
#               period (sqlite3, timed once);
#   intake:     8 clients POST /api/v1/dossiers (durable, SQLite) with the counters kept and
#               with MOTCUA_BENCH_NO_STATS=1 (no counters: a switch for this benchmark only),
#               alternating twice, the better of each; the cost of the counters is the
#               difference (target <= 15 %). Wall clock moves with the neighbours' load, so
#               when valgrind is installed the same two are also counted in instructions
#               per intake (callgrind, inside the intake handler, 100 intakes each: the
#               same figure on a loaded machine; the disk's fsync is not in it).
# BENCH_DURATION (default 10s) is each wrk run. On a shared machine wall-clock figures move
# with the neighbours' load: read the ratios to the floors.
set -euo pipefail
B=${1:-build}
cd "$(dirname "$0")/.."
N=${BENCH_DOSSIERS:-10000000}
DUR=${BENCH_DURATION:-10s}
for tool in wrk curl cc sqlite3 python3; do
	command -v "$tool" >/dev/null || {
		echo "bench: $tool not found (run scripts/deps.sh)" >&2
		exit 1
	}
done
tmp=$(mktemp -d /tmp/motcua-bench-s.XXXXXX)
pids=()
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export MOTCUA_FAST_HASH=1

# shellcheck disable=SC2046 # pkg-config prints several words
cc -O2 -o "$tmp/floor" bench/floor.c $(pkg-config --cflags --libs libmicrohttpd) -lpthread

serve() { # DB PORT [env...]
	local db=$1 port=$2
	shift 2
	env "$@" "$B/motcua" serve --db "$db" --listen "127.0.0.1:$port" --quiet \
		--lookup-rate 100000000 >"$tmp/serve-$port.out" 2>&1 &
	pids+=($!)
	SERVER=$!
	for _ in $(seq 300); do
		grep -q "serving at" "$tmp/serve-$port.out" 2>/dev/null && return 0
		sleep 0.1
	done
	cat "$tmp/serve-$port.out" >&2
	return 1
}
stop() { # PID
	local p=$1 keep=() q
	kill -TERM "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	for q in "${pids[@]+"${pids[@]}"}"; do [ "$q" = "$p" ] || keep+=("$q"); done
	pids=("${keep[@]+"${keep[@]}"}")
}
login() { # PORT USER PASSWORD -> sets COOKIE CSRF
	local out
	out=$(curl -s -i -H 'Content-Type: application/json' \
		-d "{\"username\":\"$2\",\"password\":\"$3\"}" "http://127.0.0.1:$1/api/v1/auth/login")
	COOKIE=$(echo "$out" | grep -i '^Set-Cookie:' | sed 's/^[^:]*: //; s/;.*//' | tr -d '\r')
	CSRF=$(echo "$out" | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
}
wrk_rps() { grep -E '^Requests/sec' "$1" | awk '{print $2}'; }
wrk_pct() { grep -E "^ +$2%" "$1" | awk '{print $2}'; } # FILE 50|99
non2xx() { grep -E '^ +Non-2xx' "$1" | awk '{print $NF}'; }

echo "== bench-data: $N dossiers (bulk mode, fresh SQLite file)"
big="$tmp/big.db"
/usr/bin/time -f '%e s wall, %U s user, %S s sys, %M kB max' -o "$tmp/time.txt" \
	"$B/motcua" bench-data --dossiers "$N" --db "sqlite:$big" 2>"$tmp/bd.err" | tail -1 >"$tmp/bd.txt" || {
	cat "$tmp/bd.err" >&2
	exit 1
}
rate=$(awk '{print $(NF-1)}' "$tmp/bd.txt")
printf '  %s  (%s, %s MB on disk)\n' "$(cat "$tmp/bd.txt")" "$(cat "$tmp/time.txt")" \
	"$(($(stat -c %s "$big") / 1048576))"
python3 -c "r=$rate; print(f'  = {r:.0f} dossiers/s (target >= 100000)')"
"$B/motcua" verify --db "sqlite:$big" | grep -E '^dossier logs' | sed 's/^/  verify: /'

echo "== Biểu 06 over $N dossiers, 1 client, $DUR each"
root=$(sqlite3 "$big" "SELECT code FROM unit WHERE parent_id IS NULL")
commune=$(sqlite3 "$big" "SELECT code FROM unit WHERE kind = 'commune' ORDER BY id LIMIT 1")
echo "bench.ld-Pass-1" | "$B/motcua" user add bench.ld --role leader --unit "$root" \
	--db "sqlite:$big" >/dev/null
read -r y_from y_to m_from m_to < <(python3 -c '
import datetime
t = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))).date()
m_to = t.replace(day=1) - datetime.timedelta(days=1)
print(t.replace(month=1, day=1), t, m_to.replace(day=1), m_to)')
"$tmp/floor" 18312 >/dev/null 2>&1 &
pids+=($!)
sleep 0.3
serve "sqlite:$big" 18313
login 18313 bench.ld bench.ld-Pass-1
yurl="http://127.0.0.1:18313/api/v1/reports/bieu06?unit=$root&from=$y_from&to=$y_to"
w_from=$(python3 -c "import datetime; print(datetime.date.fromisoformat('$y_to') - datetime.timedelta(days=364))")
wurl="http://127.0.0.1:18313/api/v1/reports/bieu06?unit=$root&from=$w_from&to=$y_to"
murl="http://127.0.0.1:18313/api/v1/reports/bieu06?unit=$commune&from=$m_from&to=$m_to"
curl -sf -H "Cookie: $COOKIE" "$yurl" >"$tmp/year.json"
python3 - "$tmp/year.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
t = j["total"]
print(f"  province {j['from']}..{j['to']}: {len(j['rows'])} rows, received {t['received_total']}"
      f" (carried over {t['carried_over']}), resolved {t['resolved_total']}, in progress "
      f"{t['in_progress_total']} ({t['in_progress_overdue']} overdue)")
EOF
wrk -t1 -c1 -d"$DUR" --latency "http://127.0.0.1:18312/" >"$tmp/floor.txt" 2>&1
wrk -t1 -c1 -d2s -H "Cookie: $COOKIE" "$yurl" >/dev/null 2>&1 # warm the page cache
wrk -t1 -c1 -d"$DUR" --latency -H "Cookie: $COOKIE" "$yurl" >"$tmp/year.txt" 2>&1
wrk -t1 -c1 -d"$DUR" --latency -H "Cookie: $COOKIE" "$murl" >"$tmp/month.txt" 2>&1
wrk -t1 -c1 -d"$DUR" --latency -H "Cookie: $COOKIE" "$wurl" >"$tmp/worst.txt" 2>&1
printf '  bare HTTP floor                           p50 %-9s p99 %-9s %8.0f req/s\n' \
	"$(wrk_pct "$tmp/floor.txt" 50)" "$(wrk_pct "$tmp/floor.txt" 99)" "$(wrk_rps "$tmp/floor.txt")"
printf '  province, %s..%s      p50 %-9s p99 %-9s %8.0f req/s  (target p99 <= 50 ms)%s\n' \
	"$y_from" "$y_to" "$(wrk_pct "$tmp/year.txt" 50)" "$(wrk_pct "$tmp/year.txt" 99)" \
	"$(wrk_rps "$tmp/year.txt")" "$(non2xx "$tmp/year.txt" | sed 's/^/  NON-2XX: /')"
printf '  commune %s, %s..%s  p50 %-9s p99 %-9s %8.0f req/s  (target p99 <= 5 ms)%s\n' \
	"$commune" "$m_from" "$m_to" "$(wrk_pct "$tmp/month.txt" 50)" \
	"$(wrk_pct "$tmp/month.txt" 99)" "$(wrk_rps "$tmp/month.txt")" \
	"$(non2xx "$tmp/month.txt" | sed 's/^/  NON-2XX: /')"
printf '  province, %s..%s      p50 %-9s p99 %-9s %8.0f req/s  (any 365 days)%s\n' \
	"$w_from" "$y_to" "$(wrk_pct "$tmp/worst.txt" 50)" "$(wrk_pct "$tmp/worst.txt" 99)" \
	"$(wrk_rps "$tmp/worst.txt")" "$(non2xx "$tmp/worst.txt" | sed 's/^/  NON-2XX: /')"
stop "$SERVER"
# the floor of the data: what a report without counters reads (received and resolved by field
# and channel in the period, for the whole province)
lo=$(python3 -c "import datetime; print(int(datetime.datetime.fromisoformat('${y_from}T00:00:00+07:00').timestamp()))")
hi=$(python3 -c "import datetime; print(int(datetime.datetime.fromisoformat('${y_to}T23:59:59+07:00').timestamp()))")
t0=$(date +%s.%N)
sqlite3 "$big" "SELECT field_code, channel, SUM(received_at BETWEEN $lo AND $hi), \
	SUM(finished_at BETWEEN $lo AND $hi), SUM(received_at < $lo AND (finished_at IS NULL OR \
	finished_at >= $lo)) FROM dossier GROUP BY field_code, channel" >/dev/null
t1=$(date +%s.%N)
python3 -c "print(f'  plain GROUP BY over the dossiers table     {($t1 - $t0) * 1000:.0f} ms (one run, sqlite3)')"

echo "== the cost of the counters on intake (durable, SQLite, 8 clients, $DUR each)"
"$B/motcua" demo --db "sqlite:$tmp/intake.db" --no-dossiers >"$tmp/demo.out" 2>/dev/null
pw=$(awk '$1 == "tn.nhatrang" {print $2}' "$tmp/demo.out")
body() {
	curl -s "http://127.0.0.1:$1/api/v1/procedures/1.001193" | python3 -c '
import json, sys
p = json.load(sys.stdin)
case = p["cases"][0]
comps = [{"component_id": c["id"], "originals": max(1, c.get("originals") or 0),
          "copies": c.get("copies") or 0} for c in case["components"] if c.get("required")]
if not comps:
    comps = [{"name": "Tờ khai", "originals": 1, "copies": 0}]
print(json.dumps({"procedure": p["code"], "channel": "direct", "case_id": case["id"],
    "applicant": {"kind": "person", "name": "Nguyễn Văn Bình", "id_type": "cccd",
                  "id_number": "056090001234", "phone": "0905123456"},
    "components": comps}, ensure_ascii=False))'
}
intake() { # LABEL ENV... -> appends "LABEL RPS" to $tmp/intake.txt
	local label=$1
	shift
	serve "sqlite:$tmp/intake.db" 18314 "$@"
	login 18314 tn.nhatrang "$pw"
	BENCH_BODY=$(body 18314) BENCH_COOKIE=$COOKIE BENCH_CSRF=$CSRF \
		wrk -t2 -c8 -d"$DUR" --latency -s bench/intake.lua \
		"http://127.0.0.1:18314/api/v1/dossiers" >"$tmp/in-$label.txt" 2>&1 || true
	stop "$SERVER"
	echo "$label $(wrk_rps "$tmp/in-$label.txt") $(grep -E '^non_201=' "$tmp/in-$label.txt" | cut -d= -f2)" \
		>>"$tmp/intake.txt"
}
# a first run warms the file and the page cache (measured: always the slowest, not counted),
# then alternating, so that the file growing and the neighbours' load favour neither
DUR_MAIN=$DUR
DUR=3s intake warmup
DUR=$DUR_MAIN
intake without MOTCUA_BENCH_NO_STATS=1
intake with
intake with
intake without MOTCUA_BENCH_NO_STATS=1
python3 - "$tmp/intake.txt" <<'EOF'
import sys
runs = [l.split() for l in open(sys.argv[1]) if not l.startswith("warmup")]
best = {k: max(float(r[1]) for r in runs if r[0] == k) for k in ("with", "without")}
bad = sum(int(r[2]) for r in runs if len(r) > 2 and r[2].isdigit())
for r in runs:
    print(f"  {'counters kept' if r[0] == 'with' else 'no counters  '}  {float(r[1]):8.0f} dossiers/s")
w, wo = best["with"], best["without"]
print(f"  best of two: {w:.0f} vs {wo:.0f} dossiers/s: the counters cost "
      f"{100 * (wo - w) / wo:.1f} % of intake (target <= 15 %){'' if not bad else f'  ({bad} not 201)'}")
EOF

if command -v valgrind >/dev/null; then
	for mode in with without; do
		rm -f "$tmp/cg.db"*
		"$B/motcua" demo --db "sqlite:$tmp/cg.db" --no-dossiers >"$tmp/cg-demo.out" 2>/dev/null
		cpw=$(awk '$1 == "tn.nhatrang" {print $2}' "$tmp/cg-demo.out")
		envs=()
		[ "$mode" = without ] && envs=(MOTCUA_BENCH_NO_STATS=1)
		env "${envs[@]+"${envs[@]}"}" valgrind --tool=callgrind \
			--callgrind-out-file="$tmp/cg-$mode.out" --toggle-collect=h_dossiers_intake \
			"$B/motcua" serve --db "sqlite:$tmp/cg.db" --listen 127.0.0.1:18315 --quiet \
			>"$tmp/serve-18315.out" 2>&1 &
		pids+=($!)
		SERVER=$!
		for _ in $(seq 300); do
			grep -q "serving at" "$tmp/serve-18315.out" 2>/dev/null && break
			sleep 0.2
		done
		login 18315 tn.nhatrang "$cpw"
		cbody=$(body 18315)
		ok=0
		for _ in $(seq 100); do
			s=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
				-H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" -d "$cbody" \
				"http://127.0.0.1:18315/api/v1/dossiers")
			[ "$s" = 201 ] && ok=$((ok + 1))
		done
		stop "$SERVER"
		tot=$(callgrind_annotate "$tmp/cg-$mode.out" 2>/dev/null |
			awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
		echo "$mode $ok $tot" >>"$tmp/cg.txt"
	done
	python3 - "$tmp/cg.txt" <<'EOF'
import sys
r = {l.split()[0]: (int(l.split()[1]), int(l.split()[2])) for l in open(sys.argv[1])}
w, wo = (r[k][1] / max(1, r[k][0]) for k in ("with", "without"))
print(f"  callgrind: {w:,.0f} vs {wo:,.0f} instructions per intake ({r['with'][0]} and "
      f"{r['without'][0]} intakes): the counters cost {100 * (w - wo) / w:.1f} % of intake's "
      f"instructions (target <= 15 %)")
EOF
fi
