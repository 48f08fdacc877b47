#!/usr/bin/env bash
# bench/search.sh BUILD_DIR — the catalogue search benchmark of issue 4, floor in the same run:
#   1. a fresh SQLite database: the demo (with the seed catalogue), the 271 real national
#      records (MOTCUA_SHARED, default ../shared), then copies of them up to
#      BENCH_PROCEDURES (default 10000) procedures (bench_search --generate);
#   2. in process: bench/bench_search.c, 20 representative queries, p50 and p99 against the
#      2 ms target;
#   3. over HTTP: wrk (-t1 -c64, keep-alive, loopback) on GET /api/v1/procedures?q=… cycling
#      through the same 20 queries (bench/search.lua), between two runs of the bare
#      libmicrohttpd floor (bench/floor.c); prints requests/s, p99 and the percentage of the
#      better floor, against the 30 % target.
# BENCH_DURATION (default 10s). Exit status 0 when both targets are met, 3 when one is missed,
# 1 when a measurement could not be made. Every server started here is stopped at the end.
set -euo pipefail
B=${1:-build}
cd "$(dirname "$0")/.."
N=${BENCH_PROCEDURES:-10000}
DUR=${BENCH_DURATION:-10s}
SHARED=${MOTCUA_SHARED:-../shared}
RAW="$SHARED/data/tthc_dvcqg_chatbot_tthc/raw_bo-tu-phap"
HTTP_TARGET=30

die() {
	echo "bench/search: $*" >&2
	exit 1
}
for tool in wrk curl cc pkg-config; do
	command -v "$tool" >/dev/null || die "$tool not found (run scripts/deps.sh)"
done
[ -x "$B/motcua" ] && [ -f "$B/libmotcua.a" ] || die "$B/motcua not built (make)"
[ -d "$RAW" ] || die "no national records in $RAW (set MOTCUA_SHARED)"

tmp=$(mktemp -d /tmp/motcua-bench-s.XXXXXX)
pids=()
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	local p
	for p in "${pids[@]+"${pids[@]}"}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export MOTCUA_FAST_HASH=1

libs="libmicrohttpd jansson libutf8proc sqlite3 libpq libsodium libcurl libzip expat"
# shellcheck disable=SC2046 # pkg-config's flags are words
cc -std=c11 -O2 -D_GNU_SOURCE -Isrc -include src/core/banned.h -o "$tmp/bench_search" \
	bench/bench_search.c "$B/libmotcua.a" $(pkg-config --cflags --libs $libs) -lpthread -lm ||
	die "cannot build bench/bench_search.c"
# shellcheck disable=SC2046
cc -std=c11 -O2 -D_GNU_SOURCE -o "$tmp/floor" bench/floor.c \
	$(pkg-config --cflags --libs libmicrohttpd) -lpthread || die "cannot build bench/floor.c"

db="sqlite:$tmp/search.db"
echo "== catalogue: demo + 271 national records + copies up to $N" >&2
"$B/motcua" demo --db "$db" >"$tmp/demo.out" 2>&1 || die "demo failed: $(tail -3 "$tmp/demo.out")"
"$B/motcua" import procedures "$RAW" --db "$db" >"$tmp/import.out" 2>&1 ||
	die "import failed: $(tail -3 "$tmp/import.out")"
tail -1 "$tmp/import.out"
"$tmp/bench_search" --db "$db" --generate "$N" --rounds 10 >"$tmp/gen.out" 2>&1 || true
grep '^catalogue:' "$tmp/gen.out" || die "generation failed: $(tail -3 "$tmp/gen.out")"

echo "== in process"
inproc=0
"$tmp/bench_search" --db "$db" --rounds "${BENCH_ROUNDS:-300}" || inproc=$?
[ "$inproc" -le 3 ] || die "bench_search failed"

wait_line() { # FILE REGEX
	local i
	for i in $(seq 100); do
		if grep -Eo "$2" "$1" 2>/dev/null | tail -1 | grep .; then return 0; fi
		sleep 0.1
	done
	return 1
}
RPS=0
P99=0
measure() { # LABEL URL [wrk args]
	local out="$tmp/wrk.$1.txt"
	wrk -t1 -c64 -d"$DUR" --latency "${@:3}" "$2" >"$out" 2>&1 || die "wrk failed on $1"
	if grep -qE 'Non-2xx|Socket errors' "$out"; then
		cat "$out" >&2
		die "$1: errors or non-2xx answers"
	fi
	RPS=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
	P99=$(awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
		f = (u == "us") ? 0.001 : (u == "s") ? 1000 : 1; printf "%.2f", v * f }' "$out")
}

"$tmp/floor" 0 >"$tmp/floor.out" 2>&1 &
pids+=($!)
fport=$(wait_line "$tmp/floor.out" 'listening on [0-9]+' | awk '{print $3}') || die "floor did not start"
"$B/motcua" serve --listen 127.0.0.1:0 --db "$db" --quiet >"$tmp/serve.out" 2>"$tmp/serve.err" &
pids+=($!)
port=$(wait_line "$tmp/serve.out" 'serving at http://127\.0\.0\.1:[0-9]+' | sed 's/.*://') ||
	die "motcua did not start: $(cat "$tmp/serve.err")"
curl -fsS -o /dev/null "http://127.0.0.1:$port/api/v1/procedures?q=khai+sinh" || die "search does not answer"

echo "== over HTTP: wrk -t1 -c64 -d$DUR on loopback, $(nproc) cores shared by wrk and the server"
measure floor1 "http://127.0.0.1:$fport/"
f1=$RPS
f1p=$P99
measure search "http://127.0.0.1:$port/api/v1/procedures" -s bench/search.lua
s=$RPS
sp=$P99
measure floor2 "http://127.0.0.1:$fport/"
f2=$RPS
f2p=$P99
floor=$f1
[ "$f2" -gt "$floor" ] && floor=$f2
ratio=$(awk -v s="$s" -v f="$floor" 'BEGIN {printf "%.1f", 100 * s / f}')
printf '  %-44s %9s req/s  p99 %7s ms\n' "floor (bare libmicrohttpd), first" "$f1" "$f1p"
printf '  %-44s %9s req/s  p99 %7s ms  %s%% of floor (target >= %d%%)\n' \
	"GET /api/v1/procedures?q= (20 queries)" "$s" "$sp" "$ratio" "$HTTP_TARGET"
printf '  %-44s %9s req/s  p99 %7s ms\n' "floor, last" "$f2" "$f2p"
http_ok=$(awk -v r="$ratio" -v t="$HTTP_TARGET" 'BEGIN {print (r >= t) ? 1 : 0}')
echo "search over HTTP: ${ratio}% of the floor: $([ "$http_ok" = 1 ] && echo MET || echo MISSED)"
[ "$inproc" -eq 0 ] && [ "$http_ok" = 1 ] || exit 3
