#!/usr/bin/env bash
# bench/forms.sh BUILD_DIR — receipts rendered per second on one core (issue 6: >= 200/s):
# one worker thread, one client, GET /api/v1/dossiers/{code}/forms/receipt.pdf.
set -euo pipefail
B=${1:-build}
cd "$(dirname "$0")/.."
DUR=${BENCH_DURATION:-10s}
tmp=$(mktemp -d /tmp/motcua-bench-f.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
export MOTCUA_FAST_HASH=1
"$B/motcua" demo --db "sqlite:$tmp/f.db" --demo-days 5 >"$tmp/demo.out" 2>/dev/null
pw=$(awk '$1 == "tn.nhatrang" {print $2}' "$tmp/demo.out")
code=$(sqlite3 "$tmp/f.db" "SELECT d.code FROM dossier d JOIN unit u ON u.id = \
d.receiving_unit_id WHERE u.code = '001.01.00.H34' AND d.state IN ('accepted', 'processing', \
'result_ready', 'returned') LIMIT 1")
"$B/motcua" serve --db "sqlite:$tmp/f.db" --listen 127.0.0.1:18311 --quiet --threads 1 \
	>"$tmp/serve.out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "serving at" "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
cookie=$(curl -s -i -H 'Content-Type: application/json' \
	-d "{\"username\":\"tn.nhatrang\",\"password\":\"$pw\"}" \
	http://127.0.0.1:18311/api/v1/auth/login | grep -i '^Set-Cookie:' |
	sed 's/^[^:]*: //; s/;.*//' | tr -d '\r')
wrk -t1 -c1 -d"$DUR" --latency -H "Cookie: $cookie" \
	"http://127.0.0.1:18311/api/v1/dossiers/$code/forms/receipt.pdf" >"$tmp/wrk.txt" 2>&1
echo "== printed forms"
printf '  receipts (PDF with QR, two copies), one core  %s /s  p99 %s  (target >= 200/s)\n' \
	"$(grep '^Requests/sec' "$tmp/wrk.txt" | awk '{print $2}')" \
	"$(grep -E '^ +99%' "$tmp/wrk.txt" | awk '{print $2}')"
