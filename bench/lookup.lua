-- wrk script: public lookups of random stored dossiers. BENCH_PAIRS names a file of
-- "code token" lines (bench/dossiers.sh samples it from the database).
local pairs_file = os.getenv("BENCH_PAIRS")
local paths = {}
for line in io.lines(pairs_file) do
	local code, token = line:match("^(%S+)%s+(%S+)$")
	if code then paths[#paths + 1] = "/api/v1/lookup/" .. code .. "?token=" .. token end
end
local i = 0
request = function()
	i = i + 1
	return wrk.format("GET", paths[(i * 7919) % #paths + 1])
end
function done(summary, latency, requests)
	io.write(string.format("non_2xx=%d\n", summary.errors.status))
end
