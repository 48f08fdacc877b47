"""The procedure catalogue: the seed, versions and diffs, the national import, search, bad input.

Runs after the demo is loaded (with the seed catalogue of data/procedures/). The national
records are read from MOTCUA_SHARED (default ../shared, relative to the repository root).
The tests run in file order: the seed's history is checked before the import changes it.
"""
import copy
import json
import os
import re
import urllib.parse

from harness import Fail, check, eq, expect_error, test

API = "/api/v1"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(ROOT, os.environ.get("MOTCUA_SHARED", "../shared"))
RAW = os.path.join(SHARED, "data/tthc_dvcqg_chatbot_tthc/raw_bo-tu-phap")
LISTS = os.path.join(SHARED, "data/tthc_dvcqg_chatbot_tthc/lists")

STEP_ROLES = {"receiver", "specialist", "dept_head", "leader", "clerk", "cashier"}
DEMO_KINDS = {"commune", "department", "service_centre", "province"}


def admin(ctx):
    c = ctx.server.client()
    eq(c.login("admin", ctx.logins["admin"]).status, 200, "admin login")
    return c


def search(ctx, **params):
    r = ctx.server.client().get(f"{API}/procedures?" + urllib.parse.urlencode(params))
    eq(r.status, 200, f"search {params} {r}")
    return r.json


def entry(ctx, code, version=None):
    q = f"?version={version}" if version else ""
    r = ctx.server.client().get(f"{API}/procedures/{code}{q}")
    eq(r.status, 200, f"GET {code} {r}")
    return r.json


def count(ctx, table, where=""):
    return int(ctx.server.sql(f"SELECT COUNT(*) FROM {table} {where}"))


def legal_budget(e):
    """The working minutes the shortest offered legal time allows a workflow."""
    best = None
    for ch in (e["channels"] or {}).values():
        if not ch or ch["time_minutes"] is None:
            continue
        m = ch["time_minutes"]
        if ch["time_unit"] == "calendar_days":
            m = m // 1440 * 480
        best = m if best is None else min(best, m)
    return best


# ---- the seed catalogue -------------------------------------------------------------------

@test
def seed_catalogue_has_forty_routable_procedures(ctx):
    items = search(ctx, limit=500)["items"]
    check(len(items) >= 40, f"only {len(items)} procedures after the demo")
    levels = set()
    for it in items:
        e = entry(ctx, it["code"])
        levels.update(e["levels"])
        check(e["cases"], f"{it['code']}: no case")
        for case in e["cases"]:
            steps = case["workflow"]
            check(steps, f"{it['code']}: no workflow")
            for s in steps:
                check(s["role"] in STEP_ROLES, f"{it['code']}: role {s['role']}")
                check(s["unit_kind"] in DEMO_KINDS, f"{it['code']}: unit kind {s['unit_kind']}")
            total = sum(s["minutes"] for s in steps)
            budget = legal_budget(e)
            check(budget is None or total <= budget, f"{it['code']}: {total} > {budget}")
        check(e["source"] == "seed", f"{it['code']} source {e['source']}")
    check({"commune", "province"} <= levels, f"levels {levels}")
    ks = entry(ctx, "1.001193")
    eq(ks["name"], "Thủ tục đăng ký khai sinh", "name")
    eq(ks["cutoff"], "15:00", "cut-off")
    eq(ks["channels"]["direct"]["time_minutes"], 480, "one working day")
    eq(ks["field"], {"code": "ho-tich", "name": "Hộ tịch"}, "field")
    # the province-level entries name a demo unit as competent
    lltp = entry(ctx, "1.002010")
    check(lltp["competent_unit_id"], "competent unit resolved")


@test
def seed_history_shows_the_twenty_percent_cut(ctx):
    r = ctx.server.client().get(f"{API}/procedures/1.004884/versions")
    eq(r.status, 200, f"versions {r}")
    vs = r.json["items"]
    check(len(vs) >= 2, f"versions {vs}")
    eq(vs[0]["channels"]["direct"]["time_minutes"], 5 * 480, "v1 time")
    eq(vs[1]["channels"]["direct"]["time_minutes"], 4 * 480, "v2 time")
    check("20%" in vs[1]["note"], vs[1]["note"])
    d = ctx.server.client().get(f"{API}/procedures/1.004884/diff?from=1&to=2").json
    ch = {c["field"]: c for c in d["changes"]}
    eq(ch["channels.direct.time_minutes"]["change_pct"], -20.0, "direct time -20 %")
    eq(ch["channels.online.time_minutes"]["change_pct"], -20.0, "online time -20 %")
    eq(ch["decision"]["to"], "2591/QĐ-UBND", "decision of the new version")
    # the old version is still readable as it was
    eq(entry(ctx, "1.004884", 1)["channels"]["direct"]["time_minutes"], 2400, "v1 kept")


# ---- writing versions ---------------------------------------------------------------------

def base_entry(code="9.900001"):
    return {
        "code": code,
        "name": "Thủ tục thử nghiệm cấp phép biển hiệu",
        "field_code": "ho-tich",
        "levels": ["commune"],
        "decision": "1/QĐ-THU",
        "effective_from": "2026-01-01",
        "online_mode": "partial",
        "cutoff": "16:00",
        "channels": {
            "direct": {"time": "10 ngày làm việc", "fee": 100000, "fee_text": "100.000 đồng"},
            "online": {"time_unit": "working_days", "time_minutes": 4800, "fee": 50000},
            "postal": None,
        },
        "cases": [{
            "name": "Trường hợp chung",
            "components": [{"name": "Đơn đề nghị", "originals": 1, "copies": 0},
                           {"name": "Bản sao giấy tờ tùy thân", "originals": 0, "copies": 1}],
            "workflow": [
                {"name": "Tiếp nhận", "role": "receiver", "unit_kind": "commune", "minutes": 60},
                {"name": "Thẩm định", "role": "specialist", "unit_kind": "commune", "minutes": 4000},
                {"name": "Ký duyệt", "role": "leader", "unit_kind": "commune", "minutes": 480},
                {"name": "Trả kết quả", "role": "receiver", "unit_kind": "commune", "minutes": 60},
            ],
        }],
    }


@test
def new_versions_keep_the_old_ones(ctx):
    c = admin(ctx)
    body = base_entry()
    r = c.post(f"{API}/procedures", body)
    eq(r.status, 201, f"create {r}")
    eq(r.json["outcome"], "added", "outcome")
    eq(r.json["version"], 1, "version 1")
    v1 = r.json
    eq(v1["channels"]["direct"]["time_unit"], "working_days", "unit from text")
    eq(v1["channels"]["direct"]["time_minutes"], 4800, "minutes from text")
    eq(v1["channels"]["postal"], None, "postal not offered")
    case_id = v1["cases"][0]["id"]
    comp_ids = [m["id"] for m in v1["cases"][0]["components"]]

    # the same content again: nothing changes
    r = c.post(f"{API}/procedures", body)
    eq(r.status, 200, f"same again {r}")
    eq(r.json["outcome"], "unchanged", "outcome")
    eq(r.json["version"], 1, "still version 1")

    # simplified: time cut by 20 %, fee cut, a new decision
    body2 = copy.deepcopy(body)
    body2["channels"]["direct"] = {"time": "8 ngày làm việc", "fee": 80000, "fee_text": "80.000 đồng"}
    body2["channels"]["online"]["time_minutes"] = 3840
    body2["decision"] = "2/QĐ-THU"
    body2["effective_from"] = "2026-06-01"
    body2["note"] = "Đơn giản hóa: cắt giảm 20% thời gian"
    body2["cases"][0]["workflow"][1]["minutes"] = 3000
    r = c.post(f"{API}/procedures", body2)
    eq(r.status, 201, f"new version {r}")
    eq(r.json["outcome"], "updated", "outcome")
    eq(r.json["version"], 2, "version 2")
    ch = {x["field"]: x for x in r.json["changes"]}
    eq(ch["channels.direct.time_minutes"]["change_pct"], -20.0, "time change")
    eq(ch["channels.direct.fee"]["from"], "100000", "fee from")
    eq(ch["channels.direct.fee"]["to"], "80000", "fee to")
    eq(ch["channels.direct.fee"]["change_pct"], -20.0, "fee change")

    # version 1 is intact, rows and all: a dossier received under it keeps it
    old = entry(ctx, "9.900001", 1)
    eq(old["version_id"], v1["version_id"], "version row id")
    eq(old["channels"]["direct"]["time_minutes"], 4800, "old time")
    eq(old["cases"][0]["id"], case_id, "case row id")
    eq([m["id"] for m in old["cases"][0]["components"]], comp_ids, "component row ids")
    eq(old["decision"], "1/QĐ-THU", "old decision")
    cur = entry(ctx, "9.900001")
    eq(cur["version"], 2, "in force")
    check(cur["cases"][0]["id"] != case_id, "a new version has its own case rows")
    hist = ctx.server.client().get(f"{API}/procedures/9.900001/versions").json["items"]
    eq([h["version"] for h in hist], [1, 2], "history")
    eq(hist[1]["effective_from"], "2026-06-01", "effective date")
    eq(hist[1]["decision"], "2/QĐ-THU", "decision")
    d = ctx.server.client().get(f"{API}/procedures/9.900001/diff?from=1").json
    eq(d["to"], 2, "diff to the version in force")
    check(any(x["field"] == "channels.online.time_minutes" and x["change_pct"] == -20.0
              for x in d["changes"]), d)
    # the audit log has both
    eq(count(ctx, "audit_log", "WHERE object_id = '9.900001'"), 2, "audited")


@test
def writes_need_an_admin(ctx):
    expect_error(ctx.server.client().post(f"{API}/procedures", base_entry("9.900002")), 401,
                 "unauthenticated")
    c = ctx.server.client()
    eq(c.login("tn.nhatrang", ctx.logins["tn.nhatrang"]).status, 200, "receiver login")
    expect_error(c.post(f"{API}/procedures", base_entry("9.900002")), 403, "forbidden")
    expect_error(c.post(f"{API}/procedures/import", raw=b"[]",
                        headers={"Content-Type": "application/json"}), 403, "forbidden")
    eq(count(ctx, "procedure", "WHERE code = '9.900002'"), 0, "nothing written")


@test
def bad_entries_are_refused_whole(ctx):
    c = admin(ctx)
    versions_before = count(ctx, "procedure_version")
    steps_before = count(ctx, "procedure_step")

    long = base_entry("9.900003")
    long["cases"][0]["workflow"][1]["minutes"] = 4800  # 60+4800+480+60 > 4800
    err = expect_error(c.post(f"{API}/procedures", long), 400, "validation", "cases[0].workflow")
    check("online" in err["message"] or "direct" in err["message"], err)

    neg = base_entry("9.900003")
    neg["channels"]["direct"]["fee"] = -5000
    expect_error(c.post(f"{API}/procedures", neg), 400, "validation", "channels.direct.fee")

    unknown = base_entry("9.900003")
    unknown["field_code"] = "khong-co-linh-vuc-nay"
    expect_error(c.post(f"{API}/procedures", unknown), 400, "validation", "field_code")

    role = base_entry("9.900003")
    role["cases"][0]["workflow"][0]["role"] = "admin"
    expect_error(c.post(f"{API}/procedures", role), 400, "validation",
                 "cases[0].workflow[0].role")

    code = base_entry("abc")
    expect_error(c.post(f"{API}/procedures", code), 400, "validation", "code")

    unit = base_entry("9.900003")
    unit["cases"][0]["workflow"][0]["unit_id"] = 999999
    expect_error(c.post(f"{API}/procedures", unit), 400, "validation",
                 "cases[0].workflow[0].unit_id")

    eq(count(ctx, "procedure", "WHERE code = '9.900003'"), 0, "no procedure")
    eq(count(ctx, "procedure_version"), versions_before, "no version")
    eq(count(ctx, "procedure_step"), steps_before, "no step")


# ---- the national import ------------------------------------------------------------------

def import_cli(ctx, *paths, dry_run=False):
    args = ["import", "procedures", *paths] + (["--dry-run"] if dry_run else [])
    p = ctx.server.cli(*args, check_rc=False)
    lines = [l for l in p.stdout.splitlines()
             if re.match(r"^(added|updated|unchanged|rejected) ", l)]
    m = re.search(r"(\d+) added, (\d+) updated \(new version\), (\d+) unchanged, (\d+) rejected",
                  p.stdout)
    check(m, f"no reconciliation line: {p.stdout[-500:]} {p.stderr[-500:]}")
    totals = dict(zip(("added", "updated", "unchanged", "rejected"), map(int, m.groups())))
    return p, lines, totals


@test
def import_all_271_national_records(ctx):
    files = sorted(f for f in os.listdir(RAW) if f.endswith(".json"))
    eq(len(files), 271, "the fixture")
    p, lines, t = import_cli(ctx, RAW)
    eq(len(lines), 271, f"one report line per record: {p.stdout[-300:]}")
    eq(sum(t.values()), 271, f"totals {t}")
    for line in lines:
        if line.startswith("rejected"):
            check(re.search(r"  \S", line.split(" ", 3)[-1]), f"rejected without a reason: {line}")
    check(t["added"] >= 200, f"totals {t}")
    # the seed's procedures that the national database also lists got a new version
    check(t["updated"] >= 10, f"totals {t}")
    eq(p.returncode, 1 if t["rejected"] else 0, "exit status")
    eq(count(ctx, "procedure", "WHERE code IN ('1.000080', '3.000444', '2.001406')"), 3, "landed")


@test
def reimporting_changes_nothing(ctx):
    before = count(ctx, "procedure_version")
    p, lines, t = import_cli(ctx, RAW)
    eq(t["added"] + t["updated"], 0, f"re-import {t}")
    eq(t["unchanged"], 271, f"re-import {t}")
    eq(count(ctx, "procedure_version"), before, "no version written")


@test
def the_national_import_keeps_local_workflows(ctx):
    # 1.001193 was seeded with a workflow; the national record has none
    e = entry(ctx, "1.001193")
    check(e["version"] >= 2 and e["source"] == "national", f"v{e['version']} {e['source']}")
    steps = e["cases"][0]["workflow"]
    check(len(steps) == 4 and steps[0]["role"] == "receiver", steps)
    eq(e["cutoff"], "15:00", "cut-off")


# Expectations read off the files in raw_bo-tu-phap (cach_thuc_thuc_hien, thanh_phan_ho_so).
NATIONAL = {
    # code: (name, levels, field_code, {channel: (unit, minutes, fee)} (absent: not offered),
    #        component count)
    "1.000390": ("Cấp lại thẻ tư vấn viên pháp luật", ["province"], "tu-van-phap-luat",
                 {"direct": ("working_days", 2400, 0), "online": ("working_days", 2400, 0),
                  "postal": ("working_days", 2400, 0)}, 3),
    "1.001162": ("Miễn nhiệm giám định viên tư pháp", ["ministry"], "giam-dinh-tu-phap",
                 {"direct": ("calendar_days", 14400, 0)}, 2),
    "1.001609": ("Thay đổi nội dung Giấy phép thành lập của Chi nhánh của Tổ chức trọng tài "
                 "nước ngoài tại Việt Nam", ["province"], "trong-tai-thuong-mai",
                 {"direct": ("working_days", 4800, 4000000),
                  "online": ("working_days", 4800, 4000000),
                  "postal": ("working_days", 4800, 4000000)}, 3),
    "1.002010": ("Đăng ký hoạt động của tổ chức hành nghề luật sư", ["province"], "luat-su",
                 {"direct": ("working_days", 3360, 50), "online": ("working_days", 3360, 50),
                  "postal": ("working_days", 3360, 50)}, 3),
    "1.013805": ("Miễn nhiệm công chứng viên (trường hợp được miễn nhiệm)", ["province"],
                 "cong-chung", {"direct": ("working_days", 480, 0), "online": (None, None, 0),
                                "postal": ("working_days", 480, 0)}, 1),
    "1.001117": ("Cấp lại Giấy đăng ký hoạt động của Văn phòng giám định tư pháp trong trường "
                 "hợp Giấy đăng ký hoạt động bị hư hỏng hoặc bị mất", ["province"],
                 "giam-dinh-tu-phap",
                 {"direct": ("working_days", 1440, 0), "online": ("working_days", 1440, None),
                  "postal": ("working_days", 1440, 0)}, 1),
    "1.000532": ("Thủ tục Gia hạn giấy phép hoạt động của tổ chức con nuôi nước ngoài tại Việt "
                 "Nam", ["ministry"], "nuoi-con-nuoi",
                 {"direct": ("calendar_days", 72000, 35000000),
                  "postal": ("calendar_days", 72000, 35000000)}, 4),
    "2.000815": (None, ["commune", "other"], "chung-thuc",
                 {"direct": (None, None, 2000)}, 1),
    "1.008709": ("Chuyển đổi công ty luật trách nhiệm hữu hạn và công ty luật hợp danh, "
                 "chuyển đổi văn phòng luật sư thành công ty luật", ["province"], "luat-su",
                 {"direct": ("working_days", 3360, 0), "online": ("working_days", 3360, 0),
                  "postal": ("working_days", 3360, 0)}, 3),
    "1.004757": ("Trở lại quốc tịch Việt Nam ở nước ngoài", ["ministry"], "quoc-tich",
                 {"direct": ("working_days", 480, 200), "online": ("working_days", 480, 200),
                  "postal": ("working_days", 480, 200)}, 10),
    "1.003213": (None, ["ministry"], "nuoi-con-nuoi",
                 {"direct": (None, None, None), "online": (None, None, None),
                  "postal": (None, None, None)}, 10),
    "1.001193": ("Thủ tục đăng ký khai sinh", ["commune"], "ho-tich",
                 {"direct": ("working_days", 480, 0), "online": ("working_days", 480, 0),
                  "postal": ("working_days", 480, 0)}, 33),
}


@test
def twelve_national_records_field_by_field(ctx):
    for code, (name, levels, field, chans, ncomp) in NATIONAL.items():
        e = entry(ctx, code)
        eq(e["code"], code, "code")
        if name:
            eq(e["name"], name, f"{code} name")
        eq(e["levels"], levels, f"{code} levels")
        eq(e["field_code"], field, f"{code} field")
        for ch in ("direct", "online", "postal"):
            got = e["channels"][ch]
            if ch not in chans:
                eq(got, None, f"{code} {ch} not offered")
                continue
            unit, minutes, fee = chans[ch]
            check(got is not None, f"{code} {ch} offered")
            eq((got["time_unit"], got["time_minutes"], got["fee"]), (unit, minutes, fee),
               f"{code} {ch} time and fee")
            if minutes is not None:
                check(got["time_text"], f"{code} {ch} keeps the published time text")
        eq(sum(len(c["components"]) for c in e["cases"]), ncomp, f"{code} components")
    # the published texts are kept beside the numbers
    e = entry(ctx, "1.004757")
    eq(e["channels"]["direct"]["fee_text"], "200 VNĐ", "fee text")
    e = entry(ctx, "1.001609")
    eq(e["cases"][0]["components"][0]["form"], "Mẫu số 06-PLIII-TTTM.docx", "form template")
    check(e["cases"][0]["components"][0]["has_eform"], "has a form")
    e = entry(ctx, "2.000815")
    check(e["channels"]["direct"]["fee_text"].startswith("2,000 Việt Nam Đồng"), "fee text")
    check("USD" in e["channels"]["direct"]["fee_text"], "both rows kept")
    e = entry(ctx, "1.003213")
    eq(e["executing_agency"], e["competent_agency"], "agency fallback")


@test
def dry_run_reports_without_writing(ctx):
    before = count(ctx, "procedure_version")
    xlsx = os.path.join(LISTS, "danh-sach-tthc-BoTuPhap.xlsx")
    p, lines, t = import_cli(ctx, xlsx, dry_run=True)
    eq(sum(t.values()), 271, f"one line per list row {t}")
    check(t["updated"] > 0, f"the list differs from the records somewhere {t}")
    check("dry run: nothing written" in p.stdout, p.stdout[-200:])
    eq(count(ctx, "procedure_version"), before, "nothing written")
    upd = [l for l in lines if l.startswith("updated")]
    check(upd, "an updated line")
    # what would change is printed under the line
    i = p.stdout.splitlines().index(upd[0])
    check(p.stdout.splitlines()[i + 1].startswith("          "), "changes listed")


@test
def import_over_http_reconciles(ctx):
    c = admin(ctx)
    recs = []
    for code in ("1.000094", "1.000110", "1.004884"):
        with open(os.path.join(RAW, code + ".json"), encoding="utf-8") as f:
            recs.append(json.load(f))
    recs[0] = dict(recs[0], ma_thu_tuc="9.900010", ten_thu_tuc="Thủ tục nhập thử qua API")
    body = json.dumps(recs, ensure_ascii=False).encode()
    hdr = {"Content-Type": "application/json"}
    r = c.post(f"{API}/procedures/import?dry_run=1", raw=body, headers=hdr)
    eq(r.status, 200, f"dry run {r}")
    eq(r.json["dry_run"], True, "dry run")
    eq(r.json["added"], 1, f"would add {r.json}")
    eq(count(ctx, "procedure", "WHERE code = '9.900010'"), 0, "dry run writes nothing")
    r = c.post(f"{API}/procedures/import", raw=body, headers=hdr)
    eq(r.status, 200, f"import {r}")
    eq([x["outcome"] for x in r.json["records"]], ["added", "unchanged", "unchanged"],
       f"outcomes {r.json}")
    r = c.post(f"{API}/procedures/import", raw=body, headers=hdr)
    eq(r.json["unchanged"], 3, f"again {r.json}")


@test
def malformed_and_duplicate_records_are_reported(ctx):
    c = admin(ctx)
    hdr = {"Content-Type": "application/json"}
    before = count(ctx, "procedure_version")
    # a file that is not JSON at all
    expect_error(c.post(f"{API}/procedures/import", raw=b'[{"ma_thu_tuc": "1.0', headers=hdr),
                 400, "validation", "file")
    with open(os.path.join(RAW, "1.000390.json"), encoding="utf-8") as f:
        good = json.load(f)
    recs = [
        dict(good, ma_thu_tuc="9.900020", ten_thu_tuc="Bản ghi trùng mã A"),
        dict(good, ma_thu_tuc="9.900021", ten_thu_tuc="Bản ghi tốt"),
        dict(good, ma_thu_tuc="9.900020", ten_thu_tuc="Bản ghi trùng mã B"),
        dict(good, ma_thu_tuc="9.900022", linh_vuc="Lĩnh vực không tồn tại"),
        dict(good, ma_thu_tuc="9.900023", cach_thuc_thuc_hien=12),
        dict(good, ma_thu_tuc="9.900024", cach_thuc_thuc_hien="Không có thông tin"),
        "not an object",
        {"code": "9.900025", "name": "Của ta", "field_code": "ho-tich",
         "channels": {"direct": {"time": "5 ngày làm việc", "fee": -1}}},
    ]
    r = c.post(f"{API}/procedures/import", raw=json.dumps(recs, ensure_ascii=False).encode(),
               headers=hdr)
    eq(r.status, 200, f"import {r}")
    out = r.json["records"]
    eq([x["outcome"] for x in out],
       ["rejected", "added", "rejected", "rejected", "rejected", "rejected", "rejected",
        "rejected"], f"outcomes {out}")
    check("more than once" in out[0]["reason"] and "records 1 and 3" in out[0]["reason"], out[0])
    check("lần" in out[2]["reason_vi"], out[2])
    eq(out[3]["field"], "field_code", f"unknown field {out[3]}")
    eq(out[4]["field"], "cach_thuc_thuc_hien", f"not a string {out[4]}")
    check("no channel" in out[5]["reason"], out[5])
    eq(out[6]["field"], "record", out[6])
    eq(out[7]["field"], "channels.direct.fee", f"negative fee {out[7]}")
    eq(count(ctx, "procedure", "WHERE code IN ('9.900020','9.900022','9.900023','9.900024',"
                               "'9.900025')"), 0, "no rejected record saved")
    eq(count(ctx, "procedure_version"), before + 1, "only the good record")


@test
def csv_import_rejects_per_record(ctx):
    c = admin(ctx)
    csv = (
        "code,name,field_code,levels,direct_time,direct_fee,online_time,online_fee,components\n"
        "9.900030,Thủ tục CSV một,ho-tich,Cấp xã,5 ngày làm việc,\"50.000 đồng\",3 ngày làm việc,0,"
        "\"Tờ khai (1 bản chính); Bản sao CCCD (1 bản sao)\"\n"
        "9.900031,Phí âm,ho-tich,commune,5 ngày làm việc,-5000,,,\n"
        "9.900032,Lĩnh vực lạ,khong-co,commune,5 ngày làm việc,0,,,\n"
        "9.900033,Thời hạn lạ,ho-tich,commune,sớm nhất có thể,0,,,\n"
        "9.900034,Thiếu cột,ho-tich\n"
    ).encode()
    r = c.post(f"{API}/procedures/import", raw=csv, headers={"Content-Type": "text/csv"})
    eq(r.status, 200, f"csv {r}")
    out = r.json["records"]
    eq([x["outcome"] for x in out], ["added", "rejected", "rejected", "rejected", "rejected"],
       f"outcomes {out}")
    eq(out[1]["field"], "channels.direct.fee", out[1])
    eq(out[2]["field"], "field_code", out[2])
    eq(out[3]["field"], "direct_time", out[3])
    eq(out[4]["field"], "row", out[4])
    e = entry(ctx, "9.900030")
    eq(e["channels"]["direct"]["fee"], 50000, "fee")
    eq(e["channels"]["online"]["time_minutes"], 1440, "online time")
    eq(e["channels"]["postal"], None, "postal")
    eq([(m["name"], m["originals"], m["copies"]) for m in e["cases"][0]["components"]],
       [("Tờ khai", 1, 0), ("Bản sao CCCD", 0, 1)], "components")
    eq(e["levels"], ["commune"], "levels")
    # a header it does not know
    expect_error(c.post(f"{API}/procedures/import", raw=b"code,name,colour\n1,2,3\n",
                        headers={"Content-Type": "text/csv"}), 400, "validation", "file")


# ---- search -------------------------------------------------------------------------------

QUERIES = [  # (what a citizen types, the procedure that must come first)
    ("khai sinh", "1.001193"),
    ("dang ky ket hon", "1.000894"),
    ("dang ky khai tu", "1.000656"),
    ("sua loi sai sot giao dich", "2.000927"),
    ("tam tru", "1.004194"),
    ("giay phep xay dung nha o", "1.009994.H34"),
    ("cap doi the can cuoc", "1.014063"),
    ("ly lich tu phap", "3.000333"),
    ("nhan cha me con", "1.001022"),
    ("tro cap xa hoi", "1.001776"),
    ("chứng thực bản sao", "2.000815"),
    ("đăng ký thường trú", "1.004222"),
    ("hộ kinh doanh", "1.001612"),
    ("cấp lại giấy chứng nhận bị mất", "1.012786"),
    ("xác nhận tình trạng hôn nhân", "1.004873"),
    ("trích lục hộ tịch", "2.000635"),
    ("chứng thực di chúc", "2.001019"),
    ("đăng ký lại khai sinh", "1.004884"),
    ("chấm dứt hộ kinh doanh", "1.001266"),
    ("đăng ký giám hộ", "1.004837"),
]


@test
def search_twenty_queries(ctx):
    plain = sum(1 for q, _ in QUERIES if q.isascii())
    check(len(QUERIES) == 20 and plain >= 10, "twenty queries, half without diacritics")
    wrong = []
    for q, want in QUERIES:
        items = search(ctx, q=q, limit=5)["items"]
        got = items[0]["code"] if items else None
        if got != want:
            wrong.append((q, want, [(i["code"], i["name"][:50]) for i in items[:3]]))
    check(not wrong, f"first results: {wrong}")


@test
def search_ignores_diacritics_case_and_word_ends(ctx):
    for q in ("dang ky khai sinh", "đăng ký khai sinh", "khai sinh", "DANG KY KHAI SINH",
              "Đăng Ký Khai Sinh", "dang ky khai si", "đăng kí khai sinh", "1.001193"):
        items = search(ctx, q=q, limit=3)["items"]
        check(items and items[0]["code"] == "1.001193", f"{q!r}: {items[:2]}")
    items = search(ctx, q="chung thuc ban sao", limit=5)["items"]
    eq(items[0]["code"], "2.000815", "prefix words")
    check(all("sao" in i["name"].lower() for i in items[:3]), items[:3])


@test
def search_forgives_a_typo(ctx):
    for q, want in (("khai sihn", "1.001193"), ("dang ky ket hom", "1.000894"),
                    ("chung thuc di chuc", "2.001019"), ("dang ky thuong tur", "1.004222"),
                    ("dăng ký khia sinh", "1.001193")):
        items = search(ctx, q=q, limit=3)["items"]
        check(items and items[0]["code"] == want, f"{q!r}: {items[:2]}")
    eq(search(ctx, q="xyzzyqwv")["items"], [], "nothing like it")


def fold(s):
    import unicodedata
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn").lower()
    return " " + " ".join(re.findall(r"[a-z0-9]+", s)) + " "


@test
def search_ranks_name_then_field_then_text(ctx):
    fields = {f["code"]: f["name"] for f in
              ctx.server.client().get(f"{API}/fields").json["items"]}
    items = search(ctx, q="ho tich", limit=500)["items"]

    def tier(it):
        words = ("ho", "tich")
        name, field = fold(it["name"]), fold(fields[it["field_code"]])
        if all(f" {w}" in name for w in words):
            return 0
        if all(f" {w}" in name or f" {w}" in field for w in words):
            return 1
        return 2
    tiers = [tier(i) for i in items]
    eq(tiers, sorted(tiers), "name matches, then field matches, then text matches")
    check(0 in tiers and 1 in tiers, f"tiers {set(tiers)}")
    # within the name matches, the phrase and the shorter name first
    eq(items[0]["code"], "2.002516", "Thủ tục xác nhận thông tin hộ tịch comes first")


@test
def search_filters_and_pages(ctx):
    all_items = search(ctx, q="dang ky", limit=500)["items"]
    check(len(all_items) > 30, f"{len(all_items)}")
    seen, cursor = [], None
    while True:
        params = {"q": "dang ky", "limit": 7}
        if cursor:
            params["cursor"] = cursor
        page = search(ctx, **params)
        seen += [i["code"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    eq(seen, [i["code"] for i in all_items], "keyset pages = one big page")
    # without q: by code, also paged
    codes, cursor = [], None
    for _ in range(100):
        page = search(ctx, limit=200, **({"cursor": cursor} if cursor else {}))
        codes += [i["code"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    eq(codes, sorted(codes), "browse by code")
    eq(len(codes), len(set(codes)), "no duplicates")
    for it in search(ctx, q="dang ky", field="ho-tich", level="commune", limit=500)["items"]:
        eq(it["field_code"], "ho-tich", "field filter")
        check("commune" in it["levels"], "level filter")
    full = search(ctx, q="dang ky", online="full", limit=500)["items"]
    check(full and all(i["online_mode"] == "full" for i in full), "online filter")
    stp = search(ctx, agency="so tu phap", limit=500)["items"]
    check(stp, "agency words")
    unit_items = search(ctx, agency=str(entry(ctx, "1.002010")["competent_unit_id"]),
                        limit=500)["items"]
    check("1.002010" in [i["code"] for i in unit_items], "agency by unit id")
    expect_error(ctx.server.client().get(f"{API}/procedures?level=xa"), 400, "validation",
                 "level")
    expect_error(ctx.server.client().get(f"{API}/procedures?q=a&cursor=zzz"), 400,
                 "validation", "cursor")
    expect_error(ctx.server.client().get(f"{API}/procedures?limit=501"), 400, "validation",
                 "limit")
    expect_error(ctx.server.client().get(f"{API}/procedures/9.999999"), 404, "not_found")


@test
def fields_are_listed(ctx):
    items = ctx.server.client().get(f"{API}/fields").json["items"]
    by = {f["code"]: f for f in items}
    eq(by["ho-tich"]["name"], "Hộ tịch", "name")
    check(by["ho-tich"]["procedures"] >= 40, by["ho-tich"])
    check(len(items) >= 140, f"{len(items)} fields")
