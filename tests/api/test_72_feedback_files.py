"""Attachments on feedback items: the citizen attaches with the item's code and secret, staff on
items they took by hotline or at the counter; the type by content, limits per file and per
item, who may list and download (staff of the target unit's subtree, the citizen with the
secret), an "attach" event in the item's hash chain, and never a file in the published answer.

Like test_45 these run their own server on the same database with its own --files directory
and small limits (--file-max, --feedback-files-max), stopped cleanly at the end."""
import hashlib
import os
import shutil
import tempfile
import urllib.parse

from harness import Server, check, eq, expect_error, test
from test_45_files import padded_pdf, sha, tiny_pdf, tiny_png

API = "/api/v1"
UNIT = "001.01.00.H34"   # UBND phường Nha Trang: tn (receiver), cv (specialist), ld (leader)
FILE_MAX = 65536         # --file-max
ITEM_MAX = 100000        # --feedback-files-max


def server(ctx):
    s = getattr(ctx, "fbfiles_server", None)
    if s:
        return s
    ctx.fbfiles_dir = tempfile.mkdtemp(prefix="motcua-fbfiles-")
    s = Server(ctx.bin, ctx.db, extra=["--files", ctx.fbfiles_dir, "--file-max", str(FILE_MAX),
                                       "--feedback-files-max", str(ITEM_MAX), "--quiet"])
    s.start()
    ctx.fbfiles_server = s
    return s


def login(ctx, name):
    c = server(ctx).client()
    r = c.login(name, ctx.logins[name])
    eq(r.status, 200, f"login {name} {r}")
    return c


def new_item(ctx, **kw):
    body = {"content": "Biên nhận hồ sơ ghi sai ngày hẹn, gửi kèm ảnh chụp.",
            "name": "Phạm Thị Dung", "phone": "0934567890", "unit": UNIT}
    body.update(kw)
    r = server(ctx).client().post(f"{API}/public/feedback", body)
    eq(r.status, 201, f"submit {r}")
    return r.json["code"], r.json["secret"]


def upload(c, code, data, secret=None, name=None, ctype="application/pdf"):
    q = {}
    if secret is not None:
        q["secret"] = secret
    if name is not None:
        q["name"] = name
    base = f"{API}/public/feedback" if secret is not None else f"{API}/feedback"
    return c.request("POST", f"{base}/{code}/files?{urllib.parse.urlencode(q)}", raw=data,
                     headers={"Content-Type": ctype})


def pub_get(c, path, secret):
    return c.get(f"{API}/public/feedback/{path}?{urllib.parse.urlencode({'secret': secret})}")


def rows(ctx, code=None):
    q = "SELECT COUNT(*) FROM feedback_file"
    if code:
        q += f" WHERE feedback_id = (SELECT id FROM feedback WHERE code = '{code}')"
    return int(ctx.server.sql(q))


def attaches(ctx, code):
    return int(ctx.server.sql(
        "SELECT COUNT(*) FROM feedback_event WHERE action = 'attach' AND feedback_id = "
        f"(SELECT id FROM feedback WHERE code = '{code}')"))


def stored(ctx):
    return sum(len(files) for _, _, files in os.walk(ctx.fbfiles_dir))


def on_disk(ctx, digest):
    return os.path.join(ctx.fbfiles_dir, "sha256", digest[:2], digest[2:])


@test
def fbfiles_citizen_attaches_with_the_secret_and_downloads(ctx):
    code, secret = new_item(ctx)
    pub = server(ctx).client()
    pdf, png = tiny_pdf("phan-anh"), tiny_png((10, 120, 30))
    name = "Biên nhận hồ sơ.pdf"
    r = upload(pub, code, pdf, secret, name=name)
    eq(r.status, 201, f"upload {r}")
    want = {"sha256": sha(pdf), "size": len(pdf), "mime": "application/pdf", "name": name}
    eq({k: r.json.get(k) for k in want}, want, "the attachment")
    check("created_by" not in r.json, f"no staff data for the citizen: {r.json}")
    with open(on_disk(ctx, sha(pdf)), "rb") as f:
        eq(f.read(), pdf, "content-addressed on disk")
    # the same bytes again are a retry; a PNG declared as octet-stream gets a made-up name
    n = attaches(ctx, code)
    r = upload(pub, code, pdf, secret, name=name)
    eq((r.status, attaches(ctx, code)), (200, n), f"a retry changes nothing {r}")
    r = upload(pub, code, png, secret, ctype="application/octet-stream")
    eq((r.status, r.json["mime"]), (201, "image/png"), f"png {r}")
    eq(r.json["name"], f"{code}-{sha(png)[:12]}.png", "default name")
    # the citizen lists and downloads with the secret: the same bytes and sha256
    r = pub_get(pub, f"{code}/files", secret)
    eq(r.status, 200, f"list {r}")
    eq(sorted(i["sha256"] for i in r.json["items"]), sorted([sha(pdf), sha(png)]), "listed")
    r = pub_get(pub, f"{code}/files/{sha(pdf)}", secret)
    eq((r.status, r.header("Content-Type")), (200, "application/pdf"), f"download {r}")
    eq(hashlib.sha256(r.raw).hexdigest(), sha(pdf), "downloaded sha256")
    eq(r.raw, pdf, "downloaded bytes")
    eq(r.header("ETag"), f'"{sha(pdf)}"', "ETag")
    check("attachment;" in (r.header("Content-Disposition") or ""), r.header("Content-Disposition"))
    # staff of the unit see who attached and get the same bytes
    tn = login(ctx, "tn.nhatrang")
    r = tn.get(f"{API}/feedback/{code}/files")
    eq(r.status, 200, f"staff list {r}")
    eq({i["created_by"] for i in r.json["items"]}, {"citizen"}, "attached by the citizen")
    r = tn.get(f"{API}/feedback/{code}/files/{sha(png)}")
    eq((r.status, r.raw), (200, png), f"staff download {r}")
    # the item's chain has the attaches; the citizen's history shows them without names
    ev = tn.get(f"{API}/feedback/{code}").json["events"]
    att = [e for e in ev if e["action"] == "attach"]
    eq(len(att), 2, "two attach events")
    check(sha(pdf)[:12] in att[0]["note"] and name in att[0]["note"], att[0]["note"])
    eq((att[0]["from"], att[0]["to"], att[0]["actor"]), ("received", "received", "citizen"),
       "an attach keeps the state")
    h = pub_get(pub, code, secret).json["history"]
    eq([x["action"] for x in h], ["receive", "attach", "attach"], "citizen's history")
    ctx.fbfiles_item = (code, secret, pdf)


@test
def fbfiles_wrong_secret_is_the_same_404_and_writes_nothing(ctx):
    code, secret, pdf = ctx.fbfiles_item
    pub = server(ctx).client()
    fresh = tiny_pdf("wrong-secret")
    n, on = rows(ctx), stored(ctx)
    e1 = expect_error(upload(pub, code, fresh, "x" * 43), 404, "not_found", "code",
                      "a wrong secret")
    e2 = expect_error(upload(pub, "PA-999999", fresh, secret), 404, "not_found", "code",
                      "a code that does not exist")
    eq(e1["message"], e2["message"], "the same answer as for a missing code")
    expect_error(upload(pub, code, fresh, ""), 400, "validation", "secret", "no secret")
    expect_error(pub_get(pub, f"{code}/files", "y" * 43), 404, "not_found", what="list")
    expect_error(pub_get(pub, f"{code}/files/{sha(pdf)}", "y" * 43), 404, "not_found",
                 what="download")
    eq((rows(ctx), stored(ctx)), (n, on), "no row and no file")
    check(not os.path.exists(on_disk(ctx, sha(fresh))), "nothing on disk")
    # a file of another item is not reachable through this one
    other, osecret = new_item(ctx)
    expect_error(pub_get(pub, f"{other}/files/{sha(pdf)}", osecret), 404, "not_found",
                 "sha256", "a sha of another item")
    expect_error(pub_get(pub, f"{code}/files/{'A' * 64}", secret), 404, "not_found",
                 "sha256", "not a sha")


@test
def fbfiles_type_by_content_and_limits(ctx):
    code, secret = new_item(ctx)
    pub = server(ctx).client()
    n, on, ev = rows(ctx), stored(ctx), attaches(ctx, code)
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n"
    err = expect_error(upload(pub, code, html, secret, name="bien-nhan.pdf"), 415,
                       "unsupported_media_type", "file", "HTML named .pdf")
    check("PDF" in err["message"] and "PNG" in err["message"], err)
    expect_error(upload(pub, code, b"GIF89a" + b"\0" * 20, secret, ctype="image/png"), 415,
                 "unsupported_media_type", "file", "a GIF declared PNG")
    expect_error(upload(pub, code, tiny_pdf("m"), secret,
                        ctype="multipart/form-data; boundary=x"),
                 415, "unsupported_media_type", "Content-Type", "multipart")
    expect_error(upload(pub, code, b"", secret), 400, "validation", "file", "empty")
    expect_error(upload(pub, code, tiny_pdf("n"), secret, name="../../etc/passwd"), 400,
                 "validation", "name")
    expect_error(upload(pub, code, padded_pdf(FILE_MAX + 1), secret), 413, "too_large",
                 what="one byte over --file-max")
    eq((rows(ctx), stored(ctx), attaches(ctx, code)), (n, on, ev),
       "no row, no file, no event after refusals")
    # up to the item's total: 65536 + 34464 = 100000 exactly; one byte more is refused
    eq(upload(pub, code, padded_pdf(FILE_MAX), secret).status, 201, "a file of --file-max")
    eq(upload(pub, code, padded_pdf(ITEM_MAX - FILE_MAX), secret).status, 201, "to the total")
    n, on, ev = rows(ctx), stored(ctx), attaches(ctx, code)
    err = expect_error(upload(pub, code, padded_pdf(100), secret), 413, "too_large", "file",
                       "over --feedback-files-max")
    check(str(ITEM_MAX) in err["message"], err)
    eq((rows(ctx), stored(ctx), attaches(ctx, code)), (n, on, ev),
       "no row, no file, no event after 413")


@test
def fbfiles_staff_on_hotline_items_and_other_units(ctx):
    tn = login(ctx, "tn.nhatrang")
    r = tn.post(f"{API}/feedback", {"channel": "hotline", "name": "Võ Văn Em", "unit": UNIT,
                                     "content": "Gọi đường dây nóng: xin gửi kèm biên lai."})
    eq(r.status, 201, f"hotline item {r}")
    code, secret = r.json["code"], r.json["secret"]
    pdf = tiny_pdf("hotline")
    r = upload(tn, code, pdf, name="Biên lai.pdf")
    eq((r.status, r.json.get("created_by")), (201, "tn.nhatrang"), f"staff upload {r}")
    # the citizen reads what staff attached, with the secret given on the phone
    r = pub_get(server(ctx).client(), f"{code}/files/{sha(pdf)}", secret)
    eq((r.status, r.raw), (200, pdf), f"citizen download {r}")
    # staff of another commune: forbidden, nothing written
    other = login(ctx, "tn.camranh")
    fresh = tiny_pdf("cam-ranh")
    n, on = rows(ctx), stored(ctx)
    expect_error(upload(other, code, fresh), 403, "forbidden", what="another unit uploads")
    expect_error(other.get(f"{API}/feedback/{code}/files"), 403, "forbidden", what="list")
    expect_error(other.get(f"{API}/feedback/{code}/files/{sha(pdf)}"), 403, "forbidden",
                 what="download")
    eq((rows(ctx), stored(ctx)), (n, on), "no row, no file for an outsider")
    # on a web item the citizen attaches their own files
    web, _ = new_item(ctx)
    expect_error(upload(tn, web, fresh), 403, "forbidden", "channel", "staff on a web item")
    expect_error(upload(server(ctx).client(), code, fresh), 401, "unauthenticated",
                 what="no login, no secret")
    expect_error(tn.get(f"{API}/feedback/PA-999999/files"), 404, "not_found", "code")
    eq((rows(ctx), stored(ctx)), (n, on), "still nothing written")
    ctx.fbfiles_hotline = (code, secret)


@test
def fbfiles_never_published_and_closed_items_take_none(ctx):
    code, secret, pdf = ctx.fbfiles_item
    tn, cv, ld = login(ctx, "tn.nhatrang"), login(ctx, "cv.nhatrang"), login(ctx, "ld.nhatrang")
    eq(tn.post(f"{API}/feedback/{code}/actions",
               {"action": "assign", "assignee": "cv.nhatrang"}).status, 200, "assign")
    # still open while assigned: the citizen may add evidence
    eq(upload(server(ctx).client(), code, tiny_pdf("assigned"), secret).status, 201,
       "attach while assigned")
    eq(cv.post(f"{API}/feedback/{code}/actions",
               {"action": "answer", "answer": "Đã sửa ngày hẹn trên biên nhận."}).status, 200,
       "answer")
    n = rows(ctx)
    expect_error(upload(server(ctx).client(), code, tiny_pdf("late"), secret), 409, "conflict",
                 "state", "answered: no more files")
    eq(ld.post(f"{API}/feedback/{code}/actions", {"action": "publish"}).status, 200, "publish")
    expect_error(upload(server(ctx).client(), code, tiny_pdf("late"), secret), 409, "conflict",
                 "state", "published: no more files")
    eq(rows(ctx), n, "no row after 409")
    # the published answer carries no file, nor anything naming one
    r = server(ctx).client().get(f"{API}/public/feedback?unit={UNIT}")
    eq(r.status, 200, f"public list {r}")
    items = [i for i in r.json["items"] if i["code"] == code]
    eq(len(items), 1, "published")
    check("files" not in items[0] and sha(pdf) not in r.raw.decode("utf-8"), items[0])
    # the citizen with the secret still reads the files
    eq(pub_get(server(ctx).client(), f"{code}/files/{sha(pdf)}", secret).raw, pdf,
       "readable after publication")


@test
def fbfiles_chain_verifies_and_tampering_is_found(ctx):
    code, _, _ = ctx.fbfiles_item
    p = ctx.server.cli("verify")
    check("every chain intact" in p.stdout, p.stdout + p.stderr)
    check(attaches(ctx, code) >= 3, "attach events in the chain")
    where = ("action = 'attach' AND feedback_id = (SELECT id FROM feedback WHERE code = "
             f"'{code}') AND seq = 2")
    note = ctx.server.sql(f"SELECT note FROM feedback_event WHERE {where}")
    ctx.server.sql(f"UPDATE feedback_event SET note = 'khac.pdf' WHERE {where}")
    try:
        p = ctx.server.cli("verify", check_rc=False)
        check(p.returncode != 0 and code in p.stderr, f"tampering found: {p.stderr}")
    finally:
        ctx.server.sql(f"UPDATE feedback_event SET note = '{note}' WHERE {where}")
    ctx.server.cli("verify")


@test
def fbfiles_server_stops_cleanly(ctx):
    s = getattr(ctx, "fbfiles_server", None)
    check(s is not None, "the feedback files server never started")
    try:
        s.stop()
    finally:
        ctx.fbfiles_server = None
        shutil.rmtree(ctx.fbfiles_dir, ignore_errors=True)
