-- wrk script: counter intake, POST /api/v1/dossiers with the session cookie and CSRF token.
-- BENCH_BODY, BENCH_COOKIE and BENCH_CSRF come from the environment (bench/dossiers.sh).
local body = os.getenv("BENCH_BODY")
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = cookie
wrk.headers["X-CSRF-Token"] = csrf
local created, failed = 0, 0
function response(status, headers, body)
	if status == 201 then created = created + 1 else failed = failed + 1 end
end
function done(summary, latency, requests)
	io.write(string.format("non_201=%d\n", summary.errors.status))
end
