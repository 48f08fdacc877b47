#!/usr/bin/env bash
# bench/run.sh BUILD_DIR — `make bench`: the floor and the feature in the same run.
#   1. builds bench/floor.c (bare libmicrohttpd, same threading as motcua, fixed 200-byte JSON);
#   2. loads the demo province into a fresh SQLite file in a scratch directory and logs in as
#      the demo admin over HTTP to get a session cookie;
#   3. loads each target with wrk on loopback (keep-alive, -t1 -c64 -d10s), one after the
#      other: the floor, GET /api/v1/health and GET /api/v1/auth/me (session cookie) with
#      --quiet, the same two with the access log on (written to a file), the floor again;
#   4. prints requests/s, p99, the server's CPU time per request and each as a percentage of
#      the floor (the better of its two runs, first and last, so that a neighbour's load
#      shows), against the targets.
# Every server started here is stopped at the end, even on failure. wrk and the servers
# share the machine's cores: that is why the numbers are read as a ratio to the floor.
# Environment: BENCH_DURATION (default 10s), BENCH_CONNECTIONS (64), BENCH_STRICT=1 to exit
# non-zero when a target is missed. Exit status 1 when a measurement could not be made.
set -euo pipefail
B=${1:-build}
cd "$(dirname "$0")/.."
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-64}
HEALTH_TARGET=60
ME_TARGET=40

die() {
	echo "bench: $*" >&2
	exit 1
}

for tool in wrk curl cc pkg-config; do
	command -v "$tool" >/dev/null || die "$tool not found (run scripts/deps.sh)"
done
[ -x "$B/motcua" ] || die "$B/motcua not built (make all)"

tmp=$(mktemp -d /tmp/motcua-bench.XXXXXX)
pids=()
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	local p
	for p in "${pids[@]+"${pids[@]}"}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${pids[@]+"${pids[@]}"}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_line FILE REGEX: wait (up to 10 s) for a line matching REGEX; print its last match.
wait_line() {
	local file=$1 re=$2 i
	for i in $(seq 100); do
		if grep -Eo "$re" "$file" 2>/dev/null | tail -1 | grep .; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# stop PID: stop one server we started and forget it.
stop() {
	local p=$1 keep=() q
	kill -TERM "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	for q in "${pids[@]+"${pids[@]}"}"; do
		[ "$q" = "$p" ] || keep+=("$q")
	done
	pids=("${keep[@]+"${keep[@]}"}")
}

# cpu_ticks PID: user + system time the process has used, in clock ticks.
cpu_ticks() {
	awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# measure LABEL PID URL [wrk args...]: run wrk against the server PID; set RPS, P99 (ms) and
# CPU_US (the server's CPU time per request, in µs: the cost of the feature, whatever share
# of the cores wrk takes). Fails on errors or non-2xx answers.
RPS=0
P99=0
CPU_US=0
HZ=$(getconf CLK_TCK)
measure() {
	local label=$1 pid=$2 url=$3 out t0 t1 n
	shift 3
	out="$tmp/wrk.$(echo "$label" | tr -c 'a-zA-Z0-9' '_').txt"
	t0=$(cpu_ticks "$pid")
	wrk -t1 -c"$CONNS" -d"$DURATION" --latency "$@" "$url" >"$out" 2>&1 ||
		die "wrk failed on $label: $(tail -3 "$out")"
	t1=$(cpu_ticks "$pid")
	if grep -qE 'Non-2xx|Socket errors' "$out"; then
		cat "$out" >&2
		die "$label: errors or non-2xx answers during the run"
	fi
	RPS=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
	# wrk prints "99%  812.00us" (us, ms or s)
	P99=$(awk '$1 == "99%" {
		v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
		f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1
		printf "%.2f", v * f }' "$out")
	n=$(awk '/requests in/ {print $1}' "$out")
	if [ -z "$RPS" ] || [ "$RPS" -le 0 ] || [ -z "$P99" ] || [ -z "$n" ]; then
		die "cannot read wrk output for $label"
	fi
	CPU_US=$(awk -v d="$((t1 - t0))" -v hz="$HZ" -v n="$n" 'BEGIN {printf "%.1f", d * 1e6 / hz / n}')
}

# Results, printed together at the end once the floor is known.
labels=()
rps=()
p99s=()
targets=()
cpus=()
record() { # LABEL [TARGET_PERCENT]: keep the last measurement
	labels+=("$1")
	rps+=("$RPS")
	p99s+=("$P99")
	cpus+=("$CPU_US")
	targets+=("${2:-}")
}

# ---- the floor: measured first and last ----
# shellcheck disable=SC2046 # pkg-config's flags are words
cc -std=c11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -o "$tmp/floor" bench/floor.c \
	$(pkg-config --cflags --libs libmicrohttpd) || die "cannot build bench/floor.c"
"$tmp/floor" 0 >"$tmp/floor.out" 2>&1 &
pids+=($!)
floor_pid=$!
fport=$(wait_line "$tmp/floor.out" 'listening on [0-9]+' | awk '{print $3}') ||
	die "floor did not start: $(cat "$tmp/floor.out")"
curl -fsS -o /dev/null "http://127.0.0.1:$fport/" || die "floor does not answer"

echo "motcua bench: wrk -t1 -c$CONNS -d$DURATION --latency on loopback; $(nproc) cores shared" \
	"by wrk and the server (load average $(cut -d' ' -f1 /proc/loadavg) before the run)"
echo "  measuring the floor ..." >&2
measure floor "$floor_pid" "http://127.0.0.1:$fport/"
floor1_rps=$RPS
floor1_p99=$P99
floor1_cpu=$CPU_US

# ---- motcua ----
db="sqlite:$tmp/bench.db"
"$B/motcua" demo --db "$db" >"$tmp/demo.out" 2>&1 || die "motcua demo failed: $(cat "$tmp/demo.out")"
password=$(awk '$1 == "admin" {print $2; exit}' "$tmp/demo.out")
[ -n "$password" ] || die "no admin password in the demo output"

# serve FLAGS...: start motcua on a free port, set PORT and SERVER_PID
PORT=0
SERVER_PID=0
serve() {
	: >"$tmp/serve.out"
	"$B/motcua" serve --listen 127.0.0.1:0 --db "$db" "$@" >"$tmp/serve.out" 2>"$tmp/serve.err" &
	SERVER_PID=$!
	pids+=("$SERVER_PID")
	PORT=$(wait_line "$tmp/serve.out" 'serving at http://127\.0\.0\.1:[0-9]+' |
		sed 's/.*://') || die "motcua did not start: $(cat "$tmp/serve.err")"
}

serve --quiet
base="http://127.0.0.1:$PORT"
curl -fsS -o /dev/null -D "$tmp/login.h" -H 'Content-Type: application/json' \
	--data "{\"username\":\"admin\",\"password\":\"$password\"}" "$base/api/v1/auth/login" ||
	die "login as admin failed"
cookie=$(tr -d '\r' <"$tmp/login.h" | sed -n 's/^[Ss]et-[Cc]ookie: *\(motcua_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || die "no session cookie in the login answer"
curl -fsS -o /dev/null -H "Cookie: $cookie" "$base/api/v1/auth/me" || die "/auth/me refused the cookie"

run_targets() { # SUFFIX
	echo "  measuring GET /api/v1/health$1 ..." >&2
	measure "health$1" "$SERVER_PID" "$base/api/v1/health"
	record "GET /api/v1/health$1" "$HEALTH_TARGET"
	echo "  measuring GET /api/v1/auth/me$1 ..." >&2
	measure "me$1" "$SERVER_PID" "$base/api/v1/auth/me" -H "Cookie: $cookie"
	record "GET /api/v1/auth/me (session cookie)$1" "$ME_TARGET"
}

run_targets ""
stop "$SERVER_PID"

# The access log costs a write(2) per request: measure it too (to a file, as in production).
serve --log "$tmp/access.log"
base="http://127.0.0.1:$PORT"
run_targets " +log"
stop "$SERVER_PID"
lines=$(grep -c '"event":"access"' "$tmp/access.log" || true)

echo "  measuring the floor again ..." >&2
measure floor2 "$floor_pid" "http://127.0.0.1:$fport/"
floor2_rps=$RPS
floor2_p99=$P99
floor2_cpu=$CPU_US
stop "$floor_pid"

# ---- the table ----
# The better of the two floor runs: a neighbour's load can only make a ratio look worse.
if [ "$floor1_rps" -ge "$floor2_rps" ]; then
	floor_rps=$floor1_rps
	floor_p99=$floor1_p99
	floor_cpu=$floor1_cpu
else
	floor_rps=$floor2_rps
	floor_p99=$floor2_p99
	floor_cpu=$floor2_cpu
fi
printf '%-44s %7d req/s  p99 %6s ms  %5s us cpu/req   (best of %d and %d req/s)\n' \
	"floor (bare libmicrohttpd, 200-byte JSON)" "$floor_rps" "$floor_p99" "$floor_cpu" \
	"$floor1_rps" "$floor2_rps"
missed=0
for i in "${!labels[@]}"; do
	pct=$(awk -v a="${rps[$i]}" -v b="$floor_rps" 'BEGIN {printf "%.1f", 100 * a / b}')
	verdict=$(awk -v p="$pct" -v t="${targets[$i]}" 'BEGIN {print (p >= t) ? "ok" : "BELOW TARGET"}')
	[ "$verdict" = ok ] || missed=1
	printf '%-44s %7d req/s  p99 %6s ms  %5s us cpu/req  %5s %% of floor (target >= %d %%) %s\n' \
		"${labels[$i]}" "${rps[$i]}" "${p99s[$i]}" "${cpus[$i]}" "$pct" "${targets[$i]}" \
		"$verdict"
done
echo "(+log: the access log on, $lines lines written to a file; the rest with --quiet." \
	"cpu/req: the server's user+system time per request, wrk's excluded)"
drift=$(awk -v a="$floor1_rps" -v b="$floor2_rps" 'BEGIN {d = a > b ? a - b : b - a; print (d * 100 > 15 * (a + b) / 2) ? 1 : 0}')
if [ "$drift" = 1 ]; then
	echo "(the floor moved by more than 15 % during the run: other work on the machine," \
		"read these numbers with care)"
fi
if [ "$missed" = 1 ]; then
	echo "bench: a target was missed" >&2
	[ "${BENCH_STRICT:-0}" = 1 ] && exit 1
fi
exit 0
