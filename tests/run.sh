#!/usr/bin/env bash
# tests/run.sh BUILD_DIR — every test of motcua, as `make test` runs it:
#   1. the cmocka unit tests (build/asan/tests/test_*), against SQLite and, where a test
#      takes MOTCUA_PG_URL, PostgreSQL;
#   2. the API tests over real HTTP (tests/api/run.py), twice: on a SQLite file and on a
#      throwaway PostgreSQL 15 cluster started here (tests/pg.sh) and stopped at the end,
#      even on failure;
#   3. the browser tests (tests/browser/run.mjs): playwright-core drives Debian's Chromium
#      against the real server on a SQLite file with the demo province; their npm packages
#      are installed by `npm ci` from tests/browser/package-lock.json, cached under build/.
# Ends with one line "N passed, N failed". Exit status 0 only when nothing failed.
set -uo pipefail
B=${1:-build/asan}
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export MOTCUA_FAST_HASH=1
export MOTCUA_SHARED=${MOTCUA_SHARED:-../shared}
mkdir -p tests/artifacts
passed=0
failed=0
failures=()

# shellcheck source=tests/pg.sh
source tests/pg.sh
pgdir=$(mktemp -d /tmp/motcua-pg.XXXXXX)
chmod 755 "$pgdir"
cleanup() { pg_stop "$pgdir" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM
pg_ok=0
if pg_start "$pgdir"; then
	pg_ok=1
else
	echo "run.sh: PostgreSQL did not start; its tests count as failed" >&2
	failed=$((failed + 1))
	failures+=("postgres: cluster did not start")
fi

# count cmocka's "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)" lines
count_cmocka() {
	local out=$1 p f
	p=$(grep -Eo '\[  PASSED  \] [0-9]+' "$out" | awk '{s+=$NF} END {print s+0}')
	f=$(grep -Eo '\[  FAILED  \] [0-9]+ test' "$out" | awk '{s+=$(NF-1)} END {print s+0}')
	echo "$p $f"
}

echo "== unit tests"
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	out=$(mktemp)
	if [ "$pg_ok" = 1 ]; then pg_reset_db >/dev/null 2>&1; fi
	"$t" >"$out" 2>&1
	rc=$?
	read -r p f < <(count_cmocka "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # crashed or sanitizer report
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		failures+=("$name")
		cat "$out"
	fi
	printf '  %-28s %4d passed, %d failed\n' "$name" "$p" "$f"
	rm -f "$out"
done

# tally NAME TITLE OUT RC SHOW [NOISE]: add a runner's "N passed, N failed" line to the
# totals (a crash without that line, or a non-zero exit with none failed, is one failure),
# print its lines matching SHOW, and on failure the tail of OUT without lines matching NOISE
tally() {
	local name=$1 title=$2 out=$3 rc=$4 show=$5 noise=${6:-} line p f
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
	p=$(echo "$line" | awk '{print $1+0}')
	f=$(echo "$line" | awk '{print $3+0}')
	if [ -z "$line" ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then f=$((f + 1)); fi
	passed=$((passed + p))
	failed=$((failed + f))
	grep -E "$show" "$out" | head -50
	if [ "$f" -ne 0 ]; then
		failures+=("$name")
		if [ -n "$noise" ]; then grep -vE "$noise" "$out"; else cat "$out"; fi | tail -80
	fi
	printf '  %-28s %4d passed, %d failed\n' "$title" "$p" "$f"
	rm -f "$out"
}

run_api() {
	local label=$1 db=$2 out rc
	out=$(mktemp)
	python3 tests/api/run.py --bin "$B/motcua" --db "$db" --label "$label" >"$out" 2>&1
	rc=$?
	tally "api/$label" "api ($label)" "$out" "$rc" '^(FAIL|ERROR)'
}

echo "== API tests over HTTP"
sqlite_dir=$(mktemp -d /tmp/motcua-api.XXXXXX)
run_api sqlite "sqlite:$sqlite_dir/motcua.db"
rm -rf "$sqlite_dir"
if [ "$pg_ok" = 1 ]; then
	pg_reset_db >/dev/null
	run_api postgres "$MOTCUA_PG_URL"
fi

# npm ci only when the lock file changed since the last install (works offline after once)
browser_deps() {
	local stamp=build/npm-stamp cache=$PWD/build/npm-cache sum
	sum=$(sha256sum tests/browser/package-lock.json | cut -d' ' -f1)
	if [ -d tests/browser/node_modules ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then
		return 0
	fi
	mkdir -p "$cache"
	(cd tests/browser && npm ci --no-audit --no-fund --prefer-offline --cache "$cache" >/dev/null) ||
		return 1
	echo "$sum" >"$stamp"
}

echo "== browser tests"
out=$(mktemp)
if browser_deps; then
	node tests/browser/run.mjs --bin "$B/motcua" >"$out" 2>&1
	rc=$?
else
	echo "npm ci failed in tests/browser" >"$out"
	rc=1
fi
tally browser "browser (chromium)" "$out" "$rc" '^(FAIL|  first)' \
	'dbus|^\[pid=[0-9]+\]\[err\]'

if [ ${#failures[@]} -gt 0 ]; then
	echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
