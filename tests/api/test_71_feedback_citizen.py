"""Feedback from the citizen's side and its guards: the secret given once at submission, the
citizen's own view and reply to a request for more information (deadlines restarted from the
reply), each unit's published hotline, per-address throttling of the public endpoints, size
limits and user text kept as data, and the 766 satisfaction inputs over a period."""
import hashlib
import urllib.parse

from harness import Server, check, eq, expect_error, test
from test_40_dossiers import login
from test_70_feedback import UNIT, count, due, fact, returned_dossier

API = "/api/v1"
STP = "000.00.02.H34"        # Sở Tư pháp: qt.tuphap is its unit administrator
PROVINCE = "000.00.00.H34"   # the root: ld.tinh


def post_feedback(c, headers=None, **kw):
    body = {"content": "Bãi giữ xe trước bộ phận một cửa thu phí sai quy định.",
            "name": "Lê Văn Cường", "phone": "0987654321", "email": "cuong@example.vn",
            "unit": UNIT}
    body.update(kw)
    body = {k: v for k, v in body.items() if v is not None}
    return c.post(f"{API}/public/feedback", body, headers=headers)


def new_item(ctx, **kw):
    r = post_feedback(ctx.server.client(), **kw)
    eq(r.status, 201, f"submit {r}")
    check(len(r.json.get("secret") or "") >= 32, f"a secret is given: {r.json}")
    return r.json["code"], r.json["secret"]


def status(c, code, secret, headers=None):
    q = urllib.parse.urlencode({"secret": secret})
    return c.get(f"{API}/public/feedback/{code}?{q}", headers=headers)


def reply(c, code, secret, content, headers=None):
    return c.post(f"{API}/public/feedback/{code}/reply", {"secret": secret, "content": content},
                  headers=headers)


def unit_id(ctx, code):
    return int(ctx.server.sql(f"SELECT id FROM unit WHERE code = '{code}'"))


def events(ctx, code):
    return int(ctx.server.sql("SELECT COUNT(*) FROM feedback_event WHERE feedback_id = "
                              f"(SELECT id FROM feedback WHERE code = '{code}')"))


@test
def citizen_follows_and_answers_a_request_for_information(ctx):
    code, secret = new_item(ctx)
    # only the secret's SHA-256 is kept
    stored = ctx.server.sql(f"SELECT secret_hash FROM feedback WHERE code = '{code}'")
    eq(stored, hashlib.sha256(secret.encode()).hexdigest(), "secret stored hashed")
    eq(int(ctx.server.sql(f"SELECT COUNT(*) FROM feedback WHERE secret_hash = '{secret}' "
                          f"OR info_reply = '{secret}'")), 0, "no clear secret stored")
    pub = ctx.server.client()
    r = status(pub, code, secret)
    eq((r.status, r.json["state"]), (200, "received"), f"own status {r}")
    eq([h["action"] for h in r.json["history"]], ["receive"], "history")
    for private in ("phone", "email", "events", "assignee", "name", "channel"):
        check(private not in r.json, f"{private} shown to the public: {r.json}")
    check("actor" not in r.json["history"][0], "no staff names")
    # a wrong secret looks like a missing code; no secret is bad input
    wrong = expect_error(status(pub, code, "x" * 43), 404, "not_found")
    missing = expect_error(status(pub, "PA-999999", secret), 404, "not_found")
    eq(wrong["message"], missing["message"], "a wrong secret looks like a missing code")
    expect_error(pub.get(f"{API}/public/feedback/{code}"), 400, "validation", "secret")
    # nothing to answer yet
    expect_error(reply(pub, code, secret, "Ngày hẹn là 12/11."), 409, "conflict")
    tn, cv = login(ctx, "tn.nhatrang"), login(ctx, "cv.nhatrang")
    r = fact(tn, code, "request_info", reason="Cho biết biển số xe và giờ gửi xe")
    eq((r.status, r.json["state"]), (200, "info_requested"), f"request_info {r}")
    unit = r.json["unit"]["id"]
    r = status(pub, code, secret)
    eq((r.json["state"], r.json["reason"]), ("info_requested", "Cho biết biển số xe và giờ gửi xe"),
       "the citizen sees what is asked")
    # move the item back in time, so that a restart of its deadlines shows
    old = 30 * 86400
    ctx.server.sql(f"UPDATE feedback SET received_at = received_at - {old}, refuse_due = "
                   f"refuse_due - {old}, info_due = info_due - {old}, answer_due = answer_due - "
                   f"{old} WHERE code = '{code}'")
    before = tn.get(f"{API}/feedback/{code}").json
    n = events(ctx, code)
    # a wrong secret changes nothing
    expect_error(reply(pub, code, "y" * 43, "Biển số 79A-123.45"), 404, "not_found")
    expect_error(reply(pub, "PA-999999", secret, "Biển số 79A-123.45"), 404, "not_found")
    eq((tn.get(f"{API}/feedback/{code}").json["state"], events(ctx, code)),
       ("info_requested", n), "nothing written by a wrong secret")
    text = "Biển số 79A-123.45, gửi lúc 8 giờ sáng ngày 10/11."
    r = reply(pub, code, secret, text)
    eq((r.status, r.json["state"]), (200, "received"), f"reply {r}")
    f = tn.get(f"{API}/feedback/{code}").json
    eq((f["state"], f["info_reply"]), ("received", text), "back to received with the reply")
    last = f["events"][-1]
    eq((last["action"], last["from"], last["to"], last["actor"], last["note"]),
       ("reply", "info_requested", "received", "citizen", text), "staff see the reply in the log")
    eq(f["received_at"], before["received_at"], "receipt time kept")
    # the deadlines counted from receipt restart from the reply (data: *_after_reply)
    for key, days in (("refuse", 2), ("request_info", 5), ("answer", 15)):
        eq(f["due"][key], due(ctx, f["info_replied_at"], days, unit), f"{key} restarted")
        check(f["due"][key] != before["due"][key], f"{key} moved")
    expect_error(reply(pub, code, secret, "lần nữa"), 409, "conflict", what="a second reply")
    # the rest of the life; the citizen follows it
    eq(fact(tn, code, "assign", assignee="cv.nhatrang").status, 200, "assign")
    eq(fact(cv, code, "answer", answer="Đã chấn chỉnh bãi giữ xe.").status, 200, "answer")
    r = status(pub, code, secret)
    eq((r.json["state"], r.json["answer"], r.json["info_reply"]),
       ("answered", "Đã chấn chỉnh bãi giữ xe.", text), "answer shown to the citizen")
    eq([h["action"] for h in r.json["history"]],
       ["receive", "request_info", "reply", "assign", "answer"], "history")
    ctx.server.cli("verify")   # the reply is a link of the item's hash chain


@test
def secrets_for_hotline_items_and_unsatisfied_ratings(ctx):
    tn = login(ctx, "tn.nhatrang")
    r = tn.post(f"{API}/feedback", {"channel": "hotline", "content": "Gọi đường dây nóng",
                                     "name": "Phạm Thị E", "unit": UNIT})
    eq(r.status, 201, f"hotline item {r}")
    check(r.json.get("secret"), "the caller is given a secret")
    eq(status(ctx.server.client(), r.json["code"], r.json["secret"]).status, 200, "it opens")
    # shown once: reading the item again does not show it
    check("secret" not in tn.get(f"{API}/feedback/{r.json['code']}").json, "secret shown twice")
    d = returned_dossier(ctx)
    r = ctx.server.client().post(f"{API}/public/ratings", {
        "dossier": d["code"], "token": d["lookup_token"], "satisfied": False,
        "reasons": ["attitude"]})
    eq(r.status, 201, f"rating {r}")
    r = status(ctx.server.client(), r.json["feedback"], r.json["feedback_secret"])
    eq((r.status, r.json["state"]), (200, "received"), f"the rating's item opens {r}")


@test
def unit_hotline_is_published_and_validated(ctx):
    stp, nt = unit_id(ctx, STP), unit_id(ctx, UNIT)
    qt, ld, admin = login(ctx, "qt.tuphap"), login(ctx, "ld.nhatrang"), login(ctx, "admin")
    audits = int(ctx.server.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'unit.contact'"))
    r = qt.put(f"{API}/units/{stp}/contact", {"hotline": "+84 258 3822 000",
                                              "email": "phananh.stp@khanhhoa.gov.vn"})
    eq((r.status, r.json["hotline"], r.json["email"]),
       (200, "02583822000", "phananh.stp@khanhhoa.gov.vn"), f"set {r}")
    pub = ctx.server.client()
    eq(pub.get(f"{API}/units/{stp}/contact").json["hotline"], "02583822000", "public read")
    r = pub.get(f"{API}/public/units")
    eq(r.status, 200, f"public units {r}")
    by_id = {u["id"]: u for u in r.json["items"]}
    eq((by_id[stp]["hotline"], by_id[stp]["code"]), ("02583822000", STP), "listed")
    r = pub.get(f"{API}/public/units?unit={STP}")
    eq([u["id"] for u in r.json["items"]], [stp], "one subtree")
    # bad values: the field named, both languages, nothing changed
    bad = [({"hotline": "12345", "email": None}, "hotline"),
           ({"hotline": "0258 3822 00", "email": None}, "hotline"),
           ({"hotline": "<b>0912345678</b>", "email": None}, "hotline"),
           ({"hotline": "1022", "email": "not-an-address"}, "email"),
           ({"hotline": "1022"}, "email"),
           ({"hotline": "1022", "email": None, "fax": "x"}, None)]
    for body, field in bad:
        expect_error(qt.put(f"{API}/units/{stp}/contact", body), 400, "validation", field,
                     what=str(body))
    eq(pub.get(f"{API}/units/{stp}/contact").json["hotline"], "02583822000", "unchanged")
    # only the unit's administrator (or the system administrator)
    expect_error(qt.put(f"{API}/units/{nt}/contact", {"hotline": "1022", "email": None}), 403,
                 "forbidden")
    expect_error(ld.put(f"{API}/units/{nt}/contact", {"hotline": "1022", "email": None}), 403,
                 "forbidden")
    expect_error(pub.put(f"{API}/units/{nt}/contact", {"hotline": "1022", "email": None}), 401)
    expect_error(admin.put(f"{API}/units/999999/contact", {"hotline": "1022", "email": None}),
                 404, "not_found")
    eq(pub.get(f"{API}/units/{nt}/contact").json["hotline"], None, "not set by the refused")
    r = admin.put(f"{API}/units/{nt}/contact", {"hotline": "0258.3562.111", "email": None})
    eq((r.status, r.json["hotline"]), (200, "02583562111"), f"admin sets {r}")
    eq(int(ctx.server.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'unit.contact'")),
       audits + 2, "each change audited")
    # the citizen following a feedback item sees the unit's hotline
    code, secret = new_item(ctx)
    eq(status(pub, code, secret).json["unit"]["hotline"], "02583562111", "hotline on the item")
    r = qt.put(f"{API}/units/{stp}/contact", {"hotline": None, "email": None})
    eq((r.status, r.json["hotline"], r.json["email"]), (200, None, None), "cleared")


@test
def public_feedback_ratings_and_secrets_are_throttled_per_address(ctx):
    d = returned_dossier(ctx)
    code, secret = new_item(ctx)
    # a second server (the counters are per process) behind a trusted proxy: one address each
    s2 = Server(ctx.bin, ctx.db, extra=["--trust-proxy"]).start()
    try:
        c = s2.client()
        a = {"X-Forwarded-For": "203.0.113.7"}
        for i in range(30):
            r = post_feedback(c, headers=a, content=f"Phản ánh số {i}")
            eq(r.status, 201, f"feedback {i} {r}")
        n, ev = count(ctx, "feedback"), count(ctx, "feedback_event")
        r = post_feedback(c, headers=a)
        err = expect_error(r, 429, "rate_limited")
        check(r.header("Content-Type").startswith("application/json"), "JSON error body")
        check("giây" in err["message_vi"], err)
        eq((count(ctx, "feedback"), count(ctx, "feedback_event")), (n, ev), "nothing written")
        eq(post_feedback(c, headers={"X-Forwarded-For": "203.0.113.8"}).status, 201,
           "another address is not held back")
        # ratings: wrong tokens count per address, then even the right one waits
        b = {"X-Forwarded-For": "203.0.113.9"}
        body = {"dossier": d["code"], "token": "z" * 12, "satisfied": True}
        for i in range(10):
            expect_error(c.post(f"{API}/public/ratings", body, headers=b), 404, "not_found")
        right = dict(body, token=d["lookup_token"])
        expect_error(c.post(f"{API}/public/ratings", right, headers=b), 429, "rate_limited")
        eq(int(ctx.server.sql("SELECT COUNT(*) FROM dossier_rating WHERE dossier_id = "
                              f"(SELECT id FROM dossier WHERE code = '{d['code']}')")), 0,
           "no rating written")
        eq(c.post(f"{API}/public/ratings", right,
                  headers={"X-Forwarded-For": "203.0.113.10"}).status, 201, "other address")
        # secrets: ten wrong ones, then the right one waits, for views and replies alike
        s = {"X-Forwarded-For": "203.0.113.11"}
        for i in range(10):
            expect_error(status(c, code, f"wrong-{i}", headers=s), 404, "not_found")
        expect_error(status(c, code, secret, headers=s), 429, "rate_limited")
        tn = login(ctx, "tn.nhatrang")
        eq(fact(tn, code, "request_info", reason="Cần thêm ảnh chụp").status, 200, "ask")
        n = events(ctx, code)
        expect_error(reply(c, code, secret, "Ảnh đây", headers=s), 429, "rate_limited")
        eq(events(ctx, code), n, "nothing written while throttled")
        eq(status(c, code, secret, headers={"X-Forwarded-For": "203.0.113.12"}).status, 200,
           "another address opens it")
    finally:
        s2.stop()


@test
def feedback_size_limits_and_text_kept_as_data(ctx):
    pub = ctx.server.client()
    n = count(ctx, "feedback")
    # lengths are code points: 5000 three-byte letters pass, 5001 do not
    eq(post_feedback(pub, content="ệ" * 5000).status, 201, "5000 code points")
    expect_error(post_feedback(pub, content="ệ" * 5001), 400, "validation", "content")
    expect_error(post_feedback(pub, name="Ư" * 201), 400, "validation", "name")
    expect_error(post_feedback(pub, phone="0" * 21), 400, "validation", "phone")
    expect_error(post_feedback(pub, email="a" * 250 + "@b.vn"), 400, "validation", "email")
    big = b'{"content":"' + b"a" * (1024 * 1024) + b'","name":"x"}'
    expect_error(pub.request("POST", f"{API}/public/feedback", raw=big,
                             headers={"Content-Type": "application/json"}), 413, "too_large")
    eq(count(ctx, "feedback"), n + 1, "only the one within limits stored")
    # markup is data: stored and returned byte for byte inside JSON, never as a page
    html = '<script>alert("x")</script><img src=x onerror=alert(1)> & </textarea>'
    code, secret = new_item(ctx, content=html, name="<b>Lê</b> Văn Cường")
    r = status(pub, code, secret)
    eq(r.json["content"], html, "round trip as text")
    check(r.header("Content-Type").startswith("application/json"), r.headers)
    eq(r.header("X-Content-Type-Options"), "nosniff", "no sniffing into HTML")
    check("script-src 'self'" in (r.header("Content-Security-Policy") or ""), r.headers)
    tn, cv, ld = login(ctx, "tn.nhatrang"), login(ctx, "cv.nhatrang"), login(ctx, "ld.nhatrang")
    eq(fact(tn, code, "request_info", reason="<i>ảnh</i>").status, 200, "ask")
    reply_html = "<iframe src=//evil.example></iframe>"
    eq(reply(pub, code, secret, reply_html).status, 200, "reply with markup")
    expect_error(reply(pub, code, secret, "ệ" * 5001), 400, "validation", "content")
    f = tn.get(f"{API}/feedback/{code}").json
    eq((f["info_reply"], f["events"][-1]["note"], f["name"]),
       (reply_html, reply_html, "<b>Lê</b> Văn Cường"), "staff get the text as text")
    eq(fact(tn, code, "assign", assignee="cv.nhatrang").status, 200, "assign")
    eq(fact(cv, code, "answer", answer="<b>Đã xử lý</b>").status, 200, "answer")
    eq(fact(ld, code, "publish").status, 200, "publish")
    r = pub.get(f"{API}/public/feedback?unit={UNIT}&limit=200")
    item = [i for i in r.json["items"] if i["code"] == code][0]
    eq((item["content"], item["answer"]), (html, "<b>Đã xử lý</b>"), "published as text")
    check(r.header("Content-Type").startswith("application/json"), r.headers)


def satisfaction(c, unit=UNIT, **q):
    r = c.get(f"{API}/reports/satisfaction?" + urllib.parse.urlencode(dict(q, unit=unit)))
    return r


def ts(s):
    """An RFC 3339 instant at +07:00 as epoch seconds."""
    import datetime
    return int(datetime.datetime.fromisoformat(s).timestamp())


@test
def satisfaction_index_inputs_count_a_period(ctx):
    tn, ld = login(ctx, "tn.nhatrang"), login(ctx, "ld.nhatrang")
    codes = []
    for i in range(7):
        r = tn.post(f"{API}/feedback", {"channel": "counter", "content": f"Phản ánh {i}",
                                         "name": "Đinh Văn G", "unit": UNIT})
        eq(r.status, 201, f"item {i} {r}")
        codes.append(r.json["code"])
    # place the items in March 2025, a month no other test touches
    day = 86400
    rows = [  # received, state, answer_due, answered_at
        ("2025-03-03T09:00:00+07:00", "answered", "2025-03-24T09:00:00+07:00",
         "2025-03-20T10:00:00+07:00"),                                  # on time
        ("2025-03-04T09:00:00+07:00", "published", "2025-03-25T09:00:00+07:00",
         "2025-03-28T10:00:00+07:00"),                                  # late
        ("2025-03-05T09:00:00+07:00", "received", "2025-03-26T09:00:00+07:00", None),  # overdue
        ("2025-03-06T09:00:00+07:00", "refused", "2025-03-27T09:00:00+07:00", None),   # refused
        ("2025-03-31T23:59:00+07:00", "assigned", "2099-01-01T09:00:00+07:00", None),  # last day
        ("2025-04-01T00:00:00+07:00", "received", "2025-04-22T09:00:00+07:00", None),  # after
        ("2025-02-28T23:59:59+07:00", "answered", "2025-03-21T09:00:00+07:00",
         "2025-03-25T09:00:00+07:00"),                                  # before
    ]
    for code, (rec, state, answer_due, answered) in zip(codes, rows):
        ctx.server.sql(
            f"UPDATE feedback SET received_at = {ts(rec)}, state = '{state}', answer_due = "
            f"{ts(answer_due)}, answered_at = {ts(answered) if answered else 'NULL'}, "
            f"refused_at = {ts(rec) + day if state == 'refused' else 'NULL'} "
            f"WHERE code = '{code}'")
    # two ratings in March 2025
    for satisfied in (True, False):
        d = returned_dossier(ctx)
        r = ctx.server.client().post(f"{API}/public/ratings", {
            "dossier": d["code"], "token": d["lookup_token"], "satisfied": satisfied})
        eq(r.status, 201, f"rating {r}")
        ctx.server.sql(f"UPDATE dossier_rating SET at = {ts('2025-03-15T10:00:00+07:00')} "
                       f"WHERE dossier_id = (SELECT id FROM dossier WHERE code = '{d['code']}')")
    march = {"received": 5, "answered_on_time": 1, "answered_late": 1, "open_overdue": 1,
             "refused": 1}
    r = satisfaction(ld, **{"from": "2025-03-01", "to": "2025-03-31"})
    eq(r.status, 200, f"inputs {r}")
    eq(r.json["feedback"], march, "March 2025, both ends inclusive")
    eq(r.json["ratings"], {"total": 2, "satisfied": 1, "unsatisfied": 1}, "ratings by date")
    r = satisfaction(ld, **{"from": "2025-03-01T00:00:00+07:00",
                            "to": "2025-04-01T00:00:00+07:00"})
    eq(r.json["feedback"], march, "the same period as instants, the end excluded")
    r = satisfaction(ld, **{"from": "2025-03-01", "to": "2025-04-01"})
    eq(r.json["feedback"], dict(march, received=6, open_overdue=2), "one more day")
    r = satisfaction(ld, **{"from": "2025-02-28", "to": "2025-02-28"})
    eq(r.json["feedback"], {"received": 1, "answered_on_time": 0, "answered_late": 1,
                            "open_overdue": 0, "refused": 0}, "one day")
    eq(r.json["ratings"]["total"], 0, "no rating that day")
    # the subtree: the province counts its communes; another commune has none of these
    r = satisfaction(login(ctx, "ld.tinh"), unit=PROVINCE, **{"from": "2025-03-01",
                                                             "to": "2025-03-31"})
    eq(r.json["feedback"], march, "the province's subtree")
    r = satisfaction(login(ctx, "ld.camranh"), unit="003.01.00.H34",
                     **{"from": "2025-03-01", "to": "2025-03-31"})
    eq((r.json["feedback"]["received"], r.json["ratings"]["total"]), (0, 0), "another commune")
    expect_error(satisfaction(ld, **{"from": "2025-13-01"}), 400, "validation", "from")
    expect_error(satisfaction(ld, **{"from": "2025-03-31", "to": "2025-03-01"}), 400,
                 "validation", "to")
    expect_error(satisfaction(login(ctx, "cv.camranh"), **{"from": "2025-03-01"}), 403,
                 "forbidden")
