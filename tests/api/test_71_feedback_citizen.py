"""Feedback from the citizen's side: each unit's published hotline and feedback e-mail, who
may set them, and how bad numbers are refused."""
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
    r = qt.put(f"{API}/units/{stp}/contact", {"hotline": None, "email": None})
    eq((r.status, r.json["hotline"], r.json["email"]), (200, None, None), "cleared")
