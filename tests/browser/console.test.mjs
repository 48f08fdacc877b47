// console.test.mjs: the staff console (/console/) in the browser: login and the lost session,
// counter intake by keyboard, server field errors, work lists, the dossier page and its
// actions, commune isolation, and a dossier's full life from the portal through the console
// and back to the citizen. Screenshots: tests/artifacts/browser-console-*.png.
export default (kit) => {
  const { base, passwords, shared, PDF, check, eq, newPage, rendered, open, shot, axe, staff, fillApplicant } = kit;

  // login: fill the console's login form; ends on the page the console goes to next
  async function login(page, name) {
    await page.getByLabel("Tên đăng nhập").waitFor();
    await page.getByLabel("Tên đăng nhập").fill(name);
    await page.getByLabel("Mật khẩu").fill(passwords[name]);
    await rendered(page, () => page.getByRole("button", { name: "Đăng nhập" }).click());
  }

  async function consoleAs(name, url = "/console/") {
    const page = await newPage();
    await open(page, url);
    await login(page, name);
    return page;
  }

  // act: take an action on the dossier page as a user would: its button, its form, confirm
  async function act(page, label, fill) {
    await page.getByRole("button", { name: label, exact: true }).click();
    await page.locator(".action-form").waitFor();
    if (fill) await fill(page.locator(".action-form"));
    await rendered(page, () => page.getByRole("button", { name: "Xác nhận: " + label }).click());
    const flash = await page.getByTestId("flash").textContent();
    eq(flash, `Đã thực hiện: ${label}.`, "the page says what was done");
  }

  // tabTo: press Tab until the focus is on the control of the API field name
  async function tabTo(page, name) {
    for (let i = 0; i < 60; i++) {
      if (await page.evaluate((n) => document.activeElement && document.activeElement.dataset.field === n, name)) return;
      await page.keyboard.press("Tab");
    }
    throw new kit.Fail("Tab never reached " + name);
  }

  // a counter dossier of Nha Trang made through the API
  async function nhaTrangDossier(name) {
    const tn = await staff("tn.nhatrang");
    const d = await tn("POST", "/dossiers", {
      procedure: "1.001193", case_id: 1,
      components: [1, 2, 4].map((id) => ({ component_id: id, originals: 1, copies: 0 })),
      applicant: { kind: "person", name, id_type: "cccd", id_number: "056095001122", phone: "0905111222" },
    });
    return d.code;
  }

  return {
    async console_login_and_lists() {
      const page = await newPage();
      await open(page, "/console/");
      eq(await page.locator("main h1").textContent(), "Đăng nhập", "a visit without a session: the login");
      eq(await page.evaluate(() => document.documentElement.lang), "vi", "lang=vi");
      await shot(page, "console-login");
      await axe(page, "console login");
      await page.getByLabel("Tên đăng nhập").fill("tn.nhatrang");
      await page.getByLabel("Mật khẩu").fill("sai-mat-khau");
      await page.getByRole("button", { name: "Đăng nhập" }).click();
      await page.locator(".field-err:not([hidden])").waitFor();
      check((await page.locator(".field-err:not([hidden])").textContent()).includes("không đúng"), "wrong password said next to the field");
      await login(page, "tn.nhatrang");
      check((await page.locator("main h1").textContent()).startsWith("Danh sách hồ sơ"), "the work list after login");
      check((await page.locator("#who-text").textContent()).includes("Cán bộ một cửa — Ủy ban nhân dân phường Nha Trang"), "who and where");
      const nav = await page.locator("#nav").innerText();
      check(nav.includes("Tiếp nhận hồ sơ") && nav.includes("Danh sách hồ sơ") && !nav.includes("Quản trị"), "a receiver's navigation: " + nav);
      // an overdue-looking list still draws; a dossier made now is in the unit's queue
      const code = await nhaTrangDossier("Nguyễn Văn Danh Sách");
      await rendered(page, () => page.getByRole("link", { name: "Hồ sơ của đơn vị" }).click());
      await page.getByRole("link", { name: code }).waitFor();
      // the text filter, without diacritics
      await page.getByLabel("Mã hồ sơ, người nộp, số giấy tờ").fill("danh sach");
      await rendered(page, () => page.getByRole("button", { name: "Lọc", exact: true }).click());
      check(page.url().includes("q=danh+sach"), "the filter is in the address: " + page.url());
      eq(await page.locator(".worklist tbody tr").count(), 1, "one dossier matches");
      // due soon and overdue rows: a text badge, not colour alone
      const row = page.locator(".worklist tbody tr").first();
      eq(await row.getAttribute("class"), "row-due-soon", "made now, due today: due soon");
      eq(await row.locator(".flag").textContent(), "Sắp đến hạn", "its badge");
      const late = await page.evaluate(async () => {
        const m = await import("/assets/js/console/lists.js");
        const d = { state: "processing", due_at: "2026-01-05T17:00:00+07:00" };
        return [m.urgency(d), m.urgencyFlag(m.urgency(d)).textContent, m.urgency({ state: "waiting_supplement", due_at: d.due_at })];
      });
      eq(late.join("|"), "overdue|Quá hạn|", "overdue while the clock runs, not while it is stopped");
      await shot(page, "console-lists");
      await axe(page, "console work list");
      // English
      await rendered(page, () => page.getByLabel("Ngôn ngữ").selectOption("en"));
      check((await page.locator("main h1").textContent()).startsWith("Dossiers"), "English title");
      await rendered(page, () => page.getByLabel("Language").selectOption("vi"));
      await page.close();
    },

    // the reports and administration pages are modules of their own (reports.js, admin.js):
    // the shell routes to them for the roles that may use them, and only for those
    async console_reports_and_admin_routes() {
      const ld = await consoleAs("ld.nhatrang", "/console/bao-cao");
      check((await ld.locator("main h1").textContent()).length > 0, "the reports page has a title");
      eq(new URL(ld.url()).pathname, "/console/bao-cao", "the address stays");
      check(!(await ld.locator("#nav").innerText()).includes("Quản trị"), "no administration for a leader");
      await open(ld, "/console/quan-tri");
      eq(await ld.locator("main h1").textContent(), "Bạn không có quyền dùng chức năng này.", "administration refused to a leader");
      const admin = await consoleAs("admin", "/console/quan-tri");
      check((await admin.locator("#nav").innerText()).includes("Quản trị"), "administration in the admin's navigation");
      check((await admin.locator("main h1").textContent()).length > 0, "the administration page has a title");
      await open(admin, "/console/khong-co");
      eq(await admin.locator("main h1").textContent(), "Không tìm thấy trang này.", "an unknown console page");
      for (const p of [ld, admin]) await p.close();
    },

    // English second: every text of every console page has its English (no key shows)
    async console_english() {
      const code = await nhaTrangDossier("Đặng Văn Anh Ngữ");
      const page = await consoleAs("tn.nhatrang", `/console/ho-so/${code}`);
      await rendered(page, () => page.getByLabel("Ngôn ngữ").selectOption("en"));
      eq(await page.evaluate(() => document.documentElement.lang), "en", "lang=en");
      const raw = /\b(c|act|st|role|ch|id)_[a-z_]+\b/;
      const pages = [`/console/ho-so/${code}`, "/console/ho-so?queue=all", "/console/tiep-nhan", "/console/bao-cao"];
      for (const u of pages) {
        await open(page, u);
        const text = await page.locator("body").innerText();
        check(!raw.test(text), `a text key on ${u}: ${(raw.exec(text) || [])[0]}`);
        check(!/Thao tác|Danh sách hồ sơ|Tiếp nhận hồ sơ tại quầy/.test(await page.locator("main h1, main h2").allInnerTexts().then((a) => a.join(" "))), `Vietnamese headings left on ${u}`);
      }
      await open(page, `/console/ho-so/${code}`);
      await shot(page, "console-dossier-english");
      await rendered(page, () => page.getByLabel("Language").selectOption("vi"));
      await page.close();
    },

    // first render of each console page in a fresh context (empty HTTP cache) with a session;
    // the bound is loose (ASan build, shared machine), the figures are printed
    async console_first_render_times() {
      const code = await nhaTrangDossier("Lý Văn Nhanh");
      const r = await fetch(base + "/api/v1/auth/login", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username: "tn.nhatrang", password: passwords["tn.nhatrang"] }) });
      const [name, value] = r.headers.get("set-cookie").split(";")[0].split("=");
      const out = [];
      for (const u of ["/console/ho-so", "/console/tiep-nhan", `/console/ho-so/${code}`, "/console/dang-nhap"]) {
        const page = await newPage();
        await page.context().addCookies([{ name, value, url: base }]);
        await open(page, u);
        await page.waitForFunction(() => document.documentElement.dataset.firstDrawn);
        const full = await page.evaluate(() => Number(document.documentElement.dataset.firstDrawn));
        out.push(`${u.replace(code, "{code}")} ${full} ms`);
        check(full < 2000, `first render of ${u} took ${full} ms`);
        await page.context().close();
      }
      console.log("  console pages drawn with their data: " + out.join(", "));
    },

    async console_keyboard_intake() {
      const page = await consoleAs("tn.nhatrang", "/console/tiep-nhan");
      eq(await page.locator("main h1").textContent(), "Tiếp nhận hồ sơ tại quầy", "intake page");
      await page.waitForFunction(() => document.activeElement && document.activeElement.dataset.field === "procedure");
      // the procedure by typing, without diacritics; arrows and Enter
      await page.keyboard.type("dang ky khai sinh");
      await page.locator("#proc-list li").first().waitFor();
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("ArrowUp");
      check((await page.locator('#proc-list li[aria-selected="true"]').textContent()).startsWith("Thủ tục đăng ký khai sinh"), "the first match is active");
      await page.keyboard.press("Enter");
      await page.getByTestId("chosen").filter({ hasText: "1.001193" }).waitFor();
      eq(await page.locator(".checklist li.comp").count(), 4, "the case's four papers");
      eq(await page.locator(".checklist input[type=checkbox]:checked").count(), 3, "the required ones ticked");
      check((await page.locator(".fees").innerText()).includes("1 ngày làm việc"), "time and fee shown");
      await tabTo(page, "applicant.name");
      await page.keyboard.type("Lê Thị Bàn Phím");
      await tabTo(page, "applicant.id_number");
      await page.keyboard.type("12");
      await page.keyboard.press("Tab"); // leaving it: the rule is said as typed
      await page.locator("#" + (await page.getByLabel("Số giấy tờ").first().getAttribute("id")) + "-err").filter({ hasText: "12 chữ số" }).waitFor();
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("End");
      await page.keyboard.type("3456789012");
      eq(await page.getByLabel("Số giấy tờ").first().getAttribute("aria-invalid"), null, "fixed as typed: the hint goes");
      await tabTo(page, "applicant.birth_date");
      await page.keyboard.type("02/09/1985");
      await tabTo(page, "applicant.phone");
      await page.keyboard.type("0912345678");
      await tabTo(page, "applicant.address");
      await page.keyboard.type("5 Lê Thánh Tôn, phường Nha Trang");
      await shot(page, "console-intake");
      await axe(page, "console intake");
      const resp = page.waitForResponse((r) => r.url().endsWith("/api/v1/dossiers") && r.request().method() === "POST");
      const popup = page.context().waitForEvent("page", { timeout: 5000 }).catch(() => null);
      await rendered(page, () => page.keyboard.press("Enter"));
      eq((await resp).status(), 201, "intake answered 201");
      const code = await page.getByTestId("code").textContent();
      check(/^001\.01\.00\.H34-\d{6}-\d{4}$/.test(code), "the code on screen: " + code);
      check(/^\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}$/.test(await page.getByTestId("due").textContent()), "the due date as hh:mm dd/mm/yyyy");
      const tab = await popup;
      check(tab && tab.url().includes(`/dossiers/${code}/forms/receipt.pdf`), "the receipt opened at once in a new tab");
      const pdf = await page.request.get(base + await page.getByTestId("receipt").getAttribute("href"));
      eq(pdf.status(), 200, "receipt");
      eq((await pdf.body()).subarray(0, 4).toString(), "%PDF", "the receipt is a PDF");
      eq(await page.evaluate(() => document.activeElement.id), "done-h", "the focus on the result");
      await shot(page, "console-intake-done");
      await axe(page, "console intake done");
      await page.close();
    },

    async console_field_errors() {
      const page = await consoleAs("tn.nhatrang", "/console/tiep-nhan");
      const proc = page.getByRole("combobox", { name: /^Thủ tục/ });
      await proc.fill("khai sinh");
      await page.locator("#proc-list li").first().waitFor();
      await proc.press("Enter");
      await page.getByTestId("chosen").filter({ hasText: "1.001193" }).waitFor();
      // a missing name: the schema's message, from the server, next to the field
      await page.getByLabel("Số giấy tờ").first().fill("056190004444");
      await page.getByLabel("Số điện thoại").first().fill("0905123456");
      let resp = page.waitForResponse((r) => r.url().endsWith("/api/v1/dossiers"));
      await page.getByRole("button", { name: "Tiếp nhận và in giấy hẹn" }).click();
      let body = await (await resp).json();
      eq(body.error.field, "applicant.name", "the server names the field");
      const nameErr = page.locator("#" + (await page.getByLabel("Họ và tên").first().getAttribute("id")) + "-err");
      await nameErr.waitFor();
      eq(await nameErr.textContent(), body.error.message_vi, "the server's Vietnamese message next to the name");
      eq(await page.evaluate(() => document.activeElement.dataset.field), "applicant.name", "the focus on it");
      // a bad ID number: the server's message next to it, everything typed kept
      await page.getByLabel("Họ và tên").first().fill("Trần Văn Lỗi");
      await page.getByLabel("Số giấy tờ").first().fill("123");
      resp = page.waitForResponse((r) => r.url().endsWith("/api/v1/dossiers"));
      await page.getByRole("button", { name: "Tiếp nhận và in giấy hẹn" }).click();
      body = await (await resp).json();
      eq((await resp).status(), 400, "refused");
      eq(body.error.message_vi, "Số căn cước công dân phải gồm đúng 12 chữ số", "the server's message");
      const idErr = page.locator("#" + (await page.getByLabel("Số giấy tờ").first().getAttribute("id")) + "-err");
      await idErr.filter({ hasText: body.error.message_vi }).waitFor();
      eq(await page.getByLabel("Số giấy tờ").first().inputValue(), "123", "the typed ID number stays");
      eq(await page.getByLabel("Họ và tên").first().inputValue(), "Trần Văn Lỗi", "the typed name stays");
      eq(await page.getByLabel("Số điện thoại").first().inputValue(), "0905123456", "the typed phone stays");
      check((await page.getByTestId("chosen").textContent()).includes("1.001193"), "the procedure stays");
      await shot(page, "console-intake-error");
      await axe(page, "console intake with an error");
      await page.close();
    },

    async console_commune_isolation() {
      const code = await nhaTrangDossier("Hoàng Thị Riêng Tư");
      const page = await consoleAs("tn.camranh", `/console/ho-so/${code}`);
      eq(await page.locator("main h1").textContent(), "Không tìm thấy hồ sơ hoặc bạn không có quyền xem", "not found / not allowed");
      check(!(await page.locator("main").innerText()).includes("Riêng Tư"), "nothing of the dossier shown");
      eq(await page.getByRole("button", { name: "Tiếp nhận" }).count(), 0, "no actions");
      const api = await page.request.get(base + `/api/v1/dossiers/${code}`);
      check(api.status() === 403 || api.status() === 404, "the server refuses too: " + api.status());
      // nor does it appear in Cam Ranh's lists
      await open(page, "/console/ho-so?queue=all");
      eq(await page.getByRole("link", { name: code }).count(), 0, "not in another commune's list");
      await open(page, `/console/ho-so/${code}`);
      await shot(page, "console-denied");
      await axe(page, "console denied");
      await page.close();
    },

    async console_lost_session() {
      const code = await nhaTrangDossier("Phan Văn Phiên");
      const page = await consoleAs("tn.nhatrang", `/console/ho-so/${code}`);
      eq(await page.locator("main h1").textContent(), `Hồ sơ ${code}`, "the dossier after login");
      // the session goes (expired, logged out elsewhere): a reload goes to login, and back
      await page.context().clearCookies();
      await page.reload();
      await page.getByLabel("Tên đăng nhập").waitFor();
      check(page.url().includes("/console/dang-nhap?next="), "login with where to go back: " + page.url());
      await login(page, "tn.nhatrang");
      eq(new URL(page.url()).pathname, `/console/ho-so/${code}`, "back on the dossier");
      eq(await page.locator("main h1").textContent(), `Hồ sơ ${code}`, "the dossier again");
      // and lost in the middle of an action: the action's answer is 401, login, back again
      await page.context().clearCookies();
      await page.getByRole("button", { name: "Chuyển bước tiếp theo", exact: true }).click();
      await rendered(page, () => page.getByRole("button", { name: "Xác nhận: Chuyển bước tiếp theo" }).click());
      eq(await page.locator("main h1").textContent(), "Đăng nhập", "the login screen");
      check((await page.locator(".notice").textContent()).includes("Phiên làm việc đã hết"), "it says why");
      await login(page, "tn.nhatrang");
      eq(await page.locator("main h1").textContent(), `Hồ sơ ${code}`, "back on the dossier after the lost action");
      // lost while an intake form is filled in: after the login, the form as it was
      await open(page, "/console/tiep-nhan");
      const proc = page.getByRole("combobox", { name: /^Thủ tục/ });
      await proc.fill("khai sinh");
      await page.locator("#proc-list li").first().waitFor();
      await proc.press("Enter");
      await page.getByTestId("chosen").filter({ hasText: "1.001193" }).waitFor();
      await page.getByLabel("Họ và tên").first().fill("Vũ Thị Không Mất");
      await page.getByLabel("Số giấy tờ").first().fill("056190005566");
      await page.context().clearCookies();
      await rendered(page, () => page.getByRole("button", { name: "Tiếp nhận và in giấy hẹn" }).click());
      eq(await page.locator("main h1").textContent(), "Đăng nhập", "the login screen");
      await login(page, "tn.nhatrang");
      eq(new URL(page.url()).pathname, "/console/tiep-nhan", "back on the intake");
      eq(await page.getByLabel("Họ và tên").first().inputValue(), "Vũ Thị Không Mất", "the name typed before is kept");
      check((await page.locator(".notice").textContent()).includes("Đã đăng nhập lại"), "it says so");
      const resp = page.waitForResponse((r) => r.url().endsWith("/api/v1/dossiers") && r.request().method() === "POST");
      await rendered(page, () => page.getByRole("button", { name: "Tiếp nhận và in giấy hẹn" }).click());
      eq((await resp).status(), 201, "sent again with the new session");
      await page.getByTestId("code").waitFor();
      await page.close();
    },

    // the forms of the other actions: supplement (once, in full, with its period), the
    // applicant's supply taken at the counter, a transfer to another agency and its recall
    async console_supplement_transfer_and_recall() {
      const code = await nhaTrangDossier("Trương Thị Bổ Sung");
      const tn = await consoleAs("tn.nhatrang", `/console/ho-so/${code}`);
      await act(tn, "Chuyển bước tiếp theo");
      const cv = await consoleAs("cv.nhatrang", `/console/ho-so/${code}`);
      await cv.getByRole("button", { name: "Yêu cầu bổ sung hồ sơ", exact: true }).click();
      // an empty list is refused by the server, next to the field
      await cv.getByRole("button", { name: "Xác nhận: Yêu cầu bổ sung hồ sơ" }).click();
      await cv.locator(".action-form .field-err:not([hidden])").waitFor();
      check((await cv.locator(".action-form .field-err:not([hidden])").textContent()).includes("một lần"), "the server's rule: all at once");
      await act(cv, "Yêu cầu bổ sung hồ sơ", async (f) => {
        await f.getByLabel(/^Nội dung cần bổ sung/).fill("Bản sao giấy chứng sinh có chứng thực\nGiấy xác nhận nơi cư trú");
        await f.getByLabel("Thời hạn bổ sung (ngày)").fill("10");
      });
      eq(await cv.getByTestId("state").textContent(), "Yêu cầu bổ sung", "waiting for the applicant");
      check((await cv.locator("main").innerText()).includes("Bản sao giấy chứng sinh có chứng thực; Giấy xác nhận nơi cư trú"), "what was asked");
      const sup = await cv.request.get(base + await cv.locator('a[data-form="supplement"]').getAttribute("href"));
      eq((await sup.body()).subarray(0, 4).toString(), "%PDF", "the supplement request form");
      // the applicant brings the papers to the counter
      await open(tn, `/console/ho-so/${code}`);
      await act(tn, "Bổ sung hồ sơ", async (f) => f.getByLabel("Ghi chú").fill("Công dân nộp bổ sung tại quầy"));
      eq(await tn.getByTestId("state").textContent(), "Đang xử lý", "the clock runs again");
      // transfer to the Department of Justice for 3 working days, then recall it
      await open(cv, `/console/ho-so/${code}`);
      await act(cv, "Chuyển liên thông", async (f) => {
        await f.getByLabel(/^Đơn vị chuyển đến/).selectOption({ label: "Sở Tư pháp" });
        await f.getByLabel(/^Số ngày làm việc/).fill("3");
      });
      check((await cv.locator(".steps-table").innerText()).includes("Sở Tư pháp"), "a step at the Department");
      await act(cv, "Thu hồi", async (f) => f.getByLabel("Ghi chú").fill("Chuyển nhầm đơn vị"));
      check(!(await cv.locator(".steps-table").innerText()).includes("Sở Tư pháp"), "the transfer undone");
      await shot(cv, "console-dossier-recalled");
      for (const p of [tn, cv]) await p.close();
    },

    async full_life() {
      // Nha Trang's public figures before: the statistics page must show this dossier's life
      const NT = "001.01.00.H34";
      const ntStats = async () => (await (await fetch(base + "/api/v1/public/stats")).json()).units
        .find((u) => u.unit.code === NT) || { received: 0, received_online: 0, resolved: 0, ratings: 0 };
      const before = await ntStats();
      // 1. a citizen finds the procedure without diacritics and submits online with a file
      const cit = await newPage();
      await open(cit, "/");
      await cit.getByLabel("Tên hoặc mã thủ tục").fill("khai sinh");
      await rendered(cit, () => cit.getByLabel("Tên hoặc mã thủ tục").press("Enter"));
      await rendered(cit, () => cit.getByRole("link", { name: "Thủ tục đăng ký khai sinh", exact: true }).click());
      await rendered(cit, () => cit.getByRole("link", { name: "Nộp hồ sơ trực tuyến" }).click());
      await fillApplicant(cit, "056190007788");
      await cit.getByLabel("Tờ khai đăng ký khai sinh theo mẫu").setInputFiles({ name: "to-khai.pdf", mimeType: "application/pdf", buffer: PDF });
      await rendered(cit, () => cit.getByRole("button", { name: "Gửi hồ sơ" }).click());
      const code = await cit.getByTestId("code").textContent();
      const token = await cit.getByTestId("token").textContent();
      shared.console_code = code;

      // 2. the receiver finds it among the online submissions, accepts it, prints the receipt
      const tn = await consoleAs("tn.nhatrang");
      await rendered(tn, () => tn.getByRole("link", { name: "Trực tuyến chờ tiếp nhận" }).click());
      const row = tn.locator(".worklist tr", { hasText: code });
      check((await row.innerText()).includes("Mới đăng ký"), "listed as submitted");
      await rendered(tn, () => row.getByRole("link", { name: code }).click());
      eq(await tn.getByTestId("state").textContent(), "Mới đăng ký", "the dossier page");
      check((await tn.locator("main").innerText()).includes("to-khai.pdf"), "the citizen's file is listed");
      await shot(tn, "console-dossier-submitted");
      await axe(tn, "console dossier");
      await act(tn, "Tiếp nhận");
      eq(await tn.getByTestId("state").textContent(), "Được tiếp nhận", "accepted");
      check(/^\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}$/.test(await tn.getByTestId("due").textContent()), "a due date");
      check((await tn.getByTestId("explain").innerText()).length > 10, "why the due date is what it is");
      const receipt = await tn.request.get(base + await tn.locator('a[data-form="receipt"]').getAttribute("href"));
      eq(receipt.status(), 200, "receipt answers");
      eq((await receipt.body()).subarray(0, 4).toString(), "%PDF", "the receipt is a real PDF");
      // the receiver's own step (checking the papers) is done: forward to the specialist
      await act(tn, "Chuyển bước tiếp theo");
      eq(await tn.getByTestId("state").textContent(), "Đang xử lý", "processing");

      // 3. the specialist forwards to the leader
      const cv = await consoleAs("cv.nhatrang");
      await rendered(cv, () => cv.getByRole("link", { name: "Hồ sơ của đơn vị" }).click());
      await rendered(cv, () => cv.getByRole("link", { name: code }).click());
      eq(await cv.getByRole("button", { name: "Tiếp nhận", exact: true }).count(), 0, "no receiver's buttons for a specialist");
      await cv.getByRole("button", { name: "Yêu cầu bổ sung hồ sơ" }).click();
      await cv.locator(".action-form").waitFor();
      await shot(cv, "console-dossier-action");
      await axe(cv, "console action form");
      await cv.getByRole("button", { name: "Hủy" }).click();
      await act(cv, "Chuyển bước tiếp theo");

      // 4. the leader signs (forward to the return step) and finishes with the result
      const ld = await consoleAs("ld.nhatrang", `/console/ho-so/${code}`);
      // the signed result, scanned, attached to the dossier
      const result = Buffer.concat([PDF, Buffer.from("% Giấy khai sinh số 27/GKS\n")]);
      await ld.getByLabel("Tệp (PDF, JPEG hoặc PNG)").setInputFiles({ name: "giay-khai-sinh.pdf", mimeType: "application/pdf", buffer: result });
      await ld.getByLabel("Loại tệp").selectOption("result");
      await rendered(ld, () => ld.getByRole("button", { name: "Tải lên" }).click());
      eq(await ld.getByTestId("flash").textContent(), "Đã đính kèm tệp giay-khai-sinh.pdf.", "uploaded");
      const dl = await ld.request.get(base + await ld.getByRole("link", { name: "giay-khai-sinh.pdf" }).getAttribute("href"));
      eq((await dl.body()).subarray(0, 4).toString(), "%PDF", "the file downloads");
      await act(ld, "Chuyển bước tiếp theo");
      await act(ld, "Hoàn thành xử lý", async (f) => {
        await f.getByLabel("Số, ký hiệu văn bản kết quả").fill("27/GKS");
        await f.getByLabel("Người ký").fill("Nguyễn Văn Lãnh Đạo");
      });
      eq(await ld.getByTestId("state").textContent(), "Đã xử lý xong", "result ready");

      // 5. the receiver returns the result to the applicant
      await open(tn, `/console/ho-so/${code}`);
      await act(tn, "Trả kết quả", async (f) => {
        eq(await f.getByLabel("Người nhận kết quả").inputValue(), "Trần Thị Bích Ngọc", "the applicant by default");
      });
      eq(await tn.getByTestId("state").textContent(), "Đã trả kết quả", "returned");
      check((await tn.locator("main").innerText()).includes("27/GKS"), "the result number shown");
      await shot(tn, "console-dossier-returned");
      await axe(tn, "console dossier returned");
      const control = await tn.request.get(base + await tn.locator('a[data-form="control"]').getAttribute("href"));
      eq((await control.body()).subarray(0, 4).toString(), "%PDF", "the control sheet is a PDF");

      // 6. the citizen looks it up, sees it returned, and rates it
      await open(cit, `/tra-cuu/${code}?token=${token}`);
      await cit.getByTestId("state").waitFor();
      eq(await cit.getByTestId("state").textContent(), "Đã trả kết quả", "the citizen sees it returned");
      await cit.getByLabel("Hài lòng", { exact: true }).check();
      await cit.getByRole("button", { name: "Gửi đánh giá" }).click();
      await cit.getByText("Cảm ơn bạn đã đánh giá.").waitFor();

      // 7. the public statistics page shows the change: one more received online and resolved
      await open(cit, "/thong-ke/");
      const tr = cit.locator(`table[data-testid=units] tr[data-unit="${NT}"]`);
      await tr.waitFor();
      const cell = async (k) => (await tr.locator(`td[data-k=${k}]`).textContent()).trim();
      const vi = (n) => new Intl.NumberFormat("vi-VN").format(n);
      eq(await cell("received"), vi(before.received + 1), "the page: one more received at Nha Trang");
      eq(await cell("received_online"), vi(before.received_online + 1), "the page: one more online");
      eq(await cell("resolved"), vi(before.resolved + 1), "the page: one more resolved");
      eq((await ntStats()).ratings, (before.ratings || 0) + 1, "the rating counted");
      check((await cell("satisfaction")) !== "—", "the page shows a satisfaction figure");
      for (const p of [cit, tn, cv, ld]) await p.close();
    },
  };
};
