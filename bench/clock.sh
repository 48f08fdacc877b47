#!/usr/bin/env bash
# bench/clock.sh BUILD_DIR — due-date computations per second on one core (bench_clock.c).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp /tmp/motcua-bench-clock.XXXXXX)
trap 'rm -f "$out"' EXIT
cc -std=c11 -O2 -D_GNU_SOURCE -Isrc -include src/core/banned.h bench/bench_clock.c \
	src/domain/lunar.c src/domain/calendar.c src/domain/clock.c src/core/civil.c \
	src/core/err.c src/core/mem.c src/core/arena.c src/core/buf.c -o "$out" -lm
echo "== the legal clock"
taskset -c 0 "$out" 2>/dev/null || "$out"
