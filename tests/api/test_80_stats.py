"""Statistics (issue 7): Biểu 06 from the counters equals a brute-force recomputation from the
dossiers, their event logs and due-date histories, for random periods and unit subtrees, over
a year of simulated history (every transition the demo makes: supplements, lapses,
withdrawals, stops, payments, extensions, refusals before and after acceptance); hand-checked
columns; exports (xlsx cells, CSV, PDF read back); the 766 index with its inputs; the public
figures; bad input."""
import csv
import datetime
import io
import os
import random
import subprocess
import tempfile
import zipfile

from harness import Server, check, eq, expect_error, test
from test_40_dossiers import act, intake, login

API = "/api/v1"
UNIT = "001.01.00.H34"  # UBND phường Nha Trang
VN = datetime.timezone(datetime.timedelta(hours=7))
PAUSED = {"waiting_supplement", "waiting_payment", "stopped"}
NUMS = ("received_total", "received_online", "received_direct_postal", "carried_over",
        "resolved_total", "early", "on_time", "late", "in_progress_total",
        "in_progress_within", "in_progress_overdue")


def day(t):
    return datetime.datetime.fromtimestamp(int(t), VN).date()


def rows(server, sql):
    out = server.sql(sql)
    return [line.split("|") for line in out.splitlines() if line]


def load_history(server):
    """Every counted dossier with its events and due-date history, straight from the tables."""
    ds = {}
    for r in rows(server, "SELECT d.id, u.path, COALESCE(d.field_code, ''), d.channel, "
                          "d.received_at, COALESCE(d.finished_at, 0), COALESCE(d.outcome, '') "
                          "FROM dossier d JOIN unit u ON u.id = d.competent_unit_id "
                          "WHERE d.received_at IS NOT NULL"):
        ds[int(r[0])] = {"path": r[1], "field": r[2], "channel": int(r[3]),
                         "recv": day(r[4]), "res": day(r[5]) if int(r[5]) else None,
                         "cls": r[6] or "on_time", "events": [], "dues": []}
    for r in rows(server, "SELECT dossier_id, at, to_state FROM dossier_event "
                          "ORDER BY dossier_id, seq"):
        if int(r[0]) in ds:
            ds[int(r[0])]["events"].append((day(r[1]), r[2]))
    for r in rows(server, "SELECT dossier_id, at, due_at FROM dossier_due "
                          "ORDER BY dossier_id, seq"):
        if int(r[0]) in ds:
            ds[int(r[0])]["dues"].append((day(r[1]), day(r[2])))
    return ds


def brute(ds, path, a, b):
    """Biểu 06 by field for the subtree at `path` over days a..b, from first principles."""
    out = {}
    for d in ds.values():
        if not d["path"].startswith(path):
            continue
        v = out.setdefault(d["field"], dict.fromkeys(NUMS, 0))
        recv, res = d["recv"], d["res"]
        if recv < a and (res is None or res >= a):
            v["carried_over"] += 1
        if a <= recv <= b:
            v["received_online" if d["channel"] == 2 else "received_direct_postal"] += 1
        if res is not None and a <= res <= b:
            v[d["cls"]] += 1
        if recv <= b and (res is None or res > b):
            v["in_progress_total"] += 1
            state = [s for (t, s) in d["events"] if t <= b][-1]
            due = [x for (t, x) in d["dues"] if t <= b]
            if state not in PAUSED and due and due[-1] <= b:
                v["in_progress_overdue"] += 1
    for v in out.values():
        v["received_total"] = v["carried_over"] + v["received_online"] + \
            v["received_direct_postal"]
        v["resolved_total"] = v["early"] + v["on_time"] + v["late"]
        v["in_progress_within"] = v["in_progress_total"] - v["in_progress_overdue"]
    return {f: v for f, v in out.items() if any(v.values())}


def report(c, unit, a, b, expect=200):
    r = c.get(f"{API}/reports/bieu06?unit={unit}&from={a}&to={b}")
    eq(r.status, expect, f"bieu06 {unit} {a}..{b}: {r}")
    return r.json


def compare(server, c, ds, unit, path, a, b):
    got = report(c, unit, a, b)
    mine = {row["field_code"]: {k: row[k] for k in NUMS} for row in got["rows"]}
    want = brute(ds, path, datetime.date.fromisoformat(a), datetime.date.fromisoformat(b))
    if mine != want:
        diff = {f: (mine.get(f), want.get(f)) for f in set(mine) | set(want)
                if mine.get(f) != want.get(f)}
        raise AssertionError(f"Biểu 06 {unit} {a}..{b} differs from the recomputation "
                             f"(counters, brute force): {list(diff.items())[:3]}")
    # the total is the sum of the rows, and the identities hold
    tot = got["total"]
    for k in NUMS:
        eq(tot[k], sum(v[k] for v in want.values()), f"total {k}")
    eq(tot["received_total"], tot["resolved_total"] + tot["in_progress_total"],
       "received = resolved + in progress")
    return got


def units(server):
    return [(r[0], r[1]) for r in rows(server, "SELECT code, path FROM unit WHERE code IS NOT "
                                               "NULL ORDER BY id")]


def counters(server):
    return sorted(rows(server, "SELECT unit_id, grain, period, field_code, procedure_code, "
                               "channel, recv, early, on_time, late, ov FROM stat_count "
                               "WHERE recv <> 0 OR early <> 0 OR on_time <> 0 OR late <> 0 "
                               "OR ov <> 0"))


@test
def bieu06_equals_brute_force_over_a_simulated_year(ctx):
    if ctx.backend != "sqlite":
        return  # the simulated year is made once, on SQLite; PostgreSQL is checked below
    path = tempfile.mktemp(prefix="motcua-stats-", suffix=".db")
    s = Server(ctx.bin, f"sqlite:{path}")
    try:
        s.load_demo("--demo-days", "150")
        s.start()
        c = s.client()
        eq(c.login("admin", s.logins["admin"]).status, 200, "login")
        ds = load_history(s)
        check(len(ds) > 800, f"a simulated history: {len(ds)} dossiers")
        kinds = {st for d in ds.values() for (_, st) in d["events"]}
        for k in ("waiting_supplement", "waiting_payment", "stopped", "withdrawn", "lapsed",
                  "refused", "returned"):
            check(k in kinds, f"the history has a dossier that went through {k}")
        us = units(s)
        rng = random.Random(2026)
        today = datetime.datetime.now(VN).date()
        first = min(d["recv"] for d in ds.values())
        periods = [(first, today), (today.replace(day=1), today),
                   (today.replace(month=1, day=1), today)]
        for _ in range(22):
            a = first + datetime.timedelta(days=rng.randrange(-20, 170))
            periods.append((a, a + datetime.timedelta(days=rng.randrange(0, 120))))
        for i, (a, b) in enumerate(periods):
            code, upath = us[0] if i % 3 == 0 else rng.choice(us)
            compare(s, c, ds, code, upath, a.isoformat(), b.isoformat())
        # the counters can be rebuilt from the dossiers, to the same rows
        before = counters(s)
        check(len(before) > 100, "counters were kept")
        s.stop()
        out = s.cli("stats", "rebuild").stdout
        check("rebuilt from" in out, out)
        eq(counters(s), before, "counters rebuilt from the history are the same")
    finally:
        s.stop()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.unlink(path + suffix)


@test
def bieu06_hand_checked_columns(ctx):
    """Today's life of a few dossiers in one commune, column by column (both backends)."""
    ld, cv, tn = login(ctx, "ld.nhatrang"), login(ctx, "cv.nhatrang"), login(ctx, "tn.nhatrang")
    today = datetime.datetime.now(VN).date().isoformat()
    t0 = report(ld, UNIT, today, today)["total"]
    a, b, w, p = intake(ctx), intake(ctx), intake(ctx), intake(ctx, channel="postal",
                                                                delivery={"method": "postal",
                                                                          "address": "Số 3 Lê "
                                                                          "Lợi, Nha Trang"})
    t1 = report(ld, UNIT, today, today)["total"]
    eq(t1["received_direct_postal"] - t0["received_direct_postal"], 4, "four received")
    eq(t1["in_progress_total"] - t0["in_progress_total"], 4, "four in progress")
    eq(t1["in_progress_within"] - t0["in_progress_within"], 4, "within time")
    eq(t1["received_postal"] - t0["received_postal"], 1, "one by post")
    # one resolved (finished today, due later: early), one withdrawn (on time), one waits
    eq(act(ld, a["code"], "assign", assignee="cv.nhatrang").status, 200, "assign")
    eq(act(cv, a["code"], "forward").status, 200, "forward")
    eq(act(ld, a["code"], "finish", result_number="5/GXN", signer="Đỗ Văn Hải").status, 200,
       "finish")
    eq(act(tn, w["code"], "withdraw", reason="Công dân xin rút").status, 200, "withdraw")
    eq(act(ld, b["code"], "assign", assignee="cv.nhatrang").status, 200, "assign b")
    eq(act(cv, b["code"], "request_supplement", items=["Bản sao CCCD"], period_days=10).status,
       200, "supplement")
    t2 = report(ld, UNIT, today, today)["total"]
    eq(t2["early"] - t1["early"], 1, "finished before its due day: early")
    eq(t2["on_time"] - t1["on_time"], 1, "withdrawn counts as resolved on time")
    eq(t2["resolved_total"] - t1["resolved_total"], 2, "two resolved")
    eq(t2["in_progress_total"] - t1["in_progress_total"], -2, "two left in progress")
    # returning the result does not count it again
    eq(act(tn, a["code"], "return", recipient="Chủ hồ sơ").status, 200, "return")
    eq(report(ld, UNIT, today, today)["total"]["resolved_total"], t2["resolved_total"],
       "returned is still one resolution")
    # on the dossiers that the other tests made today, both backends agree with the brute
    # force for the commune and for the whole province
    ds = load_history(ctx.server)
    root = rows(ctx.server, "SELECT path FROM unit WHERE parent_id IS NULL")[0][0]
    upath = rows(ctx.server, f"SELECT path FROM unit WHERE code = '{UNIT}'")[0][0]
    compare(ctx.server, ld, ds, UNIT, upath, today, today)
    month = datetime.datetime.now(VN).date().replace(day=1).isoformat()
    compare(ctx.server, login(ctx, "admin"), ds, "root", root, month, today)
    # a due date that passed: overdue at the end of its due day, within time the day before
    p_code = p["code"]
    due = rows(ctx.server, f"SELECT due_at FROM dossier WHERE code = '{p_code}'")[0][0]
    due_day = day(due)
    r_due = report(ld, UNIT, due_day.isoformat(), due_day.isoformat())["total"]
    r_before = report(ld, UNIT, (due_day - datetime.timedelta(days=1)).isoformat(),
                      (due_day - datetime.timedelta(days=1)).isoformat())["total"]
    check(r_due["in_progress_overdue"] >= r_before["in_progress_overdue"] + 1,
          f"overdue counted from the due day: {r_before} -> {r_due}")


@test
def bieu06_exports_read_back(ctx):
    ld = login(ctx, "ld.nhatrang")
    intake(ctx)
    today = datetime.datetime.now(VN).date().isoformat()
    j = report(ld, UNIT, today, today)
    check(j["rows"], "rows")
    q = f"{API}/reports/bieu06?unit={UNIT}&from={today}&to={today}"
    # CSV: UTF-8 with a BOM, the two header rows, one row per field, the total
    r = ld.get(q + "&format=csv")
    eq(r.status, 200, f"csv {r}")
    check(r.raw.startswith(b"\xef\xbb\xbf"), "BOM")
    lines = list(csv.reader(io.StringIO(r.raw[3:].decode("utf-8"))))
    eq(lines[1][2:5], ["Tổng số", "Trực tuyến", "Kỳ trước chuyển qua"], "second header row")
    eq(len(lines), 2 + len(j["rows"]) + 1, "rows + total")
    eq(lines[-1][1], "Tổng số", "total row")
    eq(int(lines[-1][2]), j["total"]["received_total"], "CSV total received")
    eq(int(lines[-1][12]), j["total"]["in_progress_overdue"], "CSV total overdue")
    # xlsx: merged official header, numbers stored as numbers
    r = ld.get(q + "&format=xlsx")
    eq(r.status, 200, f"xlsx {r}")
    z = zipfile.ZipFile(io.BytesIO(r.raw))
    sheet = z.read("xl/worksheets/sheet1.xml").decode()
    strings = z.read("xl/sharedStrings.xml").decode()
    for merged in ('ref="C3:F3"', 'ref="G3:J3"', 'ref="K3:M3"', 'ref="A3:A4"'):
        check(merged in sheet, f"merged header {merged}")
    check("Số hồ sơ nhận giải quyết" in strings and "Kỳ trước chuyển qua" in strings,
          "official headings")
    check(f'<c r="C{5 + len(j["rows"])}" s="3"><v>{j["total"]["received_total"]}</v>' in sheet
          or f'<c r="C{5 + len(j["rows"])}" s="2"><v>{j["total"]["received_total"]}</v>'
          in sheet, "the total as a number cell")
    # PDF: A4 landscape, the title and a field's name with its diacritics
    r = ld.get(q + "&format=pdf")
    eq(r.status, 200, f"pdf {r}")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(r.raw)
        f.flush()
        text = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True,
                              text=True).stdout
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
        os.makedirs("tests/artifacts", exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                        f.name, "tests/artifacts/bieu06"], check=False)
    check("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text, text[:500])
    check(j["rows"][0]["field_name"].split()[0] in text, "a field's name")
    check("841.89 x 595.276" in info or "842 x 595" in info, f"A4 landscape: {info}")


@test
def bieu06_bad_input_and_scope(ctx):
    ld = login(ctx, "ld.nhatrang")
    expect_error(ld.get(f"{API}/reports/bieu06?from=2026-13-01"), 400, "validation", "from")
    expect_error(ld.get(f"{API}/reports/bieu06?from=2026-05-01&to=2026-04-01"), 400,
                 "validation", "to")
    expect_error(ld.get(f"{API}/reports/bieu06?from=2010-01-01&to=2026-01-01"), 400,
                 "validation", "to")
    expect_error(ld.get(f"{API}/reports/bieu06?format=doc"), 400, "validation", "format")
    expect_error(ld.get(f"{API}/reports/bieu06?unit=nope"), 400, "validation", "unit")
    # a commune's leader cannot read another commune's report, nor the province's
    expect_error(ld.get(f"{API}/reports/bieu06?unit=002.01.00.H34"), 403, "forbidden")
    expect_error(ld.get(f"{API}/reports/bieu06?unit=root"), 403, "forbidden")
    expect_error(ctx.server.client().get(f"{API}/reports/bieu06"), 401)
    # the default is the caller's own unit
    eq(report(ld, "", "2026-01-01", "2026-01-31")["unit"]["code"], UNIT, "default unit")


@test
def index766_shows_inputs_and_what_is_not_measured(ctx):
    ld = login(ctx, "ld.nhatrang")
    cv, tn = login(ctx, "cv.nhatrang"), login(ctx, "tn.nhatrang")

    def resolved_and_returned():
        d = intake(ctx)
        eq(act(ld, d["code"], "assign", assignee="cv.nhatrang").status, 200, "assign")
        eq(act(cv, d["code"], "forward").status, 200, "forward")
        eq(act(ld, d["code"], "finish", result_number="9/GXN", signer="Đỗ Văn Hải").status,
           200, "finish")
        eq(act(tn, d["code"], "return", recipient="Chủ hồ sơ").status, 200, "return")
        return d

    resolved_and_returned()
    r = ld.get(f"{API}/reports/index766?unit={UNIT}")
    eq(r.status, 200, f"index766 {r}")
    j = r.json
    eq(sum(g["max_points"] for g in j["groups"]), 100, "groups total 100 points")
    eq(j["max_points"], 100, "max")
    inds = {i["key"]: i for g in j["groups"] for i in g["indicators"]}
    for k in ("sync", "reuse"):
        eq(inds[k]["measured"], False, f"{k} not measured")
        check(inds[k]["why"] and inds[k]["points"] is None, f"{k} says why, has no points")
    on = inds["on_time"]
    check(on["measured"] and on["denominator"] >= 1, f"on_time measured {on}")
    b = report(ld, UNIT, j["from"], j["to"])["total"]
    eq((on["numerator"], on["denominator"]), (b["early"] + b["on_time"], b["resolved_total"]),
       "on-time inputs are Biểu 06's")
    eq(on["points"], round(20 * on["numerator"] / on["denominator"], 2), "proportional")
    od = inds["online_dossiers"]
    eq(od["threshold"], 50, "online dossiers full at 50 %")
    exp = 6 * min(1, (100 * od["numerator"] / od["denominator"]) / 50) if od["denominator"] \
        else 6
    check(abs(od["points"] - exp) < 0.01, f"online dossiers points {od}")
    measured = sum(i["points"] for i in inds.values() if i["measured"])
    check(abs(j["points"] - measured) < 0.05, "the score is the sum of measured points")
    eq(j["measured_max_points"], 100 - 12, "unmeasured points left out of the maximum")
    # a dislike lowers the satisfaction indicator's numerator
    sat0 = inds["satisfaction"]
    d = resolved_and_returned()
    r = ctx.server.client().post(f"{API}/public/ratings", {
        "dossier": d["code"], "token": d["lookup_token"], "satisfied": False,
        "reasons": ["attitude"]})
    check(r.status in (200, 201), f"rating {r}")
    j2 = ld.get(f"{API}/reports/index766?unit={UNIT}").json
    sat1 = {i["key"]: i for g in j2["groups"] for i in g["indicators"]}["satisfaction"]
    eq(sat1["denominator"] - sat0["denominator"], 1, "one more resolved")
    eq(sat1["numerator"] - sat0["numerator"], 0, "the disliked one does not count as satisfied")
    expect_error(ld.get(f"{API}/reports/index766?unit=002.01.00.H34"), 403, "forbidden")
    # the administrator and the auditor read it over the whole province
    for who in ("admin", "kiemtoan"):
        r = login(ctx, who).get(f"{API}/reports/index766?unit=root")
        eq(r.status, 200, f"index766 as {who}: {r}")


@test
def summary_has_every_seed_figure(ctx):
    a = login(ctx, "admin")
    r = a.get(f"{API}/reports/summary?unit=root")
    eq(r.status, 200, f"summary {r}")
    j = r.json
    for k in ("received", "received_online", "resolved", "resolved_early_on_time", "open",
              "received_postal", "returned_postal", "procedures_published",
              "procedures_online", "online_procedures_with_dossiers_rate"):
        check(k in j, f"figure {k}")
    check(j["procedures_published"] >= 40, "the seed catalogue is published")
    check(any(x["key"] == "par_index" for x in j["not_measured"]), "says what it cannot show")


@test
def public_stats_change_live(ctx):
    pub = ctx.server.client()
    r = pub.get(f"{API}/public/stats")
    eq(r.status, 200, f"public stats {r}")
    before = {u["unit"]["code"]: u for u in r.json["units"]}
    intake(ctx)
    r = pub.get(f"{API}/public/stats")
    after = {u["unit"]["code"]: u for u in r.json["units"]}
    got = after[UNIT]["received"] - (before[UNIT]["received"] if UNIT in before else 0)
    eq(got, 1, "one more received in the commune, at once")
    for k in ("on_time_rate", "online_share", "satisfaction", "ratings", "resolved"):
        check(k in after[UNIT], f"public figure {k}")
    check("applicant" not in str(r.json), "no personal data")
    expect_error(pub.get(f"{API}/public/stats?from=2020-01-01&to=2026-01-01"), 400,
                 "validation", "to")


@test
def bench_data_counters_equal_brute_force_for_random_periods_and_subtrees(ctx):
    """The property over random histories: `motcua bench-data` makes thousands of dossiers with
    every kind of history it knows (supplements and their pauses, lapses, withdrawals,
    transfers, extensions, late and open ones) and writes their counters in bulk; Biểu 06 from
    those counters equals the brute-force recomputation from the dossiers, their event logs and
    due histories, for random periods (whole years, months, loose days, periods that cut
    through pauses) and random unit subtrees; `stats rebuild` gives the same rows; `verify`
    passes. SQLite only, like the simulated year (a fresh database of its own)."""
    if ctx.backend != "sqlite":
        return
    path = tempfile.mktemp(prefix="motcua-bench-stats-", suffix=".db")
    s = Server(ctx.bin, f"sqlite:{path}")
    try:
        out = s.cli("bench-data", "--dossiers", "4000", "--days", "500").stdout
        check("4000 dossiers" in out, out)
        # a second run onto the same file continues the ids and each unit-day's serials
        s.cli("bench-data", "--dossiers", "300", "--days", "500")
        s.cli("verify")
        s.cli("user", "add", "bench.ld", "--role", "leader", "--unit", "000.00.00.H34",
              stdin="bench.ld-Pass-1\n")
        ds = load_history(s)
        eq(len(ds), 4300, "every dossier counted")
        kinds = {st for d in ds.values() for (_, st) in d["events"]}
        for k in ("waiting_supplement", "withdrawn", "lapsed", "returned", "processing"):
            check(k in kinds, f"a history went through {k}")
        check(int(s.sql("SELECT COUNT(*) FROM dossier_step WHERE transferred = 1")) > 50,
              "transfers")
        check(int(s.sql("SELECT COUNT(*) FROM dossier_due WHERE reason LIKE 'Gia hạn%'")) > 10,
              "extensions")
        check(sum(1 for d in ds.values() if d["cls"] == "late") > 100, "late ones")
        before = counters(s)
        remembered = "SELECT id, stat_recv_day, stat_res_day, stat_res_class, stat_ov_day " \
                     "FROM dossier ORDER BY id"
        mem = rows(s, remembered)
        s.start()
        c = s.client()
        eq(c.login("bench.ld", "bench.ld-Pass-1").status, 200, "login")
        us = units(s)
        rng = random.Random(7)
        today = datetime.datetime.now(VN).date()
        first = min(d["recv"] for d in ds.values())
        last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
        periods = [(first, today), (today.replace(month=1, day=1), today),
                   (last_month_end.replace(day=1), last_month_end),
                   (today.replace(day=1), today)]
        # days inside a supplement pause: overdue must not count them
        paused = [d for d in ds.values()
                  if any(st == "waiting_supplement" for (_, st) in d["events"])]
        for d in rng.sample(paused, 4):
            t = [t for (t, st) in d["events"] if st == "waiting_supplement"][0]
            periods.append((t - datetime.timedelta(days=rng.randrange(0, 40)), t))
        for _ in range(26):
            a = first + datetime.timedelta(days=rng.randrange(-30, 520))
            periods.append((a, a + datetime.timedelta(days=rng.choice(
                (0, 1, rng.randrange(2, 40), rng.randrange(40, 400))))))
        for i, (a, b) in enumerate(periods):
            code, upath = us[0] if i % 4 == 0 else rng.choice(us)
            compare(s, c, ds, code, upath, a.isoformat(), b.isoformat())
        s.stop()
        s.cli("stats", "rebuild")
        eq(counters(s), before, "the counters written in bulk are what a rebuild makes")
        eq(rows(s, remembered), mem, "each dossier remembers what it contributed, as a rebuild "
           "does (live transitions write only the difference)")
    finally:
        s.stop()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.unlink(path + suffix)
