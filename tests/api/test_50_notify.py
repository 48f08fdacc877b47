"""Notifications: the outbox sender (e-mail over SMTP, webhooks signed with HMAC-SHA-256,
retries with back-off, failed rows an administrator lists and retries), the staff-warning sweep
(due soon, late: once each) and supplements lapsed when their period runs out.

A second server runs on the same database with --smtp pointing at a small SMTP sink and
webhooks registered to an HTTP receiver, both on loopback. The main server is stopped while
these tests run, so that one sender alone (with fast retries) claims the rows; the last test
stops the second server while a webhook hangs and starts the main server again."""
import atexit
import email
import email.policy
import hashlib
import hmac
import http.server
import json
import re
import socketserver
import threading
import time

from harness import Fail, Server, check, eq, expect_error, test

API = "/api/v1"
PROC = "9.990050.T"  # a procedure of our own: two steps, times known
UNIT = "001.01.00.H34"  # UBND phường Nha Trang, the receiver tn.nhatrang's unit
FROM = "motcua@example.gov.vn"
APPLICANT_MAIL = "nguyen.van.an@example.vn"
STAFF_MAIL = "cv.nhatrang@example.gov.vn"


# ---- a small SMTP sink ----

class _SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self):
        sink = self.server.sink
        self.reply("220 sink.test ESMTP")
        mail_from, rcpts = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("ascii", "replace").rstrip("\r\n")
            up = cmd.upper()
            if up.startswith("EHLO"):
                self.wfile.write(b"250-sink.test\r\n250-8BITMIME\r\n250 HELP\r\n")
            elif up.startswith("HELO") or up in ("NOOP", "RSET"):
                if up == "RSET":
                    mail_from, rcpts = None, []
                self.reply("250 OK")
            elif up.startswith("MAIL FROM:"):
                mail_from, rcpts = cmd[10:].strip().split(" ")[0], []
                self.reply("250 OK")
            elif up.startswith("RCPT TO:"):
                rcpts.append(cmd[8:].strip())
                self.reply("250 OK")
            elif up == "DATA":
                self.reply("354 end with .")
                data = []
                while True:
                    dl = self.rfile.readline()
                    if not dl or dl == b".\r\n":
                        break
                    data.append(dl[1:] if dl.startswith(b"..") else dl)
                with sink.lock:
                    sink.messages.append((mail_from, rcpts, b"".join(data)))
                self.reply("250 queued")
            elif up == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class SmtpSink:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
        self.srv.daemon_threads = True
        self.srv.sink = self
        self.port = self.srv.server_address[1]
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def mails(self):
        """(from, [rcpt], email.message.EmailMessage, raw bytes) of every message so far."""
        with self.lock:
            msgs = list(self.messages)
        return [(f, r, email.message_from_bytes(d, policy=email.policy.default), d)
                for f, r, d in msgs]

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


# ---- an HTTP receiver of webhooks ----

class Receiver:
    def __init__(self):
        self.posts = []  # dicts: at, path, headers, body
        self.fail = set()  # events answered 500
        self.hang = 0  # seconds to wait before answering ...
        self.hang_event = None  # ... this event (to test a stop mid-transfer)
        self.lock = threading.Lock()
        rec = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                event = self.headers.get("X-Motcua-Event")
                with rec.lock:
                    rec.posts.append({"at": time.time(), "path": self.path,
                                      "headers": dict(self.headers), "body": body})
                if rec.hang and event == rec.hang_event:
                    time.sleep(rec.hang)
                code = 500 if event in rec.fail else 204
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/motcua"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def received(self, event=None, dossier=None):
        with self.lock:
            posts = list(self.posts)
        out = []
        for p in posts:
            doc = json.loads(p["body"])
            if (event is None or doc["event"] == event) and \
                    (dossier is None or doc["dossier"] == dossier):
                out.append((p, doc))
        return out

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# ---- the set-up shared by the tests of this file ----

def login(server, ctx, name):
    c = server.client()
    r = c.login(name, ctx.logins[name])
    eq(r.status, 200, f"login {name} {r}")
    return c


def wait_for(what, fn, timeout=20.0):
    """Poll fn() until it returns something true; Fail after timeout seconds."""
    deadline = time.time() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.time() > deadline:
            raise Fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def procedure_entry():
    ch = {"time_unit": "working_days", "time_minutes": 1440, "fee": 0,
          "time_text": "03 ngày làm việc"}
    return {
        "code": PROC,
        "name": "Thủ tục thử nghiệm thông báo (cấp giấy xác nhận)",
        "field_code": "ho-tich",
        "levels": ["commune"],
        "online_mode": "full",
        "channels": {"direct": dict(ch), "online": dict(ch), "postal": None},
        "cases": [{
            "name": "Trường hợp chung",
            "components": [{"name": "Tờ khai theo mẫu", "originals": 1, "copies": 0,
                            "required": True}],
            "workflow": [
                {"name": "Thẩm định hồ sơ", "role": "specialist", "unit_kind": "commune",
                 "minutes": 960},
                {"name": "Phê duyệt kết quả", "role": "leader", "unit_kind": "commune",
                 "minutes": 480},
            ],
        }],
    }


class Notify:
    pass


def setup(ctx):
    """The sink, the receiver and the second server (once); the main server stopped."""
    n = getattr(ctx, "notify", None)
    if n:
        return n
    n = Notify()
    a = login(ctx.server, ctx, "admin")
    r = a.post(f"{API}/procedures", procedure_entry())
    check(r.status in (200, 201), f"create the test procedure: {r}")
    # the specialist of Nha Trang gets an e-mail address (the staff warnings go there)
    users = a.get(f"{API}/users").json["items"]
    cv = [u for u in users if u["username"] == "cv.nhatrang"][0]
    r = a.patch(f"{API}/users/{cv['id']}", {"email": STAFF_MAIL})
    eq(r.status, 200, f"set cv.nhatrang's e-mail {r}")
    # Without --smtp the main server leaves e-mail pending and says so once, not every second.
    intake(ctx, server=ctx.server)
    wait_for("the main server's mail_not_configured line",
             lambda: "mail_not_configured" in ctx.server.read_stderr(), timeout=5)
    intake(ctx, server=ctx.server)
    time.sleep(1.5)
    n.main_said = ctx.server.read_stderr().count('"event":"mail_not_configured"')
    ctx.server.stop()
    # Keep e-mail left pending by the main server (and the demo) pending but not due, so that
    # this file's mails are not queued behind others the sink does not expect.
    ctx.server.sql("UPDATE outbox SET next_attempt_at = next_attempt_at + 315360000 "
                   "WHERE status = 'pending'")
    n.sink = SmtpSink()
    n.receiver = Receiver()
    n.server = Server(ctx.bin, ctx.db, extra=[
        "--smtp", f"smtp://127.0.0.1:{n.sink.port}", "--smtp-from", FROM,
        "--outbox-max-attempts", "2", "--outbox-backoff-seconds", "2",
        "--sweep-interval", "1"]).start()
    ctx.notify = n

    def cleanup():
        if n.server.proc:
            n.server.proc.kill()
    atexit.register(cleanup)
    return n


def intake(ctx, email_addr=APPLICANT_MAIL, server=None):
    server = server or setup(ctx).server
    ap = {"kind": "person", "name": "Nguyễn Văn An", "id_type": "cccd",
          "id_number": "079190005678", "phone": "0905123457"}
    if email_addr:
        ap["email"] = email_addr
    r = login(server, ctx, "tn.nhatrang").post(f"{API}/dossiers", {
        "procedure": PROC, "channel": "direct", "applicant": ap,
        "components": [{"name": "Tờ khai theo mẫu", "originals": 1, "copies": 0}],
        "delivery": {"method": "counter"}})
    eq(r.status, 201, f"intake {r}")
    return r.json


def act(c, code, action, **kw):
    r = c.post(f"{API}/dossiers/{code}/actions", dict(kw, action=action))
    eq(r.status, 200, f"{action} {r}")
    return r.json


def mails_to(n, addr, code):
    return [m for m in n.sink.mails() if m[1] == [f"<{addr}>"] and code in m[2]["Subject"]]


def rows(ctx, sql):
    out = ctx.server.sql(sql)
    return [line.split("|") for line in out.splitlines() if line]


# ---- the tests ----

@test
def without_smtp_mail_waits_and_the_log_says_so_once(ctx):
    n = setup(ctx)
    eq(n.main_said, 1, "mail_not_configured lines of the main server (no --smtp)")


@test
def administrators_register_webhooks_with_a_secret_shown_once(ctx):
    n = setup(ctx)
    tn = login(n.server, ctx, "tn.nhatrang")
    a = login(n.server, ctx, "admin")
    expect_error(tn.post(f"{API}/admin/webhooks", {"unit": UNIT, "url": n.receiver.url}),
                 403, "forbidden", what="a receiver registers a webhook")
    expect_error(a.post(f"{API}/admin/webhooks", {"unit": UNIT, "url": "ftp://example.vn/x"}),
                 400, "validation", "url")
    expect_error(a.post(f"{API}/admin/webhooks",
                        {"unit": UNIT, "url": "http://user:pw@example.vn/x"}),
                 400, "validation", "url", "credentials in the URL")
    expect_error(a.post(f"{API}/admin/webhooks", {"unit": "999.99.99.X99",
                                                  "url": n.receiver.url}),
                 400, "validation", "unit")
    expect_error(a.post(f"{API}/admin/webhooks", {"unit": UNIT}), 400, "validation", "url")
    before = int(ctx.server.sql("SELECT COUNT(*) FROM webhook"))
    r = a.post(f"{API}/admin/webhooks", {"unit": UNIT, "url": n.receiver.url})
    eq(r.status, 201, f"register {r}")
    eq((r.json["unit"]["code"], r.json["url"], r.json["active"]), (UNIT, n.receiver.url, True),
       "the webhook")
    check(re.fullmatch(r"[A-Za-z0-9_-]{43}", r.json["secret"] or ""), f"secret {r.json}")
    eq(int(ctx.server.sql("SELECT COUNT(*) FROM webhook")), before + 1, "one row")
    n.secret, n.webhook_id = r.json["secret"], r.json["id"]
    listed = a.get(f"{API}/admin/webhooks").json["items"]
    mine = [w for w in listed if w["id"] == n.webhook_id]
    eq(len(mine), 1, f"listed {listed}")
    check("secret" not in mine[0], "the secret is shown once only")
    eq([w["id"] for w in a.get(f"{API}/admin/webhooks?unit={UNIT}").json["items"]
        if w["id"] == n.webhook_id], [n.webhook_id], "listed for its unit")
    expect_error(tn.get(f"{API}/admin/webhooks"), 403, "forbidden")
    audit = ctx.server.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'webhook.create' "
                           f"AND object_id = '{n.webhook_id}'")
    eq(audit, "1", "audited")


@test
def the_applicant_is_told_by_mail_and_the_unit_by_signed_webhooks(ctx):
    n = setup(ctx)
    check(getattr(n, "secret", None), "needs the webhook of the previous test")
    d = intake(ctx)
    code, token = d["code"], d["lookup_token"]
    cv = login(n.server, ctx, "cv.nhatrang")
    ld = login(n.server, ctx, "ld.nhatrang")
    act(cv, code, "request_supplement", items=["Bản sao giấy khai sinh có chứng thực"],
        period_days=10)
    r = n.server.client().post(f"{API}/public/dossiers/{code}/actions",
                               {"action": "supply", "token": token})
    check(r.status in (200, 204), f"supply {r}")
    act(ld, code, "assign", assignee="cv.nhatrang")
    act(cv, code, "forward")
    act(ld, code, "finish", result_number="88/GXN-UBND", signer="Đỗ Văn Hải")
    want = {"accepted": f"Tiếp nhận hồ sơ {code}",
            "supplement_needed": f"Hồ sơ {code} cần bổ sung",
            "result_ready": f"Hồ sơ {code} đã có kết quả"}
    got = wait_for("three mails to the applicant",
                   lambda: (lambda m: m if len(m) >= 3 else None)(
                       mails_to(n, APPLICANT_MAIL, code)))
    eq(sorted(m[2]["Subject"] for m in got), sorted(want.values()), "subjects (RFC 2047)")
    eq(len(got), 3, "one mail per message")
    for mail_from, rcpts, msg, raw in got:
        eq(mail_from, f"<{FROM}>", "MAIL FROM")
        eq(msg["From"], FROM, "From")
        eq(msg["To"], APPLICANT_MAIL, "To")
        check(msg["Date"] and re.search(r"\+0700$", msg["Date"]), f"Date {msg['Date']}")
        check(re.fullmatch(r"<outbox-\d+\.[\w-]+@example\.gov\.vn>", msg["Message-ID"] or ""),
              f"Message-ID {msg['Message-ID']}")
        eq(msg.get_content_type(), "text/plain", "text/plain")
        eq(msg.get_content_charset(), "utf-8", "charset")
        head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")  # headers are pure ASCII
        check("Subject: =?UTF-8?B?" in head, "the subject is an encoded word")
        check(all(len(line) <= 78 for line in head.split("\r\n")), "header lines folded")
        body = msg.get_content()
        check(code in body, f"the body names the dossier: {body!r}")
    bodies = {m[2]["Subject"]: m[2].get_content() for m in got}
    check("Bản sao giấy khai sinh có chứng thực" in bodies[want["supplement_needed"]],
          "the supplement mail lists what to supply, in Vietnamese")
    check("88/GXN-UBND" in bodies[want["result_ready"]], "the result number")
    # the webhook: one POST per message, signed with the secret
    posts = wait_for("three webhook posts", lambda: (lambda p: p if len(p) >= 3 else None)(
        n.receiver.received(dossier=code)))
    eq(sorted(doc["event"] for _, doc in posts), sorted(want), "events")
    for p, doc in posts:
        mac = hmac.new(n.secret.encode(), p["body"], hashlib.sha256).hexdigest()
        eq(p["headers"].get("X-Motcua-Signature"), "sha256=" + mac, "HMAC-SHA-256 signature")
        eq(p["headers"].get("X-Motcua-Event"), doc["event"], "X-Motcua-Event")
        check(p["headers"].get("Content-Type", "").startswith("application/json"),
              "JSON content type")
        eq(p["path"], "/hooks/motcua", "path")
        eq(doc["subject"], want[doc["event"]], "subject in the JSON")
        check(code in doc["text"] and re.fullmatch(r"\d{4}-\d\d-\d\dT.*\+07:00", doc["at"]),
              f"text and at: {doc}")
        eq(p["headers"].get("X-Motcua-Delivery"), str(doc["id"]), "delivery id")
    # a forged body does not match the signature (the receiver's check can fail)
    p0 = posts[0][0]
    forged = hmac.new(n.secret.encode(), p0["body"] + b" ", hashlib.sha256).hexdigest()
    check("sha256=" + forged != p0["headers"]["X-Motcua-Signature"], "forgery detected")
    sent = rows(ctx, "SELECT o.channel, o.status FROM outbox o JOIN dossier d ON d.id = "
                     f"o.dossier_id WHERE d.code = '{code}' AND o.kind IN ('accepted', "
                     "'supplement_needed', 'result_ready')")
    eq(sorted(map(tuple, sent)), sorted([("email", "sent")] * 3 + [("webhook", "sent")] * 3),
       "every row marked sent")


@test
def a_failing_webhook_is_retried_with_back_off_then_failed_and_retried_by_hand(ctx):
    n = setup(ctx)
    check(getattr(n, "secret", None), "needs the webhook")
    n.receiver.fail.add("accepted")
    try:
        code = intake(ctx)["code"]
        a = login(n.server, ctx, "admin")

        def failed_row():
            r = a.get(f"{API}/admin/outbox?status=failed&limit=500")
            eq(r.status, 200, f"list {r}")
            m = [x for x in r.json["items"] if x["dossier"] == code and x["channel"] == "webhook"]
            return m[0] if m else None
        row = wait_for("the webhook row to fail", failed_row)
    finally:
        n.receiver.fail.discard("accepted")
    eq((row["status"], row["attempts"], row["kind"], row["recipient"]),
       ("failed", 2, "accepted", n.receiver.url), f"failed row {row}")
    check("500" in (row["last_error"] or ""), f"last_error {row}")
    tries = n.receiver.received(event="accepted", dossier=code)
    eq(len(tries), 2, "two attempts (--outbox-max-attempts 2)")
    gap = tries[1][0]["at"] - tries[0][0]["at"]
    check(gap >= 1.9, f"the retry waited the back-off (2 s), not {gap:.2f} s")
    eq(tries[0][1]["id"], tries[1][1]["id"], "the same delivery id on both attempts")
    # the e-mail of the same transition went out regardless
    wait_for("the accepted mail", lambda: mails_to(n, APPLICANT_MAIL, code))
    # only an administrator sees or retries the outbox
    tn = login(n.server, ctx, "tn.nhatrang")
    expect_error(tn.get(f"{API}/admin/outbox?status=failed"), 403, "forbidden")
    expect_error(tn.post(f"{API}/admin/outbox/{row['id']}/retry"), 403, "forbidden")
    expect_error(a.get(f"{API}/admin/outbox?status=lost"), 400, "validation", "status")
    expect_error(a.get(f"{API}/admin/outbox?cursor=x"), 400, "validation", "cursor")
    expect_error(a.post(f"{API}/admin/outbox/999999999/retry"), 404, "not_found")
    r = a.post(f"{API}/admin/outbox/{row['id']}/retry")
    eq((r.status, r.json["status"], r.json["attempts"]), (200, "pending", 0), f"retry {r}")
    wait_for("the retried delivery", lambda: len(
        n.receiver.received(event="accepted", dossier=code)) >= 3)
    wait_for("the row marked sent", lambda: ctx.server.sql(
        f"SELECT status FROM outbox WHERE id = {row['id']}") == "sent")
    expect_error(a.post(f"{API}/admin/outbox/{row['id']}/retry"), 409, "conflict",
                 what="retry of a sent message")
    sent = a.get(f"{API}/admin/outbox?status=sent&limit=1")
    eq(len(sent.json["items"]), 1, "a page of one")
    check(sent.json["next_cursor"], "and a cursor to the next")
    nxt = a.get(f"{API}/admin/outbox?status=sent&limit=1&cursor={sent.json['next_cursor']}")
    eq(nxt.status, 200, f"next page {nxt}")
    check(nxt.json["items"] and nxt.json["items"][0]["id"] != sent.json["items"][0]["id"],
          "the next page moves on")
    eq(ctx.server.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'outbox.retry' AND "
                      f"object_id = '{row['id']}'"), "1", "the retry is audited")


@test
def two_nodes_deliver_each_message_once(ctx):
    n = setup(ctx)
    check(getattr(n, "secret", None), "needs the webhook")
    other = Server(ctx.bin, ctx.db, extra=n.server.extra).start()
    try:
        # slow answers, so that the two senders overlap while rows are in flight
        n.receiver.hang, n.receiver.hang_event = 0.3, "accepted"
        codes = [intake(ctx)["code"] for _ in range(12)]
        wait_for("every accepted mail", lambda: all(mails_to(n, APPLICANT_MAIL, c)
                                                    for c in codes))
        wait_for("every accepted webhook", lambda: all(n.receiver.received("accepted", c)
                                                       for c in codes))
        time.sleep(1.5)  # a duplicate would come within a round or two
    finally:
        n.receiver.hang = 0
        other.stop()
    for c in codes:
        eq(len(mails_to(n, APPLICANT_MAIL, c)), 1, f"mails for {c}")
        eq(len(n.receiver.received("accepted", c)), 1, f"webhook posts for {c}")
    claimed = rows(ctx, "SELECT o.attempts FROM outbox o JOIN dossier d ON d.id = "
                        f"o.dossier_id WHERE d.code IN ({', '.join(repr(c) for c in codes)})")
    eq({r[0] for r in claimed}, {"1"}, "each row claimed once")


def warnings_of(ctx, code):
    return rows(ctx, "SELECT w.step_seq, w.kind FROM dossier_warning w JOIN dossier d ON "
                     f"d.id = w.dossier_id WHERE d.code = '{code}' ORDER BY w.at, w.kind")


def staff_rows(ctx, code, kind):
    return sorted(map(tuple, rows(ctx, "SELECT o.channel, o.recipient FROM outbox o JOIN "
                                       "dossier d ON d.id = o.dossier_id WHERE d.code = "
                                       f"'{code}' AND o.kind = '{kind}'")))


@test
def the_sweep_warns_once_when_a_step_is_due_soon_and_once_when_it_is_late(ctx):
    n = setup(ctx)
    d, calm = intake(ctx, email_addr=None), intake(ctx, email_addr=None)
    code = d["code"]
    now = int(time.time())
    ctx.server.sql(f"UPDATE dossier_step SET due_at = {now + 1800} WHERE seq = 1 AND "
                   f"dossier_id = (SELECT id FROM dossier WHERE code = '{code}')")
    for _ in range(2):
        p = n.server.cli("sweep")
        check(re.match(r"sweep: \d+ due_soon, \d+ late \(\d+ messages queued\), \d+ lapsed, "
                       r"0 errors", p.stdout), f"sweep output {p.stdout!r}")
    eq(warnings_of(ctx, code), [["1", "due_soon"]], "one due_soon warning for step 1")
    eq(warnings_of(ctx, calm["code"]), [], "a dossier not due soon gets none")
    # the specialists of Nha Trang with an address (other tests may have added some)
    staff = sorted(("email", r[0]) for r in rows(
        ctx, "SELECT DISTINCT u.email FROM app_user u JOIN user_role r ON r.user_id = u.id "
             f"JOIN unit t ON t.id = r.unit_id WHERE t.code = '{UNIT}' AND r.role = "
             "'specialist' AND u.disabled = 0 AND u.email IS NOT NULL AND u.email <> ''"))
    check(("email", STAFF_MAIL) in staff, f"cv.nhatrang is a specialist with an address: {staff}")
    eq(staff_rows(ctx, code, "staff_due_soon"), sorted(staff + [("webhook", n.receiver.url)]),
       "to the specialists holding the step, and to the unit's webhook")
    mail = wait_for("the staff mail", lambda: mails_to(n, STAFF_MAIL, code))
    eq(mail[0][2]["Subject"], f"Hồ sơ {code} sắp đến hạn bước “Thẩm định hồ sơ”", "subject")
    check(re.search(r"còn \d+ giờ \d\d phút làm việc", mail[0][2].get_content()),
          f"the time left, in working time: {mail[0][2].get_content()!r}")
    # once past due: one late warning, raised by the server's own sweep (every second)
    ctx.server.sql(f"UPDATE dossier_step SET due_at = {now - 60} WHERE seq = 1 AND "
                   f"dossier_id = (SELECT id FROM dossier WHERE code = '{code}')")
    wait_for("the late warning from the background sweep",
             lambda: ["1", "late"] in warnings_of(ctx, code), timeout=10)
    n.server.cli("sweep")
    eq(warnings_of(ctx, code), [["1", "due_soon"], ["1", "late"]], "late once")
    eq(staff_rows(ctx, code, "staff_late"), sorted(staff + [("webhook", n.receiver.url)]),
       "late messages")
    posts = wait_for("the late webhook", lambda: n.receiver.received("staff_late", code))
    eq(len(posts), 1, "one late post")
    eq(posts[0][1]["subject"], f"Hồ sơ {code} đã quá hạn bước “Thẩm định hồ sơ”", "subject")
    # the dossier's own due date: within the lead time while step 1 is not (lead 480 minutes)
    ctx.server.sql(f"UPDATE dossier SET due_at = {now + 600} WHERE code = '{calm['code']}'")
    n.server.cli("sweep")
    eq(warnings_of(ctx, calm["code"]), [["0", "due_soon"]], "the dossier's own due date")


@test
def a_supplement_past_its_period_is_lapsed_by_the_sweep(ctx):
    n = setup(ctx)
    cv = login(n.server, ctx, "cv.nhatrang")
    late, waiting = intake(ctx, email_addr=None)["code"], intake(ctx, email_addr=None)["code"]
    for code in (late, waiting):
        act(cv, code, "request_supplement", items=["Ảnh 4x6"], period_days=5)
    ctx.server.sql("UPDATE dossier SET supplement_deadline = "
                   f"{int(time.time()) - 10} WHERE code = '{late}'")
    p = n.server.cli("sweep")
    check("0 errors" in p.stdout, p.stdout)
    tn = login(n.server, ctx, "tn.nhatrang")

    def state(code):
        return tn.get(f"{API}/dossiers/{code}").json

    d = wait_for("the lapse", lambda: (lambda j: j if j["state"] == "lapsed" else None)(
        state(late)), timeout=5)
    ev = d["events"][-1]
    eq((ev["action"], ev["actor"], ev["from"], ev["to"]),
       ("lapse", "system", "waiting_supplement", "lapsed"), f"the event {ev}")
    eq(d["status"], 8, "national status 8")
    eq(state(waiting)["state"], "waiting_supplement", "a supplement still in its period waits")
    v = n.server.cli("verify")
    check("every chain intact" in v.stdout, v.stdout)


@test
def the_sender_stops_promptly_mid_transfer_and_releases_its_row(ctx):
    n = setup(ctx)
    try:
        # nothing else in the queue, so that the one that hangs is this dossier's
        wait_for("an empty queue", lambda: ctx.server.sql(
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND next_attempt_at < "
            f"{int(time.time()) + 86400}") == "0")
        n.receiver.hang, n.receiver.hang_event = 8, "accepted"
        code = intake(ctx, email_addr=None)["code"]
        wait_for("the webhook in flight", lambda: n.receiver.received("accepted", code))
        t0 = time.time()
        n.server.stop()
        took = time.time() - t0
        check(took < 4, f"SIGTERM took {took:.1f} s with a webhook in flight")
        row = rows(ctx, "SELECT o.status, o.attempts FROM outbox o JOIN dossier d ON d.id = "
                        f"o.dossier_id WHERE d.code = '{code}' AND o.channel = 'webhook'")
        eq(row, [["pending", "0"]], "the interrupted delivery is released, not counted")
    finally:
        n.receiver.hang = 0
        if n.server.proc:
            n.server.stop()
        # the webhook points at a receiver that is going away
        ctx.server.sql(f"UPDATE webhook SET active = 0 WHERE url = '{n.receiver.url}'")
        n.sink.close()
        n.receiver.close()
        ctx.server.start()
