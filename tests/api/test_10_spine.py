"""The spine: health, OpenAPI, sessions, CSRF, tokens, throttling, units, users, audit."""
import json
import signal
import socket
import subprocess
import time

from harness import Client, Fail, Server, check, eq, expect_error, test

API = "/api/v1"


def admin(ctx):
    c = ctx.server.client()
    r = c.login("admin", ctx.logins["admin"])
    eq(r.status, 200, f"admin login {r}")
    return c


def as_user(ctx, name):
    c = ctx.server.client()
    r = c.login(name, ctx.logins[name])
    eq(r.status, 200, f"login {name} {r}")
    return c


def unit_id(ctx, code):
    r = ctx.server.client().get(f"{API}/units?flat=1")
    for u in r.json["items"]:
        if u["code"] == code:
            return u["id"]
    raise Fail(f"no unit {code}")


def count(ctx, table):
    return int(ctx.server.sql(f"SELECT COUNT(*) FROM {table}"))


@test
def health_names_the_backend(ctx):
    r = ctx.server.client().get(f"{API}/health")
    eq(r.status, 200, "status")
    eq(r.json["status"], "ok", "status field")
    eq(r.json["db"], ctx.backend, "db")
    check(r.json["version"], "version")


@test
def security_headers_on_every_answer(ctx):
    for path in (f"{API}/health", f"{API}/nope", f"{API}/auth/me"):
        r = ctx.server.client().get(path)
        eq(r.header("X-Content-Type-Options"), "nosniff", path)
        eq(r.header("X-Frame-Options"), "DENY", path)
        csp = r.header("Content-Security-Policy") or ""
        check("default-src 'self'" in csp and "unsafe-inline" not in csp, f"CSP {csp}")
        check(r.header("Referrer-Policy"), "Referrer-Policy")
        check(len(r.header("X-Request-Id") or "") >= 8, "X-Request-Id")


@test
def every_route_is_in_the_openapi_document(ctx):
    r = ctx.server.client().get(f"{API}/openapi.yaml")
    eq(r.status, 200, "openapi status")
    doc = r.raw.decode("utf-8")
    routes = ctx.server.cli("routes").stdout.split("\n")
    missing = []
    for line in filter(None, routes):
        method, path = line.split(" ", 1)
        # the path must appear as a key under paths: with the method below it
        start = doc.find(f"\n  {path}:\n")
        if start < 0:
            missing.append(line)
            continue
        nxt = doc.find("\n  /", start + 1)
        block = doc[start: nxt if nxt > 0 else len(doc)]
        if f"\n    {method.lower()}:" not in block:
            missing.append(line)
    check(not missing, f"routes missing from docs/api/openapi.yaml: {missing}")


@test
def login_sets_a_strict_httponly_cookie(ctx):
    c = ctx.server.client()
    r = c.login("admin", ctx.logins["admin"])
    eq(r.status, 200, "login")
    cookie = r.header("Set-Cookie")
    for attr in ("HttpOnly", "SameSite=Strict", "Path=/"):
        check(attr in cookie, f"cookie lacks {attr}: {cookie}")
    check(len(r.json["csrf_token"]) >= 32, "csrf token")
    me = c.get(f"{API}/auth/me")
    eq(me.status, 200, "me")
    eq(me.json["username"], "admin", "me.username")
    eq(me.json["roles"][0]["role"], "admin", "role")


@test
def wrong_password_is_401_with_both_languages(ctx):
    ctx.server.cli("user", "add", "wrongpw", "--role", "receiver", "--unit", "root",
                   stdin="Secret-pass-1\n")
    c = ctx.server.client()
    err = expect_error(c.login("wrongpw", "nope-nope-1"), 401, "unauthenticated")
    check("mật khẩu" in err["message_vi"], err)
    # an unknown user gets the very same answer
    err2 = expect_error(c.login("no-such-user", "nope-nope-1"), 401, "unauthenticated")
    eq(err2["message"], err["message"], "same message for unknown user")


@test
def logout_ends_the_session(ctx):
    c = admin(ctx)
    r = c.post(f"{API}/auth/logout")
    eq(r.status, 204, f"logout {r}")
    check("Max-Age=0" in (r.header("Set-Cookie") or ""), "cookie not cleared")
    expect_error(c.get(f"{API}/auth/me"), 401, "unauthenticated")


@test
def old_cookie_after_logout_is_refused(ctx):
    c = admin(ctx)
    saved = dict(c.cookies)
    eq(c.get(f"{API}/auth/me").status, 200, "me before")
    eq(c.post(f"{API}/auth/logout").status, 204, "logout")
    thief = ctx.server.client()
    thief.cookies = saved
    expect_error(thief.get(f"{API}/auth/me"), 401, "unauthenticated", what="replayed cookie")


@test
def no_session_is_401(ctx):
    expect_error(ctx.server.client().get(f"{API}/auth/me"), 401, "unauthenticated")
    expect_error(ctx.server.client().get(f"{API}/users"), 401, "unauthenticated")


@test
def expired_session_is_401(ctx):
    c = admin(ctx)
    # expire it in the database before the server has cached it
    ctx.server.sql("UPDATE session SET expires_at = 1000 WHERE id = (SELECT MAX(id) FROM session)")
    err = expect_error(c.get(f"{API}/auth/me"), 401, "unauthenticated", "session")
    check("hết hạn" in err["message_vi"], err)


@test
def csrf_token_is_required_with_the_cookie(ctx):
    c = admin(ctx)
    parent = unit_id(ctx, "000.00.00.H34")
    body = {"parent_id": parent, "name": "Phòng thử CSRF", "kind": "office"}
    before = count(ctx, "unit")
    expect_error(c.post(f"{API}/units", body, csrf=False), 403, "forbidden", "X-CSRF-Token")
    expect_error(c.post(f"{API}/units", body, headers={"X-CSRF-Token": "x" * 43}), 403,
                 "forbidden", "X-CSRF-Token")
    eq(count(ctx, "unit"), before, "no unit created without CSRF")
    r = c.post(f"{API}/units", body)
    eq(r.status, 201, f"with token {r}")


@test
def cross_origin_post_is_refused(ctx):
    c = admin(ctx)
    r = c.post(f"{API}/units", {"parent_id": 1, "name": "x", "kind": "office"},
               headers={"Origin": "http://evil.example"})
    expect_error(r, 403, "forbidden", "Origin")


@test
def api_tokens_work_without_csrf_and_die_when_revoked(ctx):
    c = admin(ctx)
    r = c.post(f"{API}/auth/tokens", {"name": "Đồng bộ Cổng DVC quốc gia"})
    eq(r.status, 201, f"create token {r}")
    token, tid = r.json["token"], r.json["id"]
    check(token.startswith("mc_"), token)
    listed = c.get(f"{API}/auth/tokens").json["items"]
    check(all("token" not in t for t in listed), "token shown again in the list")
    check(token not in ctx.server.sql("SELECT token_hash FROM api_token"), "token stored in clear")
    b = ctx.server.client()
    b.bearer = token
    eq(b.get(f"{API}/auth/me").json["username"], "admin", "bearer me")
    parent = unit_id(ctx, "000.00.00.H34")
    r = b.post(f"{API}/units", {"parent_id": parent, "name": "Phòng qua token", "kind": "office"})
    eq(r.status, 201, f"bearer post without CSRF {r}")
    eq(c.delete(f"{API}/auth/tokens/{tid}").status, 204, "revoke")
    expect_error(b.get(f"{API}/auth/me"), 401, "unauthenticated", what="revoked token")
    b.bearer = "mc_" + "A" * 43
    expect_error(b.get(f"{API}/auth/me"), 401, "unauthenticated", what="unknown token")


@test
def account_is_throttled_after_repeated_failures(ctx):
    ctx.server.cli("user", "add", "throttled", "--role", "receiver", "--unit", "root",
                   stdin="Right-pass-1\n")
    c = ctx.server.client()
    for i in range(5):
        expect_error(c.login("throttled", f"wrong-{i}-pass"), 401, "unauthenticated")
    # now even the right password waits
    expect_error(c.login("throttled", "Right-pass-1"), 429, "rate_limited")


@test
def address_is_throttled_after_many_failures(ctx):
    # a second server on the same database: the per-address counter is per process
    s2 = Server(ctx.bin, ctx.db).start()
    try:
        c = s2.client()
        statuses = [c.login(f"ghost{i}", "wrong-pass-1").status for i in range(21)]
        eq(statuses[:20], [401] * 20, "first 20 failures")
        eq(statuses[20], 429, "21st attempt")
        expect_error(c.login("admin", ctx.logins["admin"]), 429, "rate_limited")
    finally:
        s2.stop()


# ---- bad input: each gets the right status, names the field, and leaves no row behind ----

BAD_UNIT_BODIES = [
    # (body, status, code, field)
    ({"name": "Thiếu cấp trên", "kind": "office"}, 400, "validation", "parent_id"),
    ({"parent_id": "1", "name": "Sai kiểu", "kind": "office"}, 400, "validation", "parent_id"),
    ({"parent_id": 1, "name": 12, "kind": "office"}, 400, "validation", "name"),
    ({"parent_id": 1, "name": "", "kind": "office"}, 400, "validation", "name"),
    ({"parent_id": 1, "name": "   ", "kind": "office"}, 400, "validation", "name"),
    ({"parent_id": 1, "name": "x" * 201, "kind": "office"}, 400, "validation", "name"),
    ({"parent_id": 1, "name": "Loại lạ", "kind": "castle"}, 400, "validation", "kind"),
    ({"parent_id": 1, "name": "Thừa trường", "kind": "office", "colour": "red"}, 400,
     "validation", "colour"),
    ({"parent_id": 1, "name": "Mã sai", "kind": "office", "code": "ABC.00.13.G04"}, 400,
     "validation", "code"),
    ({"parent_id": 1, "name": "Ngày sai", "kind": "office", "effective_from": "2025-02-30"},
     400, "validation", "effective_from"),
    ({"parent_id": 999999, "name": "Cấp trên không có", "kind": "office"}, 400, "validation",
     "parent_id"),
    ({"parent_id": 1, "name": "Trùng mã", "kind": "office", "code": "000.00.00.H34"}, 409,
     "conflict", "code"),
]


@test
def unit_bodies_that_are_wrong(ctx):
    c = admin(ctx)
    root = unit_id(ctx, "000.00.00.H34")
    before = count(ctx, "unit")
    audit_before = count(ctx, "audit_log")
    for body, status, code, field in BAD_UNIT_BODIES:
        if body.get("parent_id") == 1:
            body = dict(body, parent_id=root)
        expect_error(c.post(f"{API}/units", body), status, code, field, what=json.dumps(body))
    eq(count(ctx, "unit"), before, "no unit left behind")
    eq(count(ctx, "audit_log"), audit_before, "no audit row left behind")


@test
def malformed_requests(ctx):
    c = admin(ctx)
    before = count(ctx, "unit")
    ct = {"Content-Type": "application/json"}
    expect_error(c.request("POST", f"{API}/units", raw=b"{\"name\": ", headers=ct), 400,
                 "validation", "body", "truncated JSON")
    expect_error(c.request("POST", f"{API}/units", raw=b"[1,2]", headers=ct), 400, "validation",
                 "body", "array body")
    expect_error(c.request("POST", f"{API}/units", raw=b"", headers=ct), 400, "validation",
                 "body", "empty body")
    expect_error(c.request("POST", f"{API}/units",
                           raw=b'{"parent_id":1,"name":"\xff\xfe","kind":"office"}', headers=ct),
                 400, "validation", "body", "invalid UTF-8")
    expect_error(c.request("POST", f"{API}/units",
                           raw=b'{"parent_id":1,"parent_id":2,"name":"a","kind":"office"}',
                           headers=ct), 400, "validation", "body", "duplicate key")
    deep = b'{"parent_id":1,"name":"a","kind":"office","x":' + b"[" * 40 + b"]" * 40 + b"}"
    expect_error(c.request("POST", f"{API}/units", raw=deep, headers=ct), 400, "validation",
                 None, "deep nesting")
    expect_error(c.request("POST", f"{API}/units", raw=b'{"":1}', headers=ct), 400,
                 "validation", '""', "an empty key is named")
    expect_error(c.request("POST", f"{API}/units", raw=b'{"name":"a"}',
                           headers={"Content-Type": "text/plain"}), 415,
                 "unsupported_media_type", "Content-Type")
    big = b'{"name":"' + b"a" * (1 << 20) + b'"}'
    expect_error(c.request("POST", f"{API}/units", raw=big, headers=ct), 413, "too_large", "body")
    expect_error(c.request("DELETE", f"{API}/units"), 405, "method_not_allowed")
    expect_error(c.get(f"{API}/no/such/path"), 404, "not_found")
    expect_error(c.get(f"{API}/units/abc"), 404, "not_found")
    expect_error(c.get(f"{API}/units/99999999"), 404, "not_found")
    eq(count(ctx, "unit"), before, "nothing created")


@test
def strings_are_stored_nfc_and_trimmed(ctx):
    c = admin(ctx)
    root = unit_id(ctx, "000.00.00.H34")
    decomposed = "Pho\u0300ng Tu\u031b\u0301 pha\u0301p"  # NFD: Phòng Tứ pháp
    r = c.post(f"{API}/units", {"parent_id": root, "name": "  " + decomposed + " ",
                                "kind": "office"})
    eq(r.status, 201, f"create {r}")
    eq(r.json["name"], "Phòng Tứ pháp", "NFC and trimmed")


@test
def unit_tree_rename_close_alias(ctx):
    c = admin(ctx)
    root = unit_id(ctx, "000.00.00.H34")
    r = c.post(f"{API}/units", {"parent_id": root, "name": "UBND huyện Thử", "kind": "district",
                                "code": "000.09.00.H34", "effective_from": "2020-01-01"})
    eq(r.status, 201, f"district {r}")
    district = r.json["id"]
    r = c.post(f"{API}/units", {"parent_id": district, "name": "UBND xã Thử Một",
                                "kind": "commune", "code": "000.09.01.H34"})
    eq(r.status, 201, f"commune under district {r}")
    commune = r.json["id"]
    eq(r.json["depth"], 2, "depth")
    # the tree nests it
    tree = c.get(f"{API}/units").json["items"]
    eq(len(tree), 1, "one root")
    d = [u for u in tree[0]["children"] if u["id"] == district][0]
    eq([u["id"] for u in d["children"]], [commune], "commune nested under district")
    # rename, close
    r = c.patch(f"{API}/units/{commune}", {"name": "UBND xã Thử Nhất"})
    eq((r.status, r.json["name"]), (200, "UBND xã Thử Nhất"), f"rename {r}")
    r = c.patch(f"{API}/units/{district}", {"effective_to": "2025-07-01"})
    eq((r.status, r.json["closed"]), (200, True), f"close {r}")
    expect_error(c.patch(f"{API}/units/{district}", {"effective_to": "2019-01-01"}), 400,
                 "validation", "effective_to")
    expect_error(c.patch(f"{API}/units/{district}", {}), 400, "validation", "body")
    expect_error(c.patch(f"{API}/units/{district}", {"parent_id": root}), 400, "validation",
                 "parent_id")
    # the old district lives on as the province's new commune
    camranh = unit_id(ctx, "003.01.00.H34")
    r = c.post(f"{API}/units/{camranh}/aliases", {"old_code": "000.09.00.H34",
                                                  "old_name": "UBND huyện Thử",
                                                  "since": "2025-07-01"})
    eq(r.status, 201, f"alias {r}")
    r = c.get(f"{API}/units/{camranh}")
    names = [a["old_name"] for a in r.json["aliases"]]
    check("UBND huyện Thử" in names, f"aliases {names}")


@test
def unit_admin_acts_only_inside_its_subtree(ctx):
    qt = as_user(ctx, "qt.tuphap")  # unit_admin of Sở Tư pháp
    stp = unit_id(ctx, "000.00.02.H34")
    nhatrang = unit_id(ctx, "001.01.00.H34")
    before = count(ctx, "app_user")
    r = qt.post(f"{API}/users", {"username": "cv2.tuphap", "full_name": "Nguyễn Văn Tư",
                                 "password": "Mat-khau-123", "roles": [
                                     {"role": "specialist", "unit": stp}]})
    eq(r.status, 201, f"inside {r}")
    expect_error(qt.post(f"{API}/users", {"username": "cv.lan", "full_name": "Lạn",
                                          "password": "Mat-khau-123", "roles": [
                                              {"role": "specialist", "unit": nhatrang}]}),
                 403, "forbidden", what="outside subtree")
    expect_error(qt.post(f"{API}/users", {"username": "admin2", "full_name": "Tự phong",
                                          "password": "Mat-khau-123", "roles": [
                                              {"role": "admin", "unit": stp}]}),
                 403, "forbidden", what="granting admin")
    expect_error(qt.post(f"{API}/units", {"parent_id": stp, "name": "Phòng mới",
                                          "kind": "office"}), 403, "forbidden",
                 what="unit_admin creating units")
    eq(count(ctx, "app_user"), before + 1, "only the allowed user exists")
    # the list shows only users it may manage
    names = {u["username"] for u in qt.get(f"{API}/users").json["items"]}
    check("cv2.tuphap" in names and "cv.tuphap" in names, names)
    check("admin" not in names and "tn.nhatrang" not in names, f"leaks other units: {names}")
    # a receiver may not list users at all, nor read another user, but may read itself
    tn = as_user(ctx, "tn.nhatrang")
    expect_error(tn.get(f"{API}/users"), 403, "forbidden")
    admin_id = [u for u in admin(ctx).get(f"{API}/users").json["items"]
                if u["username"] == "admin"][0]["id"]
    expect_error(tn.get(f"{API}/users/{admin_id}"), 403, "forbidden", what="read another user")
    expect_error(qt.get(f"{API}/users/{admin_id}"), 403, "forbidden", what="unit_admin reads admin")
    me = tn.get(f"{API}/auth/me").json["id"]
    eq(tn.get(f"{API}/users/{me}").status, 200, "read self")


@test
def users_create_update_disable(ctx):
    c = admin(ctx)
    nhatrang = unit_id(ctx, "001.01.00.H34")
    r = c.post(f"{API}/users", {"username": "tn2.nhatrang", "full_name": "Trần Thị Bích Ngọc",
                                "email": "ngoc@nhatrang.gov.vn", "password": "Mot-cua-2026",
                                "roles": [{"role": "receiver", "unit": nhatrang},
                                          {"role": "cashier", "unit": "001.01.00.H34"}]})
    eq(r.status, 201, f"create {r}")
    uid = r.json["id"]
    eq(sorted(x["role"] for x in r.json["roles"]), ["cashier", "receiver"], "roles")
    expect_error(c.post(f"{API}/users", {"username": "tn2.nhatrang", "full_name": "Trùng",
                                         "password": "Mot-cua-2026"}), 409, "conflict",
                 "username")
    expect_error(c.post(f"{API}/users", {"username": "Bad Name", "full_name": "x",
                                         "password": "Mot-cua-2026"}), 400, "validation",
                 "username")
    expect_error(c.post(f"{API}/users", {"username": "bad.mail", "full_name": "x",
                                         "email": "bad", "password": "Mot-cua-2026"}),
                 400, "validation", "email")
    expect_error(c.patch(f"{API}/users/{uid}", {"email": "ngoc@nhatrang"}), 400, "validation",
                 "email", what="update")
    expect_error(c.post(f"{API}/users", {"username": "weakpw", "full_name": "x",
                                         "password": "12345678"}), 400, "validation",
                 "password")
    expect_error(c.post(f"{API}/users", {"username": "badrole", "full_name": "x",
                                         "password": "Mot-cua-2026",
                                         "roles": [{"role": "king", "unit": 1}]}), 400,
                 "validation", "roles[0].role")
    expect_error(c.post(f"{API}/users", {"username": "badunit", "full_name": "x",
                                         "password": "Mot-cua-2026",
                                         "roles": [{"role": "clerk", "unit": 987654}]}), 400,
                 "validation", "roles[0].unit")
    u = ctx.server.client()
    eq(u.login("tn2.nhatrang", "Mot-cua-2026").status, 200, "new user logs in")
    # the password is never stored in clear, and is argon2id
    h = ctx.server.sql(f"SELECT password_hash FROM app_user WHERE id = {uid}")
    check(h.startswith("$argon2id$"), h)
    # disabling ends the session
    r = c.patch(f"{API}/users/{uid}", {"disabled": True})
    eq((r.status, r.json["disabled"]), (200, True), f"disable {r}")
    expect_error(u.get(f"{API}/auth/me"), 401, "unauthenticated", what="disabled user")
    expect_error(u.login("tn2.nhatrang", "Mot-cua-2026"), 401, "unauthenticated")
    r = c.patch(f"{API}/users/{uid}", {"disabled": False, "roles": [
        {"role": "specialist", "unit": nhatrang}]})
    eq([x["role"] for x in r.json["roles"]], ["specialist"], f"roles replaced {r}")


@test
def user_changes_own_password(ctx):
    ctx.server.cli("user", "add", "selfpw", "--role", "clerk", "--unit", "root",
                   stdin="First-pass-1\n")
    c = ctx.server.client()
    eq(c.login("selfpw", "First-pass-1").status, 200, "login")
    other = ctx.server.client()
    eq(other.login("selfpw", "First-pass-1").status, 200, "login elsewhere")
    me = c.get(f"{API}/auth/me").json
    r = c.patch(f"{API}/users/{me['id']}", {"password": "Second-pass-2"})
    eq(r.status, 200, f"own password {r}")
    eq(c.get(f"{API}/auth/me").status, 200, "the changing session stays")
    expect_error(other.get(f"{API}/auth/me"), 401, "unauthenticated", what="other session")
    expect_error(c.patch(f"{API}/users/{me['id']}", {"full_name": "Tự đổi tên"}), 403,
                 "forbidden", what="other own fields need an administrator")
    eq(ctx.server.client().login("selfpw", "Second-pass-2").status, 200, "new password")


@test
def cli_user_commands(ctx):
    p = ctx.server.cli("user", "add", "cli.user", "--role", "leader", "--unit", "001.01.00.H34",
                       "--full-name", "Lê Văn Tám", stdin="Cli-pass-123\n")
    check("created" in p.stdout, p.stdout)
    p = ctx.server.cli("user", "add", "cli.bad", "--role", "emperor", "--unit", "root",
                       stdin="Cli-pass-123\n", check_rc=False)
    check(p.returncode != 0 and "role" in p.stderr, f"bad role accepted: {p.stderr}")
    p = ctx.server.cli("user", "add", "cli.bad2", "--role", "clerk", "--unit", "no-such",
                       stdin="Cli-pass-123\n", check_rc=False)
    check(p.returncode != 0, "unknown unit accepted")
    ctx.server.cli("user", "passwd", "cli.user", stdin="Cli-pass-456\n")
    eq(ctx.server.client().login("cli.user", "Cli-pass-456").status, 200, "passwd")
    ctx.server.cli("user", "grant", "cli.user", "--role", "clerk", "--unit", "root")
    c = ctx.server.client()
    c.login("cli.user", "Cli-pass-456")
    roles = sorted(g["role"] for g in c.get(f"{API}/auth/me").json["roles"])
    eq(roles, ["clerk", "leader"], "granted")


@test
def metrics_count_requests_by_route(ctx):
    c = ctx.server.client()
    for _ in range(3):
        c.get(f"{API}/health")
    r = c.get("/metrics")
    eq(r.status, 200, "metrics")
    text = r.raw.decode()
    check('motcua_http_requests_total{route="GET /api/v1/health",status="200"}' in text, text[:500])
    check("motcua_http_request_duration_seconds_bucket" in text, "histogram")
    check("motcua_db_time_seconds_total" in text, "db time")


@test
def audit_chain_verifies_and_catches_an_edit(ctx):
    p = ctx.server.cli("verify")
    check("intact" in p.stdout, p.stdout)
    n = int(ctx.server.sql("SELECT COUNT(*) FROM audit_log"))
    check(n > 10, f"audit rows: {n}")
    victim = n // 2
    old = ctx.server.sql(f"SELECT detail FROM audit_log WHERE seq = {victim}")
    ctx.server.sql(f"UPDATE audit_log SET detail = 'sửa trộm' WHERE seq = {victim}")
    p = ctx.server.cli("verify", check_rc=False)
    check(p.returncode != 0, "verify passed an edited row")
    check(str(victim) in p.stderr, f"verify did not name entry {victim}: {p.stderr}")
    ctx.server.sql(f"UPDATE audit_log SET detail = '{old}' WHERE seq = {victim}")
    eq(ctx.server.cli("verify").returncode, 0, "restored")
    # a deleted last row is caught too
    last = ctx.server.sql("SELECT MAX(seq) FROM audit_log")
    row = ctx.server.sql(f"SELECT id FROM audit_log WHERE seq = {last}")
    saved = ctx.server.sql(
        f"SELECT seq, at, COALESCE(actor_id, 0), actor_name, action, object_type, object_id, "
        f"detail, prev_hash, hash FROM audit_log WHERE seq = {last}")
    ctx.server.sql(f"DELETE FROM audit_log WHERE seq = {last}")
    p = ctx.server.cli("verify", check_rc=False)
    check(p.returncode != 0, "verify passed a deleted row")
    # put it back exactly
    sep = "|"
    f = saved.split(sep)
    actor = "NULL" if f[2] == "0" else f[2]
    vals = ", ".join([row, f[0], f[1], actor] + ["'" + x.replace("'", "''") + "'" for x in f[3:]])
    ctx.server.sql("INSERT INTO audit_log (id, seq, at, actor_id, actor_name, action, "
                   f"object_type, object_id, detail, prev_hash, hash) VALUES ({vals})")
    eq(ctx.server.cli("verify").returncode, 0, "restored tail")


@test
def graceful_shutdown_finishes_the_request_in_flight(ctx):
    s2 = Server(ctx.bin, ctx.db).start()
    sock = socket.create_connection(("127.0.0.1", s2.port))
    c = s2.client()
    r = c.login("admin", ctx.logins["admin"])
    eq(r.status, 200, "login")
    body = json.dumps({"username": "x", "password": "y" * 20}).encode()
    head = (f"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    sock.sendall(head + body[:10])
    time.sleep(0.3)
    s2.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    check(s2.proc.poll() is None, "server quit with a request in flight")
    sock.sendall(body[10:])
    reply = sock.recv(65536).decode("utf-8", "replace")
    sock.close()
    check(reply.startswith("HTTP/1.1 401"), f"in-flight request not answered: {reply[:200]}")
    rc = s2.proc.wait(timeout=30)
    s2.proc.send_signal = lambda sig: None  # already stopping
    eq(rc, 0, "exit status")
    s2.proc.stdout.close()
    s2.stderr.close()
    s2.proc = None
    err = s2.read_stderr()
    check("AddressSanitizer" not in err and "runtime error" not in err, err[-2000:])
