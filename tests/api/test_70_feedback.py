"""Feedback (phản ánh, kiến nghị): intake on the portal and by staff, routing, every transition
and its deadline by the legal clock, publication with the citizen's data masked; ratings of
returned dossiers (token, once, "not satisfied" opens feedback); the satisfaction inputs; bad
input leaving nothing behind."""
import urllib.parse

from harness import check, eq, expect_error, test
from test_40_dossiers import act, intake, login

API = "/api/v1"
UNIT = "001.01.00.H34"  # UBND phường Nha Trang: tn (receiver), cv (specialist), ld (leader)


def count(ctx, table):
    return int(ctx.server.sql(f"SELECT COUNT(*) FROM {table}"))


def due(ctx, frm, days, unit):
    q = urllib.parse.urlencode({"from": frm, "working_days": days, "unit": unit})
    r = ctx.server.client().get(f"{API}/calendar/due?{q}")
    eq(r.status, 200, f"calendar/due {r}")
    return r.json["due"]


def submit(ctx, **kw):
    body = {"content": "Đường vào bộ phận một cửa bị ngập, đề nghị xử lý.",
            "name": "Trần Văn Bình", "phone": "0912345678", "email": "binh@example.vn",
            "unit": UNIT}
    body.update(kw)
    body = {k: v for k, v in body.items() if v is not None}
    r = ctx.server.client().post(f"{API}/public/feedback", body)
    eq(r.status, 201, f"submit feedback {r}")
    check(r.json["code"].startswith("PA-"), r.json)
    return r.json["code"]


def fact(c, code, action, **kw):
    return c.post(f"{API}/feedback/{code}/actions", dict(kw, action=action))


def satisfaction(ctx, who="ld.nhatrang"):
    r = login(ctx, who).get(f"{API}/reports/satisfaction?unit={UNIT}")
    eq(r.status, 200, f"satisfaction {r}")
    return r.json


def returned_dossier(ctx):
    d = intake(ctx)
    code = d["code"]
    ld, cv, tn = login(ctx, "ld.nhatrang"), login(ctx, "cv.nhatrang"), login(ctx, "tn.nhatrang")
    eq(act(ld, code, "assign", assignee="cv.nhatrang").status, 200, "assign")
    eq(act(cv, code, "forward").status, 200, "forward")
    eq(act(ld, code, "finish", result_number="1/GXN", signer="Đỗ Văn Hải").status, 200, "finish")
    eq(act(tn, code, "return", recipient="Nguyễn Thị Hồng Nhung").status, 200, "return")
    return d


@test
def feedback_lifecycle_deadlines_and_publication(ctx):
    before = satisfaction(ctx)["feedback"]
    code = submit(ctx, content="Cán bộ hẹn sai ngày. Liên hệ 0912 345 678, binh@example.vn, "
                               "CCCD 079190001234. Ông Trần Văn Bình.")
    tn, cv, ld = login(ctx, "tn.nhatrang"), login(ctx, "cv.nhatrang"), login(ctx, "ld.nhatrang")
    r = tn.get(f"{API}/feedback/{code}")
    eq(r.status, 200, f"get {r}")
    f = r.json
    eq((f["state"], f["channel"], f["unit"]["id"] > 0), ("received", "web", True), "received")
    unit = f["unit"]["id"]
    # each deadline is the legal clock's, in working days (weekends and holidays skipped)
    for key, days in (("refuse", 2), ("request_info", 5), ("answer", 15)):
        eq(f["due"][key], due(ctx, f["received_at"], days, unit), f"{key} deadline")
    eq(f["due"]["publish"], None, "no publish deadline before the answer")
    # not allowed yet: answer before assignment, publish before answer
    expect_error(fact(ld, code, "answer", answer="x"), 409, "conflict", "action")
    expect_error(fact(ld, code, "publish"), 409, "conflict", "action")
    # the specialist may not assign; the receiver asks for more information
    expect_error(fact(cv, code, "assign", assignee="cv.nhatrang"), 403, "forbidden")
    expect_error(fact(tn, code, "request_info"), 400, "validation", "reason")
    r = fact(tn, code, "request_info", reason="Cho biết ngày hẹn trên phiếu")
    eq((r.status, r.json["state"]), (200, "info_requested"), f"request_info {r}")
    r = fact(tn, code, "assign", assignee="cv.nhatrang")
    eq((r.status, r.json["state"]), (200, "assigned"), f"assign {r}")
    eq(r.json["assignee"]["name"] is not None, True, "assignee named")
    # the receiver may not answer; the specialist answers
    expect_error(fact(tn, code, "answer", answer="x"), 403, "forbidden")
    r = fact(cv, code, "answer", answer="Đã liên hệ ông Trần Văn Bình qua số 0912345678 "
                                        "và xin lỗi; lịch hẹn được sửa.")
    eq((r.status, r.json["state"]), (200, "answered"), f"answer {r}")
    eq(r.json["due"]["publish"], due(ctx, r.json["answered_at"], 2, unit), "publish deadline")
    expect_error(fact(cv, code, "publish"), 403, "forbidden")
    r = fact(ld, code, "publish")
    eq((r.status, r.json["state"]), (200, "published"), f"publish {r}")
    eq([e["action"] for e in r.json["events"]],
       ["receive", "request_info", "assign", "answer", "publish"], "event log")
    expect_error(fact(ld, code, "publish"), 409, "conflict", "action")
    # the portal shows it with the citizen's data hidden
    r = ctx.server.client().get(f"{API}/public/feedback?unit={UNIT}")
    eq(r.status, 200, f"public list {r}")
    items = [i for i in r.json["items"] if i["code"] == code]
    eq(len(items), 1, "published item listed")
    p = items[0]
    eq(p["name"], "T.V.B.", "name as initials")
    text = p["content"] + " " + p["answer"]
    for secret in ("0912", "345 678", "0912345678", "binh@", "079190001234", "Trần Văn Bình"):
        check(secret not in text, f"{secret!r} visible in {text!r}")
    check("Cán bộ hẹn sai ngày" in p["content"] and "lịch hẹn được sửa" in p["answer"], text)
    check("phone" not in p and "email" not in p, p)
    after = satisfaction(ctx)["feedback"]
    eq(after["received"], before["received"] + 1, "received counted")
    eq(after["answered_on_time"], before["answered_on_time"] + 1, "answered on time counted")
    # the item's log is a hash chain: `motcua verify` checks it and names a tampered item
    p = ctx.server.cli("verify")
    check("feedback logs" in p.stdout and "every chain intact" in p.stdout, p.stdout)
    where = f"feedback_id = (SELECT id FROM feedback WHERE code = '{code}') AND seq = 4"
    note = ctx.server.sql(f"SELECT note FROM feedback_event WHERE {where}")
    ctx.server.sql(f"UPDATE feedback_event SET note = 'Đã xử lý' WHERE {where}")
    try:
        p = ctx.server.cli("verify", check_rc=False)
        check(p.returncode != 0 and code in p.stderr, f"tampering found: {p.stderr}")
    finally:
        ctx.server.sql(f"UPDATE feedback_event SET note = '{note}' WHERE {where}")
    ctx.server.cli("verify")


@test
def feedback_refused_routed_and_by_hotline(ctx):
    tn, ld = login(ctx, "tn.nhatrang"), login(ctx, "ld.nhatrang")
    code = submit(ctx)
    r = fact(tn, code, "refuse", reason="Không thuộc thẩm quyền")
    eq((r.status, r.json["state"]), (200, "refused"), f"refuse {r}")
    check(r.json["refused_at"] <= r.json["due"]["refuse"], "refused within its deadline")
    expect_error(fact(ld, code, "assign", assignee="cv.nhatrang"), 409, "conflict", "action")
    # routed by the dossier's competent unit
    d = intake(ctx)
    code = submit(ctx, unit=None, dossier_code=d["code"])
    eq(tn.get(f"{API}/feedback/{code}").json["unit"]["id"], d["competent_unit"]["id"],
       "routed to the dossier's competent unit")
    # another unit's staff cannot see it
    expect_error(login(ctx, "cv.camranh").get(f"{API}/feedback/{code}"), 403, "forbidden")
    # staff enter a hotline call; it is in the unit's work list
    r = tn.post(f"{API}/feedback", {"channel": "hotline", "content": "Gọi đường dây nóng",
                                     "name": "Lê Thị C", "unit": UNIT})
    eq((r.status, r.json["channel"], r.json["state"]), (201, "hotline", "received"), f"{r}")
    r = tn.get(f"{API}/feedback?unit={UNIT}&state=received")
    eq(r.status, 200, f"list {r}")
    check(any(i["code"] == r.json["items"][0]["code"] for i in r.json["items"]), "listed")
    check(all(i["state"] == "received" for i in r.json["items"]), "filtered by state")
    expect_error(ctx.server.client().get(f"{API}/feedback"), 401)


@test
def ratings_token_once_and_unsatisfied_opens_feedback(ctx):
    before = satisfaction(ctx)
    d = returned_dossier(ctx)
    pub = ctx.server.client()
    body = {"dossier": d["code"], "token": "x" * 12, "satisfied": True}
    expect_error(pub.post(f"{API}/public/ratings", body), 404, "not_found")
    expect_error(pub.post(f"{API}/public/ratings", dict(body, dossier="NO-SUCH")), 404,
                 "not_found")
    r = pub.post(f"{API}/public/ratings", dict(body, token=d["lookup_token"], satisfied=False,
                                               reasons=["late", "attitude"]))
    eq(r.status, 201, f"rate {r}")
    fcode = r.json["feedback"]
    check(fcode and fcode.startswith("PA-"), f"feedback opened: {r.json}")
    expect_error(pub.post(f"{API}/public/ratings", dict(body, token=d["lookup_token"])), 409,
                 "conflict")
    f = login(ctx, "tn.nhatrang").get(f"{API}/feedback/{fcode}").json
    eq((f["channel"], f["unit"]["id"], f["dossier_code"]),
       ("web", d["competent_unit"]["id"], d["code"]), "feedback for the competent unit")
    check("Trả kết quả trễ hẹn" in f["content"], f["content"])
    # a satisfied rating of another dossier opens nothing
    d2 = returned_dossier(ctx)
    r = pub.post(f"{API}/public/ratings", {"dossier": d2["code"], "token": d2["lookup_token"],
                                           "satisfied": True})
    eq((r.status, r.json["feedback"]), (201, None), f"satisfied {r}")
    # a dossier not yet returned cannot be rated
    d3 = intake(ctx)
    expect_error(pub.post(f"{API}/public/ratings", {"dossier": d3["code"],
                                                    "token": d3["lookup_token"],
                                                    "satisfied": True}), 409, "conflict")
    expect_error(pub.post(f"{API}/public/ratings", {"dossier": d2["code"], "token": "t",
                                                    "satisfied": True, "reasons": ["bogus"]}),
                 400, "validation", "reasons")
    after = satisfaction(ctx)
    eq(after["ratings"]["total"], before["ratings"]["total"] + 2, "ratings counted")
    eq(after["ratings"]["satisfied"], before["ratings"]["satisfied"] + 1, "satisfied")
    eq(after["ratings"]["unsatisfied"], before["ratings"]["unsatisfied"] + 1, "unsatisfied")
    eq(after["feedback"]["received"], before["feedback"]["received"] + 1,
       "the unsatisfied rating's feedback counted")
    expect_error(login(ctx, "cv.camranh").get(f"{API}/reports/satisfaction?unit={UNIT}"), 403,
                 "forbidden")


@test
def bad_feedback_leaves_nothing(ctx):
    pub = ctx.server.client()
    n, ev, rt = count(ctx, "feedback"), count(ctx, "feedback_event"), count(ctx, "dossier_rating")
    good = {"content": "Nội dung", "name": "Phạm D", "unit": UNIT}
    expect_error(pub.post(f"{API}/public/feedback", {"name": "Phạm D", "unit": UNIT}), 400,
                 "validation", "content")
    expect_error(pub.post(f"{API}/public/feedback", dict(good, content="a" * 5001)), 400,
                 "validation", "content")
    expect_error(pub.post(f"{API}/public/feedback", dict(good, html="<b>x</b>")), 400,
                 "validation")
    expect_error(pub.post(f"{API}/public/feedback", dict(good, dossier_code="NO-SUCH-CODE")),
                 400, "validation", "dossier_code")
    expect_error(pub.post(f"{API}/public/feedback", {"content": "x", "name": "y"}), 400,
                 "validation", "unit")
    expect_error(pub.post(f"{API}/public/feedback", dict(good, unit="999.99.99.X99")), 400,
                 "validation", "unit")
    expect_error(pub.post(f"{API}/public/ratings", {"dossier": "X", "token": "y"}), 400,
                 "validation", "satisfied")
    eq((count(ctx, "feedback"), count(ctx, "feedback_event"), count(ctx, "dossier_rating")),
       (n, ev, rt), "no row left behind")
    # HTML is stored and returned as text inside JSON, never rendered
    code = submit(ctx, content="<script>alert(1)</script>")
    r = login(ctx, "tn.nhatrang").get(f"{API}/feedback/{code}")
    eq(r.json["content"], "<script>alert(1)</script>", "stored as text")
    check(r.header("Content-Type").startswith("application/json"), r.headers)
