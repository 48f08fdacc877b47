"""Dossiers: intake on every channel, the workflow, pauses, extensions, transfers, the
authorization matrix, the code serial under concurrency, lookups, work lists, bad input."""
import os
import re
import threading
import urllib.parse

from harness import Fail, Server, check, eq, expect_error, test

API = "/api/v1"
PROC = "9.990001.T"   # a procedure of our own, so that times and steps are known
PROC_NO_POSTAL = "9.990002.T"

_clients = {}


def login(ctx, name):
    c = ctx.server.client()
    r = c.login(name, ctx.logins[name])
    eq(r.status, 200, f"login {name} {r}")
    return c


def entry(code, postal=True, minutes=1440):
    ch = {"time_unit": "working_days", "time_minutes": minutes, "fee": 0,
          "time_text": "03 ngày làm việc"}
    return {
        "code": code,
        "name": "Thủ tục thử nghiệm cấp xã (cấp giấy xác nhận)",
        "field_code": "ho-tich",
        "levels": ["commune"],
        "online_mode": "full",
        "channels": {"direct": dict(ch), "online": dict(ch),
                     "postal": dict(ch) if postal else None},
        "cases": [{
            "name": "Trường hợp chung",
            "components": [
                {"name": "Tờ khai theo mẫu", "originals": 1, "copies": 0, "required": True},
                {"name": "Bản sao giấy tờ tùy thân", "originals": 0, "copies": 1,
                 "required": False},
            ],
            "workflow": [
                {"name": "Thẩm định hồ sơ", "role": "specialist", "unit_kind": "commune",
                 "minutes": 960},
                {"name": "Phê duyệt kết quả", "role": "leader", "unit_kind": "commune",
                 "minutes": 480},
            ],
        }],
    }


def ensure_procedures(ctx):
    if getattr(ctx, "procs_ready", False):
        return
    a = login(ctx, "admin")
    for body in (entry(PROC), entry(PROC_NO_POSTAL, postal=False)):
        r = a.post(f"{API}/procedures", body)
        check(r.status in (200, 201), f"create test procedure {body['code']}: {r}")
    ctx.procs_ready = True


def applicant(**kw):
    p = {"kind": "person", "name": "Nguyễn Thị Hồng Nhung", "id_type": "cccd",
         "id_number": "079190001234", "birth_date": "1990-05-17",
         "address": "Số 12 đường Trần Phú, phường Nha Trang, tỉnh Khánh Hòa",
         "phone": "0905123456", "email": "nhung@example.vn"}
    p.update(kw)
    return p


def intake_body(**kw):
    b = {"procedure": PROC, "channel": "direct", "applicant": applicant(),
         "components": [{"name": "Tờ khai theo mẫu", "originals": 1, "copies": 0}],
         "delivery": {"method": "counter"}}
    b.update(kw)
    return b


def intake(ctx, who="tn.nhatrang", **kw):
    ensure_procedures(ctx)
    r = login(ctx, who).post(f"{API}/dossiers", intake_body(**kw))
    eq(r.status, 201, f"intake {r}")
    return r.json


def act(c, code, action, **kw):
    return c.post(f"{API}/dossiers/{code}/actions", dict(kw, action=action))


def count(ctx, table):
    return int(ctx.server.sql(f"SELECT COUNT(*) FROM {table}"))


@test
def counter_intake_and_a_full_life(ctx):
    d = intake(ctx)
    code = d["code"]
    check(re.fullmatch(r"001\.01\.00\.H34-\d{6}-\d{4}", code), f"code {code}")
    eq((d["status"], d["state"]), (2, "accepted"), "accepted at once")
    eq(d["procedure"]["code"], PROC, "procedure")
    eq(len(d["steps"]), 2, "two steps planned")
    check(d["lookup_token"] and len(d["lookup_token"]) == 12, d["lookup_token"])
    # the due date is the legal clock's: 3 working days from acceptance
    q = urllib.parse.urlencode({"from": d["received_at"], "working_days": 3,
                                "unit": d["competent_unit"]["id"]})
    clock = ctx.server.client().get(f"{API}/calendar/due?{q}").json
    eq(d["due_at"], clock["due"], "due date from the clock")
    check(d["steps"][1]["due_at"] <= d["due_at"], "steps due within the dossier's due")
    eq(d["step"]["role"], "specialist", "first step")
    ld = login(ctx, "ld.nhatrang")
    cv = login(ctx, "cv.nhatrang")
    r = act(ld, code, "assign", assignee="cv.nhatrang")
    eq((r.status, r.json["state"]), (200, "processing"), f"assign {r}")
    r = act(cv, code, "forward", note="Hồ sơ hợp lệ")
    eq(r.status, 200, f"forward {r}")
    eq(r.json["step"]["role"], "leader", "second step")
    expect_error(act(cv, code, "forward"), 409, "conflict", what="forward past the last step")
    r = act(ld, code, "finish", result_number="125/GXN-UBND", signer="Đỗ Văn Hải")
    eq((r.status, r.json["state"], r.json["status"]), (200, "result_ready", 9), f"finish {r}")
    eq(r.json["outcome"], "early", "finished before the due day")
    tn = login(ctx, "tn.nhatrang")
    r = act(tn, code, "return", recipient="Nguyễn Thị Hồng Nhung")
    eq((r.status, r.json["status"]), (200, 10), f"return {r}")
    check(r.json["returned_at"], "returned_at")
    err = expect_error(act(tn, code, "return", recipient="x"), 409, "conflict", "action")
    eq(err.get("allowed"), ["recall"], "allowed after return")
    events = [e["action"] for e in r.json["events"]]
    eq(events, ["receive", "assign", "forward", "finish", "return"], "event log")
    p = ctx.server.cli("verify")
    check("every chain intact" in p.stdout, p.stdout)
    # recall of a return made in error: 10 -> 9
    r = act(tn, code, "recall", reason="Trả nhầm người")
    eq(r.json["status"], 9, f"recall {r}")
    ctx.full_life_code = code


@test
def my_actions_follow_role_unit_and_state(ctx):
    # allowed_actions is what the state allows; my_actions what the caller may take now
    d = intake(ctx)
    code = d["code"]
    tn, ld, cv = login(ctx, "tn.nhatrang"), login(ctx, "ld.nhatrang"), login(ctx, "cv.nhatrang")
    mine = lambda c: c.get(f"{API}/dossiers/{code}").json["my_actions"]  # noqa: E731
    check("stop" in d["allowed_actions"] and "refuse" in d["allowed_actions"], d["allowed_actions"])
    check("refuse" in d["my_actions"] and "stop" not in d["my_actions"],
          f"the receiver's, in the intake's 201: {d['my_actions']}")
    m = mine(ld)
    check("stop" in m and "assign" in m and "refuse" not in m, f"the leader's: {m}")
    m = mine(cv)
    check("forward" in m and "stop" not in m and "return" not in m, f"the specialist's: {m}")
    act(ld, code, "assign", assignee="cv.nhatrang")
    act(cv, code, "forward")
    check("finish" in mine(ld) and "finish" not in mine(tn), "finish: the leader, not the receiver")
    act(ld, code, "finish", result_number="9/GXN")
    eq(mine(cv), [], "a specialist has nothing to do with a result ready")
    check("return" in mine(tn), "the receiver returns it")
    expect_error(login(ctx, "tn.camranh").get(f"{API}/dossiers/{code}"), 404, "not_found")


@test
def online_submission_accept_and_refuse(ctx):
    ensure_procedures(ctx)
    pub = ctx.server.client()
    body = intake_body(receiving_unit="001.01.00.H34")
    body.pop("channel")
    r = pub.post(f"{API}/public/dossiers", body)
    eq(r.status, 201, f"submit {r}")
    code, token = r.json["code"], r.json["lookup_token"]
    eq(r.json["status"], 1, "submitted")
    look = pub.get(f"{API}/lookup/{code}?token={token}")
    eq((look.status, look.json["status"]), (200, 1), f"lookup {look}")
    eq(look.json["due_at"], None, "no due date before acceptance")
    tn = login(ctx, "tn.nhatrang")
    r = act(tn, code, "accept")
    eq((r.status, r.json["status"], r.json["channel"]), (200, 2, "online"), f"accept {r}")
    check(r.json["due_at"] and r.json["received_at"], "clock started at acceptance")
    # another one, refused with a reason
    r = pub.post(f"{API}/public/dossiers", body)
    code2 = r.json["code"]
    expect_error(act(tn, code2, "refuse"), 400, "validation", "reason")
    r = act(tn, code2, "refuse", reason="Hồ sơ không thuộc thẩm quyền giải quyết")
    eq(r.json["status"], 3, f"refuse {r}")
    expect_error(act(tn, code2, "accept"), 409, "conflict")


@test
def postal_intake_and_postal_return(ctx):
    d = intake(ctx, channel="postal",
               delivery={"method": "postal", "address": "Thôn Phú Lộc, xã Diên Khánh"})
    eq(d["channel"], "postal", "channel")
    code = d["code"]
    ld, cv, tn = login(ctx, "ld.nhatrang"), login(ctx, "cv.nhatrang"), login(ctx, "tn.nhatrang")
    act(ld, code, "assign", assignee="cv.nhatrang")
    act(cv, code, "forward")
    act(ld, code, "finish", result_number="7/GXN")
    expect_error(act(tn, code, "return", recipient="Bưu điện", method="postal"), 400,
                 "validation", "postal_tracking")
    r = act(tn, code, "return", recipient="Bưu điện Diên Khánh", method="postal",
            postal_tracking="EB123456789VN")
    eq((r.json["delivery"]["postal_tracking"], r.json["delivery"]["postal_status"]),
       ("EB123456789VN", "sent"), f"postal return {r}")
    # the journey by post: forward only, each step an event, shown to the applicant
    post = lambda who, **kw: who.post(f"{API}/dossiers/{code}/postal", kw)  # noqa: E731
    expect_error(post(tn, status="sent"), 400, "validation", "status")
    expect_error(post(cv, status="in_transit"), 403, "forbidden")
    eq(post(tn, status="in_transit", note="Đã đến bưu cục Diên Khánh").status, 200, "transit")
    r = post(tn, status="delivered")
    eq((r.status, r.json["delivery"]["postal_status"]), (200, "delivered"), f"delivered {r}")
    expect_error(post(tn, status="failed"), 409, "conflict", "status")
    evs = [e for e in r.json["events"] if e["action"] == "postal"]
    eq(len(evs), 2, "two postal events in the chain")
    check("Đã phát thành công" in evs[-1]["note"], evs[-1])
    lk = ctx.server.client().get(
        f"{API}/lookup/{code}?id_number={d['applicant']['id_number']}")
    eq((lk.status, lk.json.get("postal_status_vi")), (200, "Đã phát thành công"), f"lookup {lk}")
    eq(ctx.server.cli("verify").returncode, 0, "chains intact")
    # a counter return has no postal journey
    d2 = intake(ctx)
    act(ld, d2["code"], "assign", assignee="cv.nhatrang")
    act(cv, d2["code"], "forward")
    act(ld, d2["code"], "finish", result_number="8/GXN")
    act(tn, d2["code"], "return", recipient="Chủ hồ sơ")
    expect_error(tn.post(f"{API}/dossiers/{d2['code']}/postal", {"status": "delivered"}), 409,
                 "conflict", "status")
    expect_error(login(ctx, "tn.nhatrang").post(
        f"{API}/dossiers", intake_body(procedure=PROC_NO_POSTAL, channel="postal")), 400,
        "validation", "channel", "a channel the procedure does not offer")


@test
def supplement_pauses_the_clock_and_twice_is_late(ctx):
    d = intake(ctx)
    code, token, due0 = d["code"], d["lookup_token"], d["due_at"]
    cv, ld = login(ctx, "cv.nhatrang"), login(ctx, "ld.nhatrang")
    expect_error(act(cv, code, "request_supplement"), 400, "validation", "items")
    r = act(cv, code, "request_supplement", items=["Bản sao giấy khai sinh có chứng thực",
                                                  "Ảnh 4x6"], period_days=15)
    eq((r.status, r.json["status"]), (200, 5), f"request {r}")
    check(r.json["paused_since"], "paused")
    pub = ctx.server.client()
    look = pub.get(f"{API}/lookup/{code}?id_number=079190001234").json
    eq(look["asked"]["kind"], "supplement", "lookup shows what is asked")
    check("Ảnh 4x6" in look["asked"]["items"], look["asked"])
    expect_error(act(cv, code, "forward"), 409, "conflict", what="forward while waiting")
    # the applicant supplies with the token: wrong token first
    r = pub.post(f"{API}/public/dossiers/{code}/actions", {"action": "supply", "token": "X" * 12})
    expect_error(r, 404, "not_found", what="wrong token")
    r = pub.post(f"{API}/public/dossiers/{code}/actions", {"action": "supply", "token": token})
    eq(r.status, 204, f"supply {r}")
    r = cv.get(f"{API}/dossiers/{code}")
    eq(r.json["status"], 4, "processing again")
    check(r.json["due_at"] >= due0, "due date never earlier after a pause")
    eq(r.json["paused_since"], None, "pause ended")
    # a second request: allowed, but the dossier counts as late
    act(cv, code, "request_supplement", items=["Giấy ủy quyền"])
    r = act(login(ctx, "tn.nhatrang"), code, "supply")
    eq(r.json["status"], 4, f"supplied at the counter {r}")
    act(cv, code, "forward")
    r = act(ld, code, "finish", result_number="9/GXN")
    eq(r.json["outcome"], "late", "two supplement requests make it late")
    due = cv.get(f"{API}/dossiers/{code}/due").json
    check(due["consistent"], f"the explanation recomputes the stored due date: {due}")


@test
def extension_is_drafted_then_approved_by_a_leader(ctx):
    d = intake(ctx)
    code = d["code"]
    cv, ld = login(ctx, "cv.nhatrang"), login(ctx, "ld.nhatrang")
    act(ld, code, "assign", assignee="cv.nhatrang")
    expect_error(act(cv, code, "extend", working_days=2), 400, "validation", "reason")
    expect_error(act(cv, code, "approve_extension"), 403, "forbidden",
                 what="a specialist approves")
    expect_error(act(ld, code, "approve_extension"), 409, "conflict", what="nothing drafted")
    r = act(cv, code, "extend", working_days=2, reason="Cần xác minh thông tin tại nơi cư trú")
    eq(r.status, 200, f"extend {r}")
    check(r.json["extension_pending"], "drafted")
    eq(r.json["due_at"], d["due_at"], "a draft moves nothing")
    r = act(ld, code, "approve_extension")
    check(r.json["due_at"] > d["due_at"], f"approved: {r.json['due_at']} vs {d['due_at']}")
    eq(len(r.json["due_history"]), 2, "due history")
    check("xác minh" in r.json["due_history"][1]["reason"], r.json["due_history"])
    due = cv.get(f"{API}/dossiers/{code}/due").json
    check(due["consistent"] and any(x["kind"] == "extension" for x in due["explain"]), due)


@test
def transfer_to_a_department_and_recall(ctx):
    d = intake(ctx)
    code = d["code"]
    cv, ld = login(ctx, "cv.nhatrang"), login(ctx, "ld.nhatrang")
    tp = login(ctx, "cv.tuphap")
    act(ld, code, "assign", assignee="cv.nhatrang")
    expect_error(tp.get(f"{API}/dossiers/{code}"), 404, "not_found", what="before transfer")
    expect_error(act(cv, code, "transfer", to_unit="000.00.02.H34"), 400, "validation",
                 "minutes")
    r = act(cv, code, "transfer", to_unit="000.00.02.H34", minutes=480,
            note="Xin ý kiến Sở Tư pháp")
    eq(r.status, 200, f"transfer {r}")
    eq(r.json["step"]["unit_name"], "Sở Tư pháp", "held by the department")
    eq(len(r.json["steps"]), 3, "a step was added")
    eq(tp.get(f"{API}/dossiers/{code}").status, 200, "the department sees it")
    expect_error(login(ctx, "cv.camranh").get(f"{API}/dossiers/{code}"), 404, "not_found",
                 what="another commune")
    r = act(cv, code, "recall", reason="Chuyển nhầm")
    eq((r.status, len(r.json["steps"]), r.json["step"]["seq"]), (200, 2, 1), f"recall {r}")
    act(cv, code, "transfer", to_unit="000.00.02.H34", minutes=480)
    act(tp, code, "assign", assignee="cv.tuphap")
    expect_error(act(cv, code, "recall"), 409, "conflict", what="recall after the other acted")
    r = act(tp, code, "forward", note="Đã cho ý kiến")
    eq((r.json["step"]["role"], r.json["step"]["unit_name"]),
       ("leader", "Ủy ban nhân dân phường Nha Trang"), f"back home {r}")


@test
def authorization_matrix_by_role_and_unit(ctx):
    d = intake(ctx)
    code = d["code"]
    act(login(ctx, "ld.nhatrang"), code, "assign", assignee="cv.nhatrang")
    outsiders = ["tn.camranh", "cv.camranh", "ld.camranh", "kiemtoan", "admin", "tn.tinh"]
    for name in outsiders:
        c = login(ctx, name)
        for action, kw in [("forward", {}), ("request_supplement", {"items": ["x"]}),
                           ("stop", {"reason": "x"}), ("withdraw", {}),
                           ("finish", {"result_number": "1"}), ("extend",
                                                                {"reason": "x",
                                                                 "working_days": 1})]:
            r = act(c, code, action, **kw)
            check(r.status in (403, 404), f"{name} may {action}: {r}")
    # inside the unit, the wrong role
    tn = login(ctx, "tn.nhatrang")
    expect_error(act(tn, code, "finish", result_number="1"), 403, "forbidden",
                 what="a receiver finishing")
    expect_error(act(tn, code, "stop", reason="x"), 403, "forbidden", what="a receiver stopping")
    # another specialist of the same unit may not act on a step assigned to a colleague
    ctx.server.cli("user", "add", "cv2.nhatrang", "--role", "specialist", "--unit",
                   "001.01.00.H34", stdin="Cv2-pass-123\n")
    cv2 = ctx.server.client()
    cv2.login("cv2.nhatrang", "Cv2-pass-123")
    expect_error(act(cv2, code, "forward"), 403, "forbidden", what="not the assignee")
    # the leader of the unit stops and resumes; the clock pauses
    ld = login(ctx, "ld.nhatrang")
    r = act(ld, code, "stop", reason="Chờ kết quả xác minh của cơ quan công an")
    eq(r.json["status"], 8, f"stop {r}")
    r = act(ld, code, "resume")
    eq(r.json["status"], 4, f"resume {r}")
    # the applicant withdraws at the counter: resolved on time, closed
    r = act(tn, code, "withdraw", reason="Công dân xin rút hồ sơ")
    eq((r.json["status"], r.json["outcome"]), (7, "on_time"), f"withdraw {r}")
    running = [st for st in r.json["steps"] if st["started_at"] and not st["finished_at"]]
    eq(running, [], "withdrawal closes the running step")
    expect_error(act(ld, code, "resume"), 409, "conflict", what="action on a closed dossier")


@test
def serial_is_gap_free_under_concurrent_intake(ctx):
    ensure_procedures(ctx)
    clients = [login(ctx, "tn.camranh") for _ in range(8)]
    codes, errors = [], []
    lock = threading.Lock()

    def worker(c, n):
        for _ in range(n):
            r = c.post(f"{API}/dossiers", intake_body())
            with lock:
                (codes.append(r.json["code"]) if r.status == 201 else errors.append(r))

    threads = [threading.Thread(target=worker, args=(c, 6)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(not errors, f"errors: {errors[:3]}")
    eq(len(set(codes)), 48, "48 distinct codes")
    by_day = {}
    for c in codes:
        _, day, serial = c.rsplit("-", 2)
        by_day.setdefault(day, []).append(int(serial))
    for day, serials in by_day.items():
        serials.sort()
        eq(serials, list(range(serials[0], serials[0] + len(serials))), f"no gap on {day}")
        first = int(ctx.server.sql(
            "SELECT COUNT(*) FROM dossier WHERE code LIKE '003.01.00.H34-%s-%%'" % day))
        eq(serials[-1], first, f"serials start at 1 on {day}")
    eq(ctx.server.cli("verify").returncode, 0, "chains")


@test
def lookup_is_private_and_throttled(ctx):
    d = intake(ctx)
    code = d["code"]
    s2 = Server(ctx.bin, ctx.db).start()   # the failure counter is per address and process
    try:
        pub = s2.client()
        ok = pub.get(f"{API}/lookup/{code}?id_number=079190001234")
        eq(ok.status, 200, f"lookup {ok}")
        check("applicant" not in ok.json and "events" not in ok.json, "no private data")
        wrong = expect_error(pub.get(f"{API}/lookup/{code}?id_number=079190009999"), 404,
                             "not_found")
        missing = expect_error(pub.get(f"{API}/lookup/000.00.00.H34-990101-0001"
                                       "?id_number=079190001234"), 404, "not_found")
        eq(wrong["message"], missing["message"], "a wrong ID looks like a missing code")
        expect_error(pub.get(f"{API}/lookup/{code}"), 400, "validation", "id_number")
        for _ in range(8):
            pub.get(f"{API}/lookup/{code}?id_number=000000000000")
        expect_error(pub.get(f"{API}/lookup/{code}?id_number=079190001234"), 429,
                     "rate_limited", what="after ten failures even the right one waits")
    finally:
        s2.stop()


@test
def work_lists_queues_filters_and_pages(ctx):
    d1 = intake(ctx, applicant=applicant(name="Trần Văn Bảy", id_number="079190007777"))
    d2 = intake(ctx, applicant=applicant(name="Lê Thị Tám", id_number="079190008888"))
    ld, cv = login(ctx, "ld.nhatrang"), login(ctx, "cv.nhatrang")
    act(ld, d1["code"], "assign", assignee="cv.nhatrang")
    mine = [x["code"] for x in cv.get(f"{API}/dossiers?assigned=me&limit=500").json["items"]]
    check(d1["code"] in mine and d2["code"] not in mine, "my queue")
    unit = [x["code"] for x in cv.get(f"{API}/dossiers?queue=unit&limit=500").json["items"]]
    check(d1["code"] in unit and d2["code"] in unit, "the unit's queue")
    other = [x["code"] for x in login(ctx, "cv.camranh").get(
        f"{API}/dossiers?queue=all&limit=500").json["items"]]
    check(d1["code"] not in other, "another commune's list")
    found = cv.get(f"{API}/dossiers?queue=all&q=tran%20van%20bay").json["items"]
    eq([x["code"] for x in found], [d1["code"]], "search without diacritics")
    # overdue: move the due date into the past
    ctx.server.sql(f"UPDATE dossier SET due_at = 1000 WHERE code = '{d2['code']}'")
    over = [x["code"] for x in cv.get(f"{API}/dossiers?queue=overdue").json["items"]]
    check(d2["code"] in over and d1["code"] not in over, f"overdue {over}")
    # pages: every dossier once
    seen, cursor = [], None
    for _ in range(200):
        url = f"{API}/dossiers?queue=all&limit=3" + (f"&cursor={cursor}" if cursor else "")
        r = cv.get(url)
        eq(r.status, 200, f"page {r}")
        seen += [x["code"] for x in r.json["items"]]
        cursor = r.json["next_cursor"]
        if not cursor:
            break
    eq(len(seen), len(set(seen)), "no dossier twice across pages")
    total = int(ctx.server.sql("SELECT COUNT(*) FROM dossier d JOIN unit u ON u.id = "
                               "d.receiving_unit_id WHERE u.code = '001.01.00.H34'"))
    eq(len(seen), total, "every dossier of the unit")
    expect_error(cv.get(f"{API}/dossiers?queue=nope"), 400, "validation", "queue")
    expect_error(cv.get(f"{API}/dossiers?cursor=abc"), 400, "validation", "cursor")
    expect_error(cv.get(f"{API}/dossiers?limit=9999"), 400, "validation", "limit")
    expect_error(cv.get(f"{API}/dossiers?from=2026-13-01"), 400, "validation", "from")


@test
def bad_intake_leaves_nothing(ctx):
    ensure_procedures(ctx)
    tn = login(ctx, "tn.nhatrang")
    before = (count(ctx, "dossier"), count(ctx, "dossier_event"), count(ctx, "dossier_serial"))
    cases = [
        (intake_body(procedure="9.999999.X"), 400, "procedure"),
        (intake_body(applicant=applicant(id_number="07919000123")), 400, "applicant.id_number"),
        (intake_body(applicant=applicant(id_number="07919000123A")), 400,
         "applicant.id_number"),
        (intake_body(applicant=applicant(birth_date="2199-01-01")), 400, "applicant.birth_date"),
        (intake_body(applicant=applicant(email="not-an-email")), 400, "applicant.email"),
        (intake_body(components=[]), 400, "components"),
        (intake_body(components=[{"name": "Tờ khai theo mẫu", "originals": 0, "copies": 0}]),
         400, "components[0]"),
        (intake_body(channel="carrier-pigeon"), 400, "channel"),
        (intake_body(delivery={"method": "postal"}), 400, "delivery.address"),
        (intake_body(applicant={"name": "x", "id_number": "079190001234", "shoe": 42}), 400,
         "applicant.shoe"),
        (intake_body(receiving_unit="003.01.00.H34"), 403, None),
    ]
    for body, status, field in cases:
        r = tn.post(f"{API}/dossiers", body)
        expect_error(r, status, None, field, what=str(field))
    expect_error(login(ctx, "cv.nhatrang").post(f"{API}/dossiers", intake_body()), 403,
                 "forbidden", what="a specialist at the counter")
    after = (count(ctx, "dossier"), count(ctx, "dossier_event"), count(ctx, "dossier_serial"))
    eq(after, before, "nothing half-written")


@test
def demo_makes_a_year_of_real_dossiers(ctx):
    # a fresh database of the same backend
    if ctx.backend == "sqlite":
        db = ctx.db.replace(".db", "-demo.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db[7:] + suffix):
                os.unlink(db[7:] + suffix)
    else:
        ctx.server.sql("DROP DATABASE IF EXISTS motcua_demo_test")
        ctx.server.sql("CREATE DATABASE motcua_demo_test")
        db = ctx.db.replace("/motcua_test", "/motcua_demo_test")
    s = Server(ctx.bin, db)
    p = s.cli("demo", "--demo-days", "60")
    m = re.search(r"demo dossiers: (\d+) \((\d+) trực tuyến, (\d+) bưu chính\), (\d+) thao tác, "
                  r"(\d+) đang giải quyết, (\d+) quá hạn", p.stdout)
    check(m, f"no summary: {p.stdout[-500:]}")
    n, online, postal, actions, open_, late = map(int, m.groups())
    check(n > 200 and online > 0 and postal > 0 and actions > 3 * n, m.group(0))
    check(0 < late < n // 5, f"a realistic share of late dossiers: {late} of {n}")
    eq(int(s.sql("SELECT COUNT(*) FROM dossier")), n, "stored")
    states = dict(tuple(r.split("|")) for r in
                  s.sql("SELECT state, COUNT(*) FROM dossier GROUP BY state").split("\n"))
    for st in ("returned", "processing", "withdrawn"):
        check(int(states.get(st, 0)) > 0, f"no {st} dossier: {states}")
    check("demo_action_refused" not in p.stderr, p.stderr[-1000:])
    eq(s.sql("SELECT COUNT(*) FROM outbox WHERE status = 'pending'"), "0",
       "invented applicants are never written to")
    v = s.cli("verify")
    check("every chain intact" in v.stdout, v.stdout)
