"""Attachments: content-addressed files on disk (files/sha256/ab/cdef...), type by content,
limits per file and per dossier, who may attach and download (staff in scope, the applicant
with the lookup token), files staged before the intake names them, and no row left behind
by any failure.

These tests run their own server on the same database, with its own --files directory and
small limits (--file-max, --dossier-files-max, --body-max) so that every limit is quick to
reach; it is stopped at the end and must exit cleanly under the sanitizers."""
import hashlib
import os
import shutil
import struct
import tempfile
import urllib.parse
import zlib

from harness import Server, check, eq, expect_error, test

API = "/api/v1"
PROC = "9.990045.T"
FILE_MAX = 65536      # --file-max: bytes in one file
DOSSIER_MAX = 160000  # --dossier-files-max: bytes in one dossier's files
BODY_MAX = 16384      # --body-max: the JSON cap, far below the file cap


# ---- test data ----

def tiny_pdf(tag="motcua"):
    """A minimal valid PDF (one empty page) with a correct cross-reference table."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>",
            b"<< /Title (" + tag.encode() + b") >>"]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    return out


def tiny_png(rgb=(200, 30, 40)):
    """A 1x1 PNG, valid down to its CRCs."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" + bytes(rgb))) + chunk(b"IEND", b""))


def padded_pdf(size):
    """size bytes that sniff as PDF, different every time."""
    head = b"%PDF-1.4\n%"
    return head + os.urandom(size - len(head))


def sha(data):
    return hashlib.sha256(data).hexdigest()


# ---- the server and the dossier ----

def server(ctx):
    s = getattr(ctx, "files_server", None)
    if s:
        return s
    ctx.files_dir = tempfile.mkdtemp(prefix="motcua-files-")
    s = Server(ctx.bin, ctx.db, extra=["--files", ctx.files_dir, "--file-max", str(FILE_MAX),
                                       "--dossier-files-max", str(DOSSIER_MAX),
                                       "--body-max", str(BODY_MAX), "--quiet"])
    s.start()
    ctx.files_server = s
    return s


def login(ctx, name):
    c = server(ctx).client()
    r = c.login(name, ctx.logins[name])
    eq(r.status, 200, f"login {name} {r}")
    return c


def ensure_procedure(ctx):
    if getattr(ctx, "files_proc", False):
        return
    ch = {"time_unit": "working_days", "time_minutes": 1440, "fee": 0,
          "time_text": "03 ngày làm việc"}
    body = {
        "code": PROC, "name": "Thủ tục thử nghiệm tệp đính kèm (cấp xã)",
        "field_code": "ho-tich", "levels": ["commune"], "online_mode": "full",
        "channels": {"direct": dict(ch), "online": dict(ch), "postal": None},
        "cases": [{
            "name": "Trường hợp chung",
            "components": [
                {"name": "Tờ khai theo mẫu", "originals": 1, "copies": 0, "required": True},
                {"name": "Bản sao căn cước", "originals": 0, "copies": 1, "required": False},
            ],
            "workflow": [
                {"name": "Thẩm định hồ sơ", "role": "specialist", "unit_kind": "commune",
                 "minutes": 960},
                {"name": "Phê duyệt kết quả", "role": "leader", "unit_kind": "commune",
                 "minutes": 480},
            ],
        }],
    }
    r = login(ctx, "admin").post(f"{API}/procedures", body)
    check(r.status in (200, 201), f"create the test procedure: {r}")
    ctx.files_proc = True


def intake_body(**kw):
    b = {"procedure": PROC, "channel": "direct",
         "applicant": {"kind": "person", "name": "Lê Thị Thu Trang", "id_type": "cccd",
                       "id_number": "079190004545", "phone": "0905000045"},
         "components": [{"name": "Tờ khai theo mẫu", "originals": 1, "copies": 0},
                        {"name": "Bản sao căn cước", "originals": 0, "copies": 1}],
         "delivery": {"method": "counter"}}
    b.update(kw)
    return b


def intake(ctx, **kw):
    ensure_procedure(ctx)
    r = login(ctx, "tn.nhatrang").post(f"{API}/dossiers", intake_body(**kw))
    eq(r.status, 201, f"intake {r}")
    return r.json


def upload(c, code, data, kind="component", component=None, name=None,
           ctype="application/pdf", token=None):
    q = {}
    if kind is not None:
        q["kind"] = kind
    if component is not None:
        q["component"] = component
    if name is not None:
        q["name"] = name
    if token is not None:
        q["token"] = token
    base = f"{API}/public/dossiers" if token is not None else f"{API}/dossiers"
    return c.request("POST", f"{base}/{code}/files?{urllib.parse.urlencode(q)}", raw=data,
                     headers={"Content-Type": ctype})


def rows(ctx, code=None):
    q = "SELECT COUNT(*) FROM dossier_file"
    if code:
        q += f" f JOIN dossier d ON d.id = f.dossier_id WHERE d.code = '{code}'"
    return int(ctx.server.sql(q))


def events(ctx, code):
    return int(ctx.server.sql(f"SELECT COUNT(*) FROM dossier_event e JOIN dossier d ON "
                              f"d.id = e.dossier_id WHERE d.code = '{code}'"))


def on_disk(ctx, digest):
    return os.path.join(ctx.files_dir, "sha256", digest[:2], digest[2:])


def stored_files(ctx):
    n = 0
    for _, _, files in os.walk(ctx.files_dir):
        n += len(files)
    return n


# ---- tests ----

@test
def files_attach_pdf_and_png_list_and_download(ctx):
    d = intake(ctx)
    code = d["code"]
    tn = login(ctx, "tn.nhatrang")
    pdf, png = tiny_pdf("to-khai"), tiny_png()
    name = "Tờ khai đăng ký.pdf"
    r = upload(tn, code, pdf, component=1, name=name)
    eq(r.status, 201, f"upload pdf {r}")
    want = {"sha256": sha(pdf), "size": len(pdf), "mime": "application/pdf", "name": name,
            "kind": "component", "component": 1, "created_by": "tn.nhatrang"}
    eq({k: r.json.get(k) for k in want}, want, "the attachment")
    # on disk, content-addressed: files/sha256/ab/cdef...
    path = on_disk(ctx, sha(pdf))
    check(os.path.isfile(path), f"{path} is not on disk")
    with open(path, "rb") as f:
        eq(f.read(), pdf, "bytes on disk")
    # a PNG sent as octet-stream without a name: the content decides, the name is made up
    r = upload(tn, code, png, component=2, ctype="application/octet-stream")
    eq(r.status, 201, f"upload png {r}")
    eq((r.json["mime"], r.json["sha256"]), ("image/png", sha(png)), "png")
    eq(r.json["name"], f"component-{sha(png)[:12]}.png", "default name")
    r = tn.get(f"{API}/dossiers/{code}/files")
    eq(r.status, 200, f"list {r}")
    eq(sorted(i["sha256"] for i in r.json["items"]), sorted([sha(pdf), sha(png)]), "listed")
    eq(r.json["next_cursor"], None, "one page")
    # download: the same bytes, the type, the name, nosniff
    r = tn.get(f"{API}/dossiers/{code}/files/{sha(pdf)}")
    eq(r.status, 200, f"download {r}")
    eq(hashlib.sha256(r.raw).hexdigest(), sha(pdf), "downloaded sha256")
    eq(r.raw, pdf, "downloaded bytes")
    eq(r.header("Content-Type"), "application/pdf", "Content-Type")
    eq(r.header("X-Content-Type-Options"), "nosniff", "nosniff")
    cd = r.header("Content-Disposition") or ""
    enc = urllib.parse.quote(name.encode("utf-8"), safe="!#$&+-.^_`|~")
    check(cd.startswith("attachment;") and f"filename*=UTF-8''{enc}" in cd, cd)
    check('filename="T' in cd and "\\" not in cd, f"ASCII fallback: {cd}")
    eq(r.header("ETag"), f'"{sha(pdf)}"', "ETag")
    r = tn.get(f"{API}/dossiers/{code}/files/{sha(png)}")
    eq((r.status, r.raw, r.header("Content-Type")), (200, png, "image/png"), "png download")
    # the dossier names the files and its chain has the attaches
    g = tn.get(f"{API}/dossiers/{code}").json
    eq([c.get("file") for c in g["components"]], [sha(pdf), sha(png)], "components' files")
    attaches = [e for e in g["events"] if e["action"] == "attach"]
    eq(len(attaches), 2, "two attach events")
    check(sha(pdf)[:12] in attaches[0]["note"] and "component 1" in attaches[0]["note"],
          attaches[0]["note"])
    eq(attaches[0]["from"], attaches[0]["to"], "an attach keeps the state")
    ctx.files_code, ctx.files_pdf = code, pdf


@test
def files_same_bytes_again_is_a_retry_or_a_conflict(ctx):
    code, pdf = ctx.files_code, ctx.files_pdf
    tn = login(ctx, "tn.nhatrang")
    n, ev = rows(ctx, code), events(ctx, code)
    r = upload(tn, code, pdf, component=1, name="khác tên.pdf")
    eq(r.status, 200, f"retry {r}")
    eq(r.json["name"], "Tờ khai đăng ký.pdf", "the first attachment stands")
    expect_error(upload(tn, code, pdf, kind="supplement"), 409, "conflict", "file",
                 "the same bytes as something else")
    eq((rows(ctx, code), events(ctx, code)), (n, ev), "nothing written")


@test
def files_type_is_decided_by_content_not_name(ctx):
    code = ctx.files_code
    tn = login(ctx, "tn.nhatrang")
    n, on = rows(ctx), stored_files(ctx)
    text = b"Day la van ban thuong, khong phai PDF.\n"
    err = expect_error(upload(tn, code, text, kind="supplement", name="giay-to.pdf"), 415,
                       "unsupported_media_type", "file", "text named .pdf")
    check("PDF" in err["message"] and "JPEG" in err["message"], err)
    expect_error(upload(tn, code, b"GIF89a" + b"\0" * 20, kind="supplement", ctype="image/png"),
                 415, "unsupported_media_type", what="a GIF declared PNG")
    expect_error(upload(tn, code, tiny_pdf("x"), kind="supplement",
                        ctype="multipart/form-data; boundary=x"),
                 415, "unsupported_media_type", "Content-Type", "multipart")
    expect_error(upload(tn, code, b"", kind="supplement"), 400, "validation", "file", "empty")
    expect_error(upload(tn, code, tiny_pdf("y"), kind="photo"), 400, "validation", "kind")
    expect_error(upload(tn, code, tiny_pdf("y"), kind="component"), 400, "validation",
                 "component", "a component without its number")
    expect_error(upload(tn, code, tiny_pdf("y"), component=9), 400, "validation", "component")
    expect_error(upload(tn, code, tiny_pdf("y"), kind="supplement", name="../../etc/passwd"),
                 400, "validation", "name")
    eq((rows(ctx), stored_files(ctx)), (n, on), "no row and no file after refusals")
    # a JPEG declared as PDF is a JPEG
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
    r = upload(tn, code, jpeg, kind="supplement", name="anh.jpg", ctype="application/pdf")
    eq((r.status, r.json and r.json["mime"]), (201, "image/jpeg"), f"jpeg {r}")


@test
def files_limits_per_file_and_per_dossier(ctx):
    d = intake(ctx)
    code = d["code"]
    tn = login(ctx, "tn.nhatrang")
    # the JSON cap still holds on every other route ...
    big = intake_body()
    big["applicant"]["address"] = "x" * (BODY_MAX + 100)
    expect_error(tn.post(f"{API}/dossiers", big), 413, "too_large", what="JSON over --body-max")
    # ... while an upload may be four times larger; one byte over the file cap is refused
    n = rows(ctx)
    expect_error(upload(tn, code, padded_pdf(FILE_MAX + 1), kind="supplement"), 413,
                 "too_large", what="one byte over --file-max")
    eq(rows(ctx), n, "no row after 413")
    for i in range(2):
        r = upload(tn, code, padded_pdf(FILE_MAX), kind="supplement", name=f"phan-{i}.pdf")
        eq(r.status, 201, f"a file of exactly --file-max {r}")
    ev = events(ctx, code)
    # 2 x 65536 = 131072 stored; 65536 more passes --dossier-files-max, 28928 exactly meets it
    err = expect_error(upload(tn, code, padded_pdf(FILE_MAX), kind="supplement"), 413,
                       "too_large", "file", "over the dossier's total")
    check(str(DOSSIER_MAX) in err["message"], err)
    eq((rows(ctx, code), events(ctx, code)), (2, ev), "no row, no event after 413")
    r = upload(tn, code, padded_pdf(DOSSIER_MAX - 2 * FILE_MAX), kind="supplement")
    eq(r.status, 201, f"up to the dossier's limit exactly {r}")
    expect_error(upload(tn, code, padded_pdf(100), kind="supplement"), 413, "too_large",
                 what="one file more")
    eq(rows(ctx, code), 3, "three files")


@test
def files_outside_the_dossier_units_is_404(ctx):
    code, pdf = ctx.files_code, ctx.files_pdf
    other = login(ctx, "tn.camranh")
    n = rows(ctx)
    fresh = tiny_pdf("cam-ranh")
    e1 = expect_error(upload(other, code, fresh, component=1), 404, "not_found", "code",
                      "another commune's receiver uploads")
    e2 = expect_error(upload(other, "001.01.00.H34-991231-9999", fresh, component=1), 404,
                      "not_found", "code", "a dossier that does not exist")
    eq(e1["message"], e2["message"], "the same answer as for a missing dossier")
    expect_error(other.get(f"{API}/dossiers/{code}/files"), 404, "not_found", what="list")
    expect_error(other.get(f"{API}/dossiers/{code}/files/{sha(pdf)}"), 404, "not_found",
                 what="download")
    eq(rows(ctx), n, "no row")
    check(not os.path.exists(on_disk(ctx, sha(fresh))), "nothing written for an outsider")
    # a file of another dossier is not reachable through this one
    tn = login(ctx, "tn.nhatrang")
    other_code = intake(ctx)["code"]
    expect_error(tn.get(f"{API}/dossiers/{other_code}/files/{sha(pdf)}"), 404, "not_found",
                 what="a sha of another dossier")
    expect_error(tn.get(f"{API}/dossiers/{code}/files/{'A' * 64}"), 404, "not_found",
                 what="not a sha")
    expect_error(server(ctx).client().get(f"{API}/dossiers/{code}/files"), 401,
                 "unauthenticated", what="no login")


@test
def files_roles_by_kind(ctx):
    code = ctx.files_code
    cv, ld, tn = login(ctx, "cv.nhatrang"), login(ctx, "ld.nhatrang"), login(ctx, "tn.nhatrang")
    n = rows(ctx, code)
    expect_error(upload(cv, code, tiny_pdf("cv-comp"), component=1), 403, "forbidden", "kind",
                 "a specialist attaches a component")
    expect_error(upload(tn, code, tiny_pdf("tn-result"), kind="result"), 403, "forbidden",
                 "kind", "a receiver attaches a result")
    eq(rows(ctx, code), n, "no row after 403")
    r = upload(cv, code, tiny_pdf("du-thao"), kind="result", name="Dự thảo quyết định.pdf")
    eq((r.status, r.json["kind"], r.json["component"]), (201, "result", None), f"result {r}")
    r = upload(ld, code, tiny_png((1, 2, 3)), kind="supplement")
    eq(r.status, 201, f"a leader's supplement {r}")
    r = cv.get(f"{API}/dossiers/{code}/files")
    eq(len(r.json["items"]), n + 2, "listed for a handler")


@test
def files_applicant_with_the_token(ctx):
    d = intake(ctx)
    code, token = d["code"], d["lookup_token"]
    pub = server(ctx).client()
    cv = login(ctx, "cv.nhatrang")
    doc = tiny_pdf("bo-sung")
    n = rows(ctx)
    # not while the dossier is being processed
    expect_error(upload(pub, code, doc, kind="supplement", token=token), 409, "conflict",
                 "state", "before a supplement is asked")
    r = cv.post(f"{API}/dossiers/{code}/actions",
                {"action": "request_supplement", "items": ["Bản sao giấy khai sinh"]})
    eq((r.status, r.json["state"]), (200, "waiting_supplement"), f"request {r}")
    expect_error(upload(pub, code, doc, kind="supplement", token="WRONGTOKEN12"), 404,
                 "not_found", "code", "wrong token")
    expect_error(upload(pub, code, doc, kind="supplement", token=""), 400, "validation",
                 "token", "no token")
    expect_error(upload(pub, code, doc, kind="result", token=token), 400, "validation", "kind",
                 "an applicant's result")
    eq(rows(ctx), n, "no row after the refusals")
    r = upload(pub, code, doc, kind=None, name="Giấy khai sinh.pdf", token=token)
    eq(r.status, 201, f"supplement {r}")
    eq((r.json["kind"], r.json["sha256"]), ("supplement", sha(doc)), "a supplement by default")
    check("created_by" not in r.json, "no staff names in public answers")
    q = urllib.parse.urlencode({"token": token})
    r = pub.get(f"{API}/public/dossiers/{code}/files/{sha(doc)}?{q}")
    eq((r.status, r.raw, r.header("Content-Type")), (200, doc, "application/pdf"),
       f"applicant download {r}")
    expect_error(pub.get(f"{API}/public/dossiers/{code}/files/{sha(doc)}?token=WRONGTOKEN12"),
                 404, "not_found", what="download with a wrong token")
    expect_error(pub.get(f"{API}/public/dossiers/{code}/files/{sha(ctx.files_pdf)}?{q}"), 404,
                 "not_found", what="another dossier's file with this token")
    staff = cv.get(f"{API}/dossiers/{code}/files")
    eq([(i["kind"], i["created_by"]) for i in staff.json["items"]], [("supplement", "citizen")],
       "staff see it")
    # supplied: the window closes
    r = pub.post(f"{API}/public/dossiers/{code}/actions", {"action": "supply", "token": token})
    eq(r.status, 204, f"supply {r}")
    n = rows(ctx)
    expect_error(upload(pub, code, tiny_pdf("tre"), kind="supplement", token=token), 409,
                 "conflict", "state", "after supplying")
    eq(rows(ctx), n, "no row")


@test
def files_online_submission_attaches_with_the_token(ctx):
    ensure_procedure(ctx)
    pub = server(ctx).client()
    body = intake_body(receiving_unit="001.01.00.H34")
    body.pop("channel")
    body["components"][0]["file"] = sha(ctx.files_pdf)
    n = int(ctx.server.sql("SELECT COUNT(*) FROM dossier"))
    expect_error(pub.post(f"{API}/public/dossiers", body), 400, "validation",
                 "components[0].file", "an online submission naming a stored file")
    eq(int(ctx.server.sql("SELECT COUNT(*) FROM dossier")), n, "no dossier")
    body["components"][0].pop("file")
    r = pub.post(f"{API}/public/dossiers", body)
    eq(r.status, 201, f"submit {r}")
    code, token = r.json["code"], r.json["lookup_token"]
    scan = tiny_png((9, 9, 9))
    r = upload(pub, code, scan, kind="component", component=2, name="cccd.png", token=token)
    eq((r.status, r.json and r.json["component"]), (201, 2), f"component by the applicant {r}")
    g = login(ctx, "tn.nhatrang").get(f"{API}/dossiers/{code}").json
    eq(g["components"][1]["file"], sha(scan), "the component names it")


@test
def files_staged_then_named_at_intake(ctx):
    ensure_procedure(ctx)
    tn, cv = login(ctx, "tn.nhatrang"), login(ctx, "cv.nhatrang")
    scan = tiny_pdf("quay-tiep-nhan")
    r = tn.request("POST", f"{API}/files", raw=scan, headers={"Content-Type": "application/pdf"})
    eq(r.status, 201, f"stage {r}")
    eq((r.json["sha256"], r.json["size"], r.json["mime"]),
       (sha(scan), len(scan), "application/pdf"), "staged")
    check(os.path.isfile(on_disk(ctx, sha(scan))), "staged on disk")
    r = tn.request("POST", f"{API}/files", raw=scan, headers={"Content-Type": "application/pdf"})
    eq(r.status, 200, f"staged again {r}")
    expect_error(cv.request("POST", f"{API}/files", raw=scan), 403, "forbidden",
                 what="a specialist stages")
    expect_error(tn.request("POST", f"{API}/files", raw=b"plain text"), 415,
                 "unsupported_media_type", what="stage text")
    # naming a file the store does not have: nothing is written
    nd, nf = int(ctx.server.sql("SELECT COUNT(*) FROM dossier")), rows(ctx)
    body = intake_body()
    body["components"][0]["file"] = sha(b"never uploaded")
    expect_error(tn.post(f"{API}/dossiers", body), 400, "validation", "components[0].file",
                 "a file not in the store")
    body["components"][0]["file"] = sha(scan).upper()
    expect_error(tn.post(f"{API}/dossiers", body), 400, "validation", "components[0].file",
                 "upper-case hex")
    eq((int(ctx.server.sql("SELECT COUNT(*) FROM dossier")), rows(ctx)), (nd, nf), "no rows")
    # named: one row per file even when two components name it
    body["components"][0]["file"] = sha(scan)
    body["components"][1]["file"] = sha(scan)
    r = tn.post(f"{API}/dossiers", body)
    eq(r.status, 201, f"intake with a file {r}")
    code = r.json["code"]
    eq([c["file"] for c in r.json["components"]], [sha(scan), sha(scan)], "components")
    items = tn.get(f"{API}/dossiers/{code}/files").json["items"]
    eq([(i["sha256"], i["kind"], i["component"], i["name"]) for i in items],
       [(sha(scan), "component", 1, "Tờ khai theo mẫu.pdf")], "one row")
    r = tn.get(f"{API}/dossiers/{code}/files/{sha(scan)}")
    eq((r.status, r.raw), (200, scan), "download")


@test
def files_damaged_on_disk_is_never_served_and_a_new_upload_repairs_it(ctx):
    code, pdf = ctx.files_code, ctx.files_pdf
    tn = login(ctx, "tn.nhatrang")
    path = on_disk(ctx, sha(pdf))
    with open(path, "r+b") as f:
        f.seek(len(pdf) // 2)
        f.write(b"#")
    expect_error(tn.get(f"{API}/dossiers/{code}/files/{sha(pdf)}"), 500, "internal",
                 what="damaged bytes")
    r = upload(tn, code, pdf, component=1)
    eq(r.status, 200, f"the same upload again {r}")
    r = tn.get(f"{API}/dossiers/{code}/files/{sha(pdf)}")
    eq((r.status, r.raw), (200, pdf), "repaired")


@test
def files_verify_stays_green_after_attaches(ctx):
    p = ctx.server.cli("verify")
    check("every chain intact" in p.stdout, p.stdout + p.stderr)
    n = int(ctx.server.sql("SELECT COUNT(*) FROM dossier_event WHERE action = 'attach'"))
    check(n >= 8, f"attach events in the chains: {n}")


@test
def files_server_stops_cleanly(ctx):
    s = getattr(ctx, "files_server", None)
    check(s is not None, "the files server never started")
    try:
        s.stop()
    finally:
        ctx.files_server = None
        shutil.rmtree(ctx.files_dir, ignore_errors=True)
