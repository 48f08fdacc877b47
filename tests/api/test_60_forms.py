"""Printable forms (issue 6): each form read back from its PDF with every diacritic, A4, the
font embedded, the receipt's QR code decoding to the lookup URL, 409 for a form that does not
apply to the dossier's state, and page 1 of each saved to tests/artifacts/ to look at."""
import os
import re
import subprocess
import tempfile

from harness import check, eq, expect_error, test
from test_40_dossiers import act, applicant, intake, intake_body, login

API = "/api/v1"
ART = os.path.join(os.path.dirname(__file__), "..", "artifacts")
LONG_NAME = "Nguyễn Thị Phương Quỳnh Hoàng Bảo Ngọc Trâm Anh Đặng Lê Thục Uyên"
LONG_ADDR = ("Số nhà 1234/56/78 hẻm Nguyễn Trường Tộ, tổ dân phố Vĩnh Phước Thượng, khu phố "
             "Xương Huân Hạ, phường Bắc Nha Trang, tỉnh Khánh Hòa, Việt Nam (gần chợ Đầm)")
COMPONENTS = ["Tờ khai theo mẫu"] + [f"Bản sao giấy tờ chứng minh quyền sử dụng đất, quyền sở hữu nhà ở số {i} "
              f"(có chứng thực của Ủy ban nhân dân cấp xã nơi cư trú)" for i in range(1, 31)]


def words(s):
    return re.sub(r"\s+", " ", s).strip()


def run(*cmd, data=None):
    return subprocess.run(cmd, input=data, capture_output=True, check=True).stdout


def form(c, code, name, **q):
    qs = "&".join(f"{k}={v}" for k, v in q.items())
    return c.get(f"{API}/dossiers/{code}/forms/{name}.pdf" + (f"?{qs}" if qs else ""))


def pdf_text(r, *opts, page=None):
    """pdftotext of the response with opts (-raw: in drawing order, a table cell's lines
    together), of one page when page is given"""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "f.pdf")
        with open(path, "wb") as f:
            f.write(r.raw)
        pages = ["-f", str(page), "-l", str(page)] if page else []
        return run("pdftotext", "-enc", "UTF-8", *opts, *pages, path, "-").decode("utf-8")


def read_pdf(r, name, backend, size=r"595\.2\d* x 841\.8\d*"):
    """the PDF's text (whitespace collapsed), after the checks every form must pass"""
    eq(r.status, 200, f"{name} {r}")
    eq(r.header("Content-Type"), "application/pdf", "content type")
    check(r.raw.startswith(b"%PDF-"), "a PDF")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"{name}.pdf")
        with open(path, "wb") as f:
            f.write(r.raw)
        info = run("pdfinfo", path).decode()
        check(re.search(r"Page size:\s+" + size + r" pts \(A4\)", info), info)
        fonts = run("pdffonts", path).decode().splitlines()[2:]
        check(fonts and all("LiberationSerif" in ln for ln in fonts), f"fonts {fonts}")
        for ln in fonts:
            check(re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", ln) and
                  " yes " in ln, f"font not embedded: {ln}")
        text = run("pdftotext", "-enc", "UTF-8", path, "-").decode("utf-8")
        if os.environ.get("FORMS_DEBUG"):
            print(text[:1500])
        os.makedirs(ART, exist_ok=True)
        run("pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", path,
            os.path.join(ART, f"form-{name}-{backend}"))
        return words(text), path, info


@test
def receipt_reads_back_with_every_diacritic_and_its_qr(ctx):
    intake(ctx)  # an earlier dossier of the unit: the register line is not 1 by chance
    d = intake(ctx, applicant=applicant(name=LONG_NAME, address=LONG_ADDR),
               components=[{"name": n, "originals": 1, "copies": i % 3}
                           for i, n in enumerate(COMPONENTS)])
    code, token = d["code"], d["lookup_token"]
    tn = login(ctx, "tn.nhatrang")
    r = form(tn, code, "receipt")
    text, path, info = read_pdf(r, "receipt", ctx.backend)
    for want in [code, LONG_NAME, LONG_ADDR, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                 "ỦY BAN NHÂN DÂN", "NHA TRANG", "Liên 1: Lưu tại cơ quan",
                 "Liên 2: Giao người nộp hồ sơ", "Thủ tục thử nghiệm cấp xã",
                 "Căn cước công dân số 079190001234", "0905123456", "03 ngày làm việc",
                 "NGƯỜI TIẾP NHẬN HỒ SƠ", "Nha Trang, ngày"] + COMPONENTS:
        check(words(want) in text, f"receipt lacks {want!r}")
    # received and due times, as hour, minute and date
    for key in ("received_at", "due_at"):
        m = re.match(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)", d[key])
        y, mo, dd, hh, mi = m.groups()
        check(f"{hh} giờ {mi} phút, ngày {dd} tháng {mo} năm {y}" in text, f"{key} {d[key]}")
    # the register line runs through the year: this dossier's rank among the unit's
    year = d["received_at"][:4]
    line = ctx.server.sql(
        f"SELECT COUNT(*) FROM dossier WHERE receiving_unit_id = {d['receiving_unit']['id']} "
        f"AND received_at IS NOT NULL AND code <= '{code}' AND substr(code, "
        f"length(code) - 10, 2) = '{year[2:]}'").strip()
    check(int(line) > 1, f"other dossiers of the year came first: {line}")
    check(f"Quyển số: {year}, Số thứ tự: {line}" in text, f"register line {line}")
    # thirty long components break the table across pages; two copies
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    check(pages >= 4, f"two copies over several pages: {pages}")
    check("Liên 1" in text and "Liên 2" in text, "two copies")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "receipt.pdf")
        with open(path, "wb") as f:
            f.write(r.raw)
        run("pdftoppm", "-r", "200", "-png", path, os.path.join(tmp, "p"))
        found = []
        for f in sorted(x for x in os.listdir(tmp) if x.endswith(".png")):
            out = subprocess.run(["zbarimg", "-q", "--raw", os.path.join(tmp, f)],
                                 capture_output=True).stdout.decode().strip()
            if out:
                found.append(out)
        # one code per copy, the same symbol drawn on both
        eq(found, [f"/tra-cuu/{code}?token={token}"] * 2, "the QR code opens the lookup")
        # vectors, not a bitmap a viewer smooths: it still scans on a screen at 96 dpi
        run("pdftoppm", "-r", "96", "-png", "-f", "1", "-l", "1", "-singlefile", path,
            os.path.join(tmp, "screen"))
        out = subprocess.run(["zbarimg", "-q", "--raw", os.path.join(tmp, "screen.png")],
                             capture_output=True).stdout.decode().strip()
        eq(out, f"/tra-cuu/{code}?token={token}", "the QR code scans at screen resolution")
    # the next receipt is its own dossier's: nothing laid out for the last one comes back
    d2 = intake(ctx, applicant=applicant(name="Trần Thị Bích Ngọc", address="Số 7 Lê Lợi"))
    r2 = form(tn, d2["code"], "receipt")
    text2, _, _ = read_pdf(r2, "receipt-2", ctx.backend)
    check(words("Trần Thị Bích Ngọc") in text2 and d2["code"] in text2, "second receipt's own")
    check(LONG_NAME not in text2 and code not in text2, "nothing of the first receipt")
    with tempfile.TemporaryDirectory() as tmp:
        path2 = os.path.join(tmp, "receipt-2.pdf")
        with open(path2, "wb") as f:
            f.write(r2.raw)
        run("pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", "-singlefile", path2,
            os.path.join(tmp, "p"))
        out = subprocess.run(["zbarimg", "-q", "--raw", os.path.join(tmp, "p.png")],
                             capture_output=True).stdout.decode().strip()
        eq(out, f"/tra-cuu/{d2['code']}?token={d2['lookup_token']}", "second receipt's QR")
    # the header of the table is repeated on each page it spans, two or more a copy
    spans = 0
    for pg in range(1, pages + 1):
        pt = words(pdf_text(r, page=pg))
        if "quyền sử dụng đất" in pt:
            spans += 1
            check("Tên giấy tờ" in pt, f"table header on page {pg}")
    check(spans >= 4, f"the table spans pages in each copy: {spans}")
    # the older set renders too; a set or form that does not exist is 404
    text18, _, _ = read_pdf(form(tn, code, "receipt", set="2018"), "receipt-2018", ctx.backend)
    check("Mẫu số 01" in text18 and LONG_NAME in text18, "2018 set")
    expect_error(form(tn, code, "receipt", set="1999"), 404, "not_found", what="no such set")
    expect_error(form(tn, code, "nonsense"), 404, "not_found", what="no such form")
    expect_error(tn.get(f"{API}/dossiers/{code}/forms/receipt"), 404, "not_found",
                 what="no .pdf")
    # a form that does not apply: a refusal of an accepted dossier
    expect_error(form(tn, code, "refusal"), 409, "conflict", "form")
    expect_error(form(tn, code, "stop"), 409, "conflict", "form")
    # outsiders and anonymous callers get nothing
    r = form(login(ctx, "tn.camranh"), code, "receipt")
    check(r.status in (403, 404), f"outsider {r}")
    check(form(ctx.server.client(), code, "receipt").status == 401, "anonymous")
    ctx.forms_code = code


@test
def register_lines_are_numbered_at_acceptance(ctx):
    """a receipt's "Số thứ tự" is the line the dossier got when it was accepted: counter
    intakes take the next lines of the unit's year, an online dossier has none until it is
    accepted and then takes the next; the line is printed as stored"""
    a = intake(ctx)
    b = intake(ctx)
    unit = a["receiving_unit"]["id"]

    def line(code):
        return int(ctx.server.sql(f"SELECT COALESCE(register_no, 0) FROM dossier WHERE code = '{code}'"))

    eq(line(b["code"]), line(a["code"]) + 1, "counter intakes: consecutive lines")
    pub = ctx.server.client()
    body = intake_body(receiving_unit="001.01.00.H34")
    body.pop("channel")
    r = pub.post(f"{API}/public/dossiers", body)
    eq(r.status, 201, f"submit {r}")
    online = r.json["code"]
    eq(line(online), 0, "no line before acceptance")
    c = intake(ctx)
    tn = login(ctx, "tn.nhatrang")
    eq(act(tn, online, "accept").status, 200, "accept")
    eq(line(online), line(c["code"]) + 1, "the next line at acceptance, after a later intake")
    year = ctx.server.sql(f"SELECT year FROM register_serial WHERE unit_id = {unit} "
                          f"ORDER BY year DESC LIMIT 1").strip()
    last = int(ctx.server.sql(f"SELECT last FROM register_serial WHERE unit_id = {unit} AND year = {year}"))
    eq(last, line(online), "the counter holds the last line given")
    dup = ctx.server.sql(f"SELECT COUNT(*) - COUNT(DISTINCT register_no) FROM dossier WHERE "
                         f"receiving_unit_id = {unit} AND register_no IS NOT NULL").strip()
    eq(dup, "0", "no line given twice")
    text, _, _ = read_pdf(form(tn, online, "receipt"), "receipt-online", ctx.backend)
    check(f"Quyển số: {year}, Số thứ tự: {line(online)}" in text, "the stored line is printed")


@test
def each_form_reads_back(ctx):
    cv, ld, tn = login(ctx, "cv.nhatrang"), login(ctx, "ld.nhatrang"), login(ctx, "tn.nhatrang")
    # supplement request
    d = intake(ctx, applicant=applicant(name=LONG_NAME, address=LONG_ADDR))
    code = d["code"]
    act(ld, code, "assign", assignee="cv.nhatrang")
    expect_error(form(cv, code, "supplement"), 409, "conflict", "form")
    items = ["Bản sao giấy khai sinh có chứng thực của Ủy ban nhân dân xã Phước Đồng",
             "Ảnh chân dung 4x6 chụp trong vòng 06 tháng"]
    eq(act(cv, code, "request_supplement", items=items, period_days=15).status, 200, "ask")
    text, _, _ = read_pdf(form(cv, code, "supplement"), "supplement", ctx.backend)
    for want in [code, LONG_NAME, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"] + items:
        check(words(want) in text, f"supplement lacks {want!r}")
    # refusal of an online submission
    pub = ctx.server.client()
    body = {"procedure": d["procedure"]["code"], "receiving_unit": "001.01.00.H34",
            "applicant": applicant(name=LONG_NAME, address=LONG_ADDR),
            "components": [{"name": "Tờ khai theo mẫu", "originals": 1, "copies": 0}],
            "delivery": {"method": "counter"}}
    r = pub.post(f"{API}/public/dossiers", body)
    eq(r.status, 201, f"submit {r}")
    code2 = r.json["code"]
    expect_error(form(tn, code2, "receipt"), 409, "conflict", "form")
    reason = "Hồ sơ không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường"
    eq(act(tn, code2, "refuse", reason=reason).status, 200, "refuse")
    text, _, _ = read_pdf(form(tn, code2, "refusal"), "refusal", ctx.backend)
    for want in [code2, LONG_NAME, reason, "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ"]:
        check(words(want) in text, f"refusal lacks {want!r}")
    # apology with a new date, after an approved extension
    d3 = intake(ctx)
    code3 = d3["code"]
    act(ld, code3, "assign", assignee="cv.nhatrang")
    expect_error(form(cv, code3, "apology"), 409, "conflict", "form")
    why = "Cần xác minh thông tin tại nơi cư trú của người yêu cầu"
    act(cv, code3, "extend", working_days=2, reason=why)
    r = act(ld, code3, "approve_extension")
    text, _, _ = read_pdf(form(cv, code3, "apology"), "apology", ctx.backend)
    for key in ("due_at",):
        m = re.match(r"(\d{4})-(\d\d)-(\d\d)", r.json[key])
        y, mo, dd = m.groups()
        check(f"ngày {dd} tháng {mo} năm {y}" in text, f"new due {r.json[key]}")
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)", d3["due_at"])
    check("ngày %s tháng %s năm %s" % (m.group(3), m.group(2), m.group(1)) in text, "old due")
    check(words(why) in text and "xin lỗi" in text.lower(), "apology reason")
    # stop notice
    stop = "Chờ kết quả xác minh của cơ quan công an"
    eq(act(ld, code3, "stop", reason=stop).json["status"], 8, "stopped")
    text, _, _ = read_pdf(form(ld, code3, "stop"), "stop", ctx.backend)
    check(words(stop) in text and "THÔNG BÁO" in text, "stop notice")
    # control sheet: one row per hand-over with the step's result
    d4 = intake(ctx)
    code4 = d4["code"]
    act(ld, code4, "assign", assignee="cv.nhatrang")
    act(cv, code4, "forward", note="Hồ sơ hợp lệ")
    act(ld, code4, "finish", result_number="125/GXN-UBND", signer="Đỗ Văn Hải")
    text, _, _ = read_pdf(form(tn, code4, "control"), "control", ctx.backend)
    for want in [code4, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Thẩm định hồ sơ",
                 "Phê duyệt kết quả"]:
        check(want in text, f"control lacks {want!r}")
    eq(text.count("Trước hạn"), 2, "both steps finished early")


@test
def register_of_a_unit_for_a_period(ctx):
    ds = [intake(ctx, applicant=applicant(name=LONG_NAME, address=LONG_ADDR)) for _ in range(3)]
    unit = ds[0]["receiving_unit"]["id"]
    tn = login(ctx, "tn.nhatrang")
    # the middle one goes on to a department (liên thông): its row says when
    cv = login(ctx, "cv.nhatrang")
    act(login(ctx, "ld.nhatrang"), ds[1]["code"], "assign", assignee="cv.nhatrang")
    eq(act(cv, ds[1]["code"], "transfer", to_unit="000.00.02.H34", minutes=480).status, 200,
       "transfer")
    day = ds[0]["received_at"][:10]
    r = tn.get(f"{API}/units/{unit}/register.pdf?from={day}&to={day}")
    text, _, info = read_pdf(r, "register", ctx.backend, size=r"841\.8\d* x 595\.2\d*")
    check("SỔ THEO DÕI HỒ SƠ" in text, "title")
    joined = text.replace("- ", "-")  # a code may wrap after a dash in its narrow column
    for d in ds:
        check(d["code"] in joined, f"register lacks {d['code']}")
    # the name wraps in its narrow column: read in drawing order, its lines come together
    check(words(LONG_NAME) in words(pdf_text(r, "-raw")), "applicant")
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    eq(text.count("Tên thủ tục hành chính"), pages, "header on every page")
    check("Chuyển hồ sơ" in text, "the transferred column")
    # laid out, a row's first line holds one date per filled time column: received and due
    # for the two kept at home, and the hand-over too for the one transferred (the last
    # three rows, oldest first)
    count = int(re.search(r"— (\d+) hồ sơ", text).group(1))
    lines = pdf_text(r, "-layout").splitlines()
    dates = []
    for stt in range(count - 2, count + 1):
        row = next(ln for ln in lines if re.match(rf"\s*{stt}\s+\S", ln))
        dates.append(len(re.findall(r"\d\d/\d\d/\d{4}", row)))
    eq(dates, [2, 3, 2], "dates in the register's rows")
    # an earlier period holds none of them; bad dates are 400; another unit's staff see none
    r = tn.get(f"{API}/units/{unit}/register.pdf?from=2020-01-01&to=2020-01-31")
    text, _, _ = read_pdf(r, "register-empty", ctx.backend, size=r"841\.8\d* x 595\.2\d*")
    check(ds[0]["code"] not in text and "0 hồ sơ" in text, "empty period")
    expect_error(tn.get(f"{API}/units/{unit}/register.pdf?from=2026-13-01"), 400,
                 "validation", "from")
    expect_error(tn.get(f"{API}/units/{unit}/register.pdf?from=2026-02-01&to=2026-01-01"),
                 400, "validation", "to")
    r = login(ctx, "tn.camranh").get(f"{API}/units/{unit}/register.pdf?from={day}&to={day}")
    if r.status == 200:
        text, _, _ = read_pdf(r, "register-outsider", ctx.backend,
                              size=r"841\.8\d* x 595\.2\d*")
        check(ds[0]["code"] not in text, "an outsider sees no dossier of another unit")
    else:
        check(r.status in (403, 404), f"outsider {r}")


@test
def work_list_exports_as_csv(ctx):
    import csv
    import io
    d = intake(ctx, applicant=applicant(name=LONG_NAME, address=LONG_ADDR))
    intake(ctx)
    intake(ctx)
    tn = login(ctx, "tn.nhatrang")
    r = tn.get(f"{API}/dossiers?queue=all&format=csv&limit=2")
    eq(r.status, 200, f"csv {r}")
    check(r.header("Content-Type").startswith("text/csv"), r.header("Content-Type"))
    check(r.raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM")
    rows = list(csv.reader(io.StringIO(r.raw.decode("utf-8-sig"), newline="")))
    eq(rows[0][:3], ["Mã hồ sơ", "Trạng thái", "Mã trạng thái"], "header")
    mine = [x for x in rows[1:] if x[0] == d["code"]]
    eq(len(mine), 1, "the dossier once")
    eq((mine[0][6], mine[0][7], mine[0][1]), (LONG_NAME, LONG_ADDR, "Được tiếp nhận"), "fields")
    check(len(rows) - 1 >= 3, f"every dossier, not one page: {len(rows) - 1}")
    r = tn.get(f"{API}/dossiers?queue=all&format=xlsx&limit=2")
    eq(r.status, 200, f"xlsx {r}")
    import zipfile
    z = zipfile.ZipFile(io.BytesIO(r.raw))
    strings = z.read("xl/sharedStrings.xml").decode("utf-8")
    for want in ("Mã hồ sơ", d["code"], LONG_NAME, "Được tiếp nhận"):
        check(want in strings, f"xlsx lacks {want!r}")
    check(len(re.findall(r"<row ", z.read("xl/worksheets/sheet1.xml").decode())) >= 4, "rows")
    expect_error(tn.get(f"{API}/dossiers?format=xml"), 400, "validation", "format")
    # outsiders export nothing of this unit
    r = login(ctx, "tn.camranh").get(f"{API}/dossiers?queue=all&format=csv")
    check(d["code"].encode() not in r.raw, "scope")
