#!/usr/bin/env bash
# fuzz/run.sh — `make fuzz`: build every fuzz/fuzz_*.c with libFuzzer, ASan and UBSan, and run
# each for its share of a total time budget.
#   - The library (every src/**/*.c but src/main.c, plus the embedded files) is compiled once
#     with clang and coverage into build/fuzz/obj (rebuilt when a source or header is newer)
#     and archived, so a target links only what it uses.
#   - fuzz/fuzz_NAME.c runs on a scratch copy of fuzz/corpus/NAME/ (the committed corpus never
#     grows) with fuzz/NAME.dict when present.
#   - A target that fails to build is reported and skipped; the others still run.
#   - A crash, leak, timeout or violated property stops that target; its input is kept in
#     build/fuzz/artifacts/NAME/ and its path printed. Exit status 1 if any target crashed,
#     2 if no target could be built at all, else 0.
# Environment: FUZZ_TIME (total seconds, default 60), FUZZ_ONLY=NAME to run one target.
# shellcheck disable=SC2086 # $CFLAGS, $SAN, $LIBS and $flags are lists of words
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
TOTAL=${FUZZ_TIME:-60}
OUT=build/fuzz
# The same libraries as the Makefile links (its PKGS line), so new dependencies follow.
PKGS=$(sed -n 's/^PKGS *:= *//p' Makefile)
[ -n "$PKGS" ] || PKGS="libmicrohttpd jansson libutf8proc sqlite3 libpq libsodium libcurl"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-std=c11 -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE -Isrc -include src/core/banned.h"
CFLAGS="$CFLAGS $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -lpthread -lm"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export MOTCUA_FAST_HASH=1

command -v clang >/dev/null || {
	echo "fuzz: clang not found (run scripts/deps.sh)" >&2
	exit 2
}

targets=()
for src in fuzz/fuzz_*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	if [ -n "${FUZZ_ONLY:-}" ] && [ "$name" != "$FUZZ_ONLY" ]; then
		continue
	fi
	targets+=("$name")
done
[ ${#targets[@]} -gt 0 ] || {
	echo "fuzz: no fuzz/fuzz_*.c targets" >&2
	exit 2
}

# ---- the library, with coverage ----
mkdir -p "$OUT/obj"
# The embedded files (migrations, data/, the OpenAPI document) come from the normal build.
if ! make --no-print-directory build/gen/embedded.c >"$OUT/embed.log" 2>&1; then
	echo "fuzz: cannot generate build/gen/embedded.c:" >&2
	cat "$OUT/embed.log" >&2
fi
newest_h=$(find src -name '*.h' -newer "$OUT/.stamp" 2>/dev/null | head -1)
[ -e "$OUT/.stamp" ] || newest_h=any
lib_srcs=$(find src -name '*.c' ! -path src/main.c | sort)
[ -f build/gen/embedded.c ] && lib_srcs="$lib_srcs build/gen/embedded.c"
compile_one() { # src obj: compile if out of date; print failures
	local src=$1 obj=$2
	if [ -z "$newest_h" ] && [ "$obj" -nt "$src" ]; then
		return 0
	fi
	local flags="$CFLAGS $SAN -fsanitize=fuzzer-no-link"
	case $src in build/gen/*) flags="-std=c11 -O0" ;; esac # data only: no coverage
	clang $flags -c -o "$obj" "$src" 2>"$obj.log" || {
		echo "fuzz: library source $src does not compile (targets that need it will not link):"
		sed 's/^/    /' "$obj.log" | head -20
		rm -f "$obj"
		return 1
	}
	rm -f "$obj.log"
}
pidlist=()
objs=()
for src in $lib_srcs; do
	obj="$OUT/obj/$(echo "${src%.c}" | tr / _).o"
	objs+=("$obj")
	compile_one "$src" "$obj" &
	pidlist+=($!)
	# two at a time: the machine has few cores and other work on them
	if [ ${#pidlist[@]} -ge 2 ]; then
		wait "${pidlist[0]}"
		pidlist=("${pidlist[@]:1}")
	fi
done
wait
# Stale objects of deleted sources are not archived: only those listed above.
rm -f "$OUT/libmotcua-fuzz.a"
present=()
for o in "${objs[@]}"; do [ -f "$o" ] && present+=("$o"); done
ar rcs "$OUT/libmotcua-fuzz.a" "${present[@]}"
touch "$OUT/.stamp"

# ---- the targets ----
built=()
for name in "${targets[@]}"; do
	if clang $CFLAGS $SAN -fsanitize=fuzzer -o "$OUT/fuzz_$name" "fuzz/fuzz_$name.c" \
		"$OUT/libmotcua-fuzz.a" $LIBS >"$OUT/fuzz_$name.build.log" 2>&1; then
		built+=("$name")
	else
		echo "fuzz: fuzz_$name FAILED TO BUILD (skipped):"
		sed 's/^/    /' "$OUT/fuzz_$name.build.log" | head -30
	fi
done
if [ ${#built[@]} -eq 0 ]; then
	echo "fuzz: no target could be built"
	exit 2
fi

per=$((TOTAL / ${#built[@]}))
[ "$per" -ge 5 ] || per=5
scratch=$(mktemp -d /tmp/motcua-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
crashed=0
echo "fuzz: ${#built[@]} target(s), ${per} s each"
for name in "${built[@]}"; do
	corpus="$scratch/$name"
	mkdir -p "$corpus"
	seeds=0
	if [ -d "fuzz/corpus/$name" ]; then
		cp -R "fuzz/corpus/$name/." "$corpus/"
		seeds=$(find "$corpus" -type f | wc -l)
	fi
	args=(-max_total_time="$per" -timeout=10 -rss_limit_mb=2048 -max_len=65536
		-print_final_stats=1 -artifact_prefix="$scratch/art-$name-")
	[ -f "fuzz/$name.dict" ] && args+=(-dict="fuzz/$name.dict")
	log="$OUT/fuzz_$name.log"
	"$OUT/fuzz_$name" "${args[@]}" "$corpus" >"$log" 2>&1
	rc=$?
	arts=$(find "$scratch" -maxdepth 1 -name "art-$name-*" -type f)
	execs=$(awk '/stat::number_of_executed_units/ {print $NF}' "$log")
	speed=$(awk '/stat::average_exec_per_sec/ {print $NF}' "$log")
	cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[^ ]+' "$log" | tail -1)
	if [ "$rc" -ne 0 ] || [ -n "$arts" ]; then
		crashed=1
		mkdir -p "$OUT/artifacts/$name"
		echo "fuzz_$name: CRASH (exit $rc) after ${execs:-?} runs; log $log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|property violated|.*runtime error)' "$log" |
			head -5 | sed 's/^/    /'
		for a in $arts; do
			kept="$OUT/artifacts/$name/$(basename "$a" | sed "s/^art-$name-//")"
			mv "$a" "$kept"
			echo "    crashing input: $kept"
			echo "    reproduce: $OUT/fuzz_$name $kept"
		done
	else
		printf 'fuzz_%-12s ok: %s runs, %s exec/s, %s (seeds %d); log %s\n' "$name" \
			"${execs:-?}" "${speed:-?}" "${cov:-?}" "$seeds" "$log"
	fi
done
exit $crashed
