// stats.test.mjs: the public statistics page /thong-ke/ and the console's reports and
// administration pages, in the browser against the real server.
export default (kit) => {
  const { base, check, eq, newPage, open, shot, axe, staff, passwords } = kit;
  const pct = (v) => (v === null || v === undefined ? "—" : new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v) + " %");
  const num = (v) => new Intl.NumberFormat("vi-VN").format(v);
  const publicStats = async () => (await fetch(base + "/api/v1/public/stats")).json();
  const row = async (page, code) => {
    const tr = page.locator(`table[data-testid=units] tr[data-unit="${code}"]`);
    const out = {};
    for (const k of ["received", "resolved", "on_time_rate", "online_share"]) out[k] = (await tr.locator(`td[data-k=${k}]`).textContent()).trim();
    out.name = (await tr.locator("th").textContent()).trim();
    return out;
  };
  const openStats = async (page) => {
    await open(page, "/thong-ke/");
    await page.locator("table[data-testid=units]").waitFor();
  };

  // a counter dossier at Nha Trang through its whole life, so the figures move
  async function nhaTrangDossier() {
    const [tn, ld, cv] = [await staff("tn.nhatrang"), await staff("ld.nhatrang"), await staff("cv.nhatrang")];
    const d = await tn("POST", "/dossiers", {
      procedure: "1.001193", case_id: 1, channel: "direct",
      applicant: { name: "Nguyễn Văn Thống", id_type: "cccd", id_number: "056090007777", phone: "0905777777" },
      components: [1, 2, 4].map((id) => ({ component_id: id, originals: 1, copies: 0 })), delivery: { method: "counter" },
    });
    const c = d.code;
    await ld("POST", `/dossiers/${c}/actions`, { action: "assign", assignee: "cv.nhatrang" });
    await cv("POST", `/dossiers/${c}/actions`, { action: "forward" });
    await ld("POST", `/dossiers/${c}/actions`, { action: "forward" });
    await tn("POST", `/dossiers/${c}/actions`, { action: "forward" });
    await ld("POST", `/dossiers/${c}/actions`, { action: "finish", result_number: "99/GKS" });
    await tn("POST", `/dossiers/${c}/actions`, { action: "return", recipient: "Nguyễn Văn Thống" });
    return c;
  }

  // the console, logged in through its form as name
  async function consoleAs(name, url) {
    const page = await newPage();
    await open(page, url);
    await page.getByLabel("Tên đăng nhập").waitFor();
    await page.getByLabel("Tên đăng nhập").fill(name);
    await page.getByLabel("Mật khẩu").fill(passwords[name]);
    await kit.rendered(page, () => page.getByRole("button", { name: "Đăng nhập" }).click());
    return page;
  }
  // fetch with the page's session cookie
  async function fetchAs(page, url) {
    const cookies = await page.context().cookies();
    const r = await fetch(base + url, { headers: { Cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") } });
    return { status: r.status, type: r.headers.get("content-type"), body: Buffer.from(await r.arrayBuffer()) };
  }

  return {
    async thong_ke_page() {
      // a fresh database has no figures yet: one dossier gives Nha Trang some
      if (!(await publicStats()).units.length) await nhaTrangDossier();
      const page = await newPage();
      await openStats(page);
      eq(await page.locator("h1").textContent(), "Thống kê tình hình giải quyết hồ sơ", "title");
      eq(await page.locator('.nav a[href="/thong-ke/"]').getAttribute("aria-current"), "page", "the nav link is current");
      const d = await publicStats();
      check(d.units.length > 0, "the API lists units");
      for (const u of d.units) {
        const r = await row(page, u.unit.code);
        eq(r.name, u.unit.name, "unit name");
        eq(r.on_time_rate, pct(u.on_time_rate), `${u.unit.name}: on-time rate`);
        eq(r.online_share, pct(u.online_share), `${u.unit.name}: online share`);
        eq(r.received, num(u.received), `${u.unit.name}: received`);
      }
      check(/^Cập nhật lúc \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}$/.test(await page.getByTestId("updated").textContent()), "updated at HH:MM dd/mm/yyyy");
      // two bar charts, each an SVG named by its caption with a table of the same figures
      const charts = page.locator(".charts figure.chart");
      eq(await charts.count(), 2, "two charts");
      for (let i = 0; i < 2; i++) {
        const fig = charts.nth(i);
        eq(await fig.locator("svg[role=img]").count(), 1, "chart SVG");
        const lab = await fig.locator("svg").getAttribute("aria-labelledby");
        check((await page.locator("#" + lab).textContent()).length > 10, "the SVG is named by its caption");
        eq(await fig.locator("table tbody tr").count(), d.units.length, "the chart's table has a row per unit");
      }
      // the chart's table is shown on request
      const toggle = charts.first().locator("button.chart-toggle");
      await toggle.click();
      eq(await toggle.getAttribute("aria-expanded"), "true", "table shown");
      check(await charts.first().locator("table").isVisible(), "the table is visible");
      await toggle.click();
      await page.locator(".trend figure").waitFor();
      await axe(page, "thong-ke");
      await shot(page, "thong-ke");
      // a quick pick: this month
      await kit.rendered(page, () => page.getByRole("link", { name: "Tháng này" }).click());
      check(/^Kỳ thống kê: từ 01\/\d{2}\/\d{4} đến/.test(await page.getByTestId("period").textContent()), "this month");
      // a typed period, and a wrong date is told next to its field, as typed
      await page.getByLabel("Từ ngày").fill("31/02/2026");
      await page.getByRole("button", { name: "Xem", exact: true }).click();
      const err = page.locator("#" + (await page.getByLabel("Từ ngày").getAttribute("id")) + "-err");
      await err.waitFor();
      check((await err.textContent()).includes("ngày/tháng/năm"), "the date's error next to it");
      eq(await page.getByLabel("Từ ngày").inputValue(), "31/02/2026", "what was typed stays");
      await page.getByLabel("Từ ngày").fill("01/01/2026");
      await page.getByLabel("Đến ngày").fill("30/06/2026");
      await kit.rendered(page, () => page.getByRole("button", { name: "Xem", exact: true }).click());
      eq(await page.getByTestId("period").textContent(), "Kỳ thống kê: từ 01/01/2026 đến 30/06/2026", "typed period");
      check(page.url().endsWith("/thong-ke/?from=2026-01-01&to=2026-06-30"), "the period in the address: " + page.url());
      // the phone
      const phone = await newPage({ width: 360, height: 740 });
      await openStats(phone);
      await phone.locator(".trend figure").waitFor();
      check(await phone.evaluate(() => document.documentElement.scrollWidth) <= 360, "no sideways scrolling at 360 px");
      await shot(phone, "thong-ke-phone");
      await axe(phone, "thong-ke at 360 px");
    },

    async thong_ke_changes() {
      if (!(await publicStats()).units.length) await nhaTrangDossier();
      const page = await newPage();
      await openStats(page);
      const nt = "001.01.00.H34";
      const before = await row(page, nt);
      const api0 = (await publicStats()).units.find((u) => u.unit.code === nt);
      await nhaTrangDossier();
      await page.reload();
      await page.waitForFunction(() => document.documentElement.dataset.drawn);
      await page.locator("table[data-testid=units]").waitFor();
      const after = await row(page, nt);
      eq(after.received, num(api0.received + 1), "one more dossier received at Nha Trang");
      eq(after.resolved, num(api0.resolved + 1), "one more resolved");
      check(after.received !== before.received, "the page's figure changed");
      const api1 = (await publicStats()).units.find((u) => u.unit.code === nt);
      eq(after.on_time_rate, pct(api1.on_time_rate), "the on-time rate as the API now says");
      check(api1.on_time_rate !== null, "a rate once resolved");
    },

    async console_reports() {
      if (!(await publicStats()).units.length) await nhaTrangDossier();
      const page = await consoleAs("ld.tinh", "/console/bao-cao");
      await page.locator("table[data-testid=bieu06]").waitFor();
      check((await page.locator("main h1").textContent()).startsWith("Biểu 06"), "the Biểu 06 page");
      eq(await page.getByLabel("Đơn vị (cả các đơn vị trực thuộc)").inputValue(), "000.00.00.H34", "the leader's top unit by default");
      // the merged header groups of the official layout
      const groups = await page.locator("table[data-testid=bieu06] thead th.grp").allTextContents();
      eq(groups.join(" | "), "Số hồ sơ nhận giải quyết | Kết quả giải quyết: số hồ sơ đã giải quyết | Số hồ sơ đang giải quyết | Tỷ lệ", "header groups");
      eq(await page.locator("table[data-testid=bieu06] thead th.grp").first().getAttribute("colspan"), "4", "received spans four columns");
      const ld = await staff("ld.tinh");
      const td = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date());
      const j = await ld("GET", `/reports/bieu06?unit=000.00.00.H34&from=${td.slice(0, 4)}-01-01&to=${td}`);
      const total = page.locator("tfoot tr[data-testid=total]");
      for (const k of ["received_total", "received_online", "resolved_total", "in_progress_total"])
        eq((await total.locator(`td[data-k=${k}]`).textContent()).trim(), num(j.total[k]), "total " + k + " as the API's");
      check(j.total.received_total > 0, "the report has dossiers");
      eq((await total.locator("td[data-k=on_time_rate]").textContent()).trim(), pct(j.total.on_time_rate), "on-time rate");
      eq(await page.locator("figure.chart svg[role=img]").count(), 1, "a chart");
      await axe(page, "console reports");
      await shot(page, "console-bao-cao");
      // one commune and this month, by the form
      await page.getByLabel("Đơn vị (cả các đơn vị trực thuộc)").selectOption("001.01.00.H34");
      await kit.rendered(page, () => page.getByRole("button", { name: "Tháng này" }).click());
      check(page.url().includes("unit=001.01.00.H34"), "the unit in the address: " + page.url());
      check((await page.getByTestId("scope").textContent()).startsWith("Ủy ban nhân dân phường Nha Trang, từ 01/"), "scope " + await page.getByTestId("scope").textContent());
      // the exports are the API's files for the same parameters
      const xlsx = await fetchAs(page, await page.locator("a[data-format=xlsx]").getAttribute("href"));
      eq(xlsx.status, 200, "xlsx");
      eq(xlsx.body.subarray(0, 2).toString(), "PK", "a real xlsx (zip)");
      check((await page.locator("a[data-format=xlsx]").getAttribute("href")).includes("unit=001.01.00.H34"), "xlsx with the same unit");
      const csv = await fetchAs(page, await page.locator("a[data-format=csv]").getAttribute("href"));
      eq(csv.status, 200, "csv");
      eq(csv.body.subarray(0, 3).toString("hex"), "efbbbf", "CSV with a BOM");
      check(csv.body.toString("utf8").includes("Lĩnh vực giải quyết"), "CSV in Vietnamese");
      const pdf = await fetchAs(page, await page.locator("a[data-format=pdf]").getAttribute("href"));
      eq(pdf.body.subarray(0, 5).toString(), "%PDF-", "a PDF");
      // rows by unit
      await page.getByLabel("Xem theo").selectOption("don-vi");
      await page.getByLabel("Đơn vị (cả các đơn vị trực thuộc)").selectOption("000.00.00.H34");
      await kit.rendered(page, () => page.getByRole("button", { name: "Xem", exact: true }).click());
      check((await page.locator("table[data-testid=bieu06] tbody").innerText()).includes("Ủy ban nhân dân phường Nha Trang"), "rows by unit");
      // the 766 index: inputs beside each score, the unmeasured ones said so with why
      await kit.rendered(page, () => page.getByRole("link", { name: "Chỉ số phục vụ (766)" }).click());
      await page.locator("table.i766").first().waitFor();
      const sync = page.locator("tr[data-ind=sync]");
      check((await sync.innerText()).includes("Chưa đo được: "), "sync not measured: " + await sync.innerText());
      const ot = await page.locator("tr[data-ind=on_time] td").allTextContents();
      check(ot.length === 6 && /^\d/.test(ot[0]) && /^\d/.test(ot[1]) && ot[3].startsWith("≥"), "numerator, denominator, threshold: " + ot.join(" | "));
      await axe(page, "console 766");
      await shot(page, "console-chi-so-766");
      // the seed reports' figures, as the API's summary
      await kit.rendered(page, () => page.getByRole("link", { name: "Số liệu tổng hợp" }).click());
      await page.getByTestId("summary").waitFor();
      const sum = await ld("GET", `/reports/summary?unit=000.00.00.H34&from=${td.slice(0, 4)}-01-01&to=${td}`);
      for (const k of ["received", "received_online", "resolved", "procedures_published", "procedures_online"])
        eq((await page.locator(`table[data-testid=summary] tr[data-k=${k}] td`).textContent()).trim(), num(sum[k]), "summary " + k);
      check((await page.locator("main").innerText()).includes("Chưa đo được trong hệ thống"), "what is not measured is said");
      await axe(page, "console summary");
      await shot(page, "console-tong-hop");
      // a receiver of a commune reports on the commune only
      const tn = await consoleAs("tn.nhatrang", "/console/bao-cao");
      await tn.locator("table[data-testid=bieu06]").waitFor();
      const opts = await tn.getByLabel("Đơn vị (cả các đơn vị trực thuộc)").locator("option").allTextContents();
      eq(opts.map((s) => s.trim()).join(","), "Ủy ban nhân dân phường Nha Trang", "a commune's own unit only");
    },

    async console_admin() {
      const page = await consoleAs("admin", "/console/quan-tri/nguoi-dung/moi");
      await page.getByLabel("Tên đăng nhập").waitFor();
      check((await page.locator("main h1").textContent()) === "Thêm người dùng", "the new user form");
      // a bad user name: the server's Vietnamese error next to the field, what was typed kept
      await page.getByLabel("Tên đăng nhập").fill("Nguyen Van A");
      await page.getByLabel("Họ và tên").fill("Nguyễn Văn An");
      await page.getByLabel("Mật khẩu").fill("mat-khau-rat-dai-1");
      await page.getByLabel("Vai trò 1", { exact: true }).selectOption("receiver");
      await page.getByLabel("Tại đơn vị (vai trò 1)").selectOption({ label: "\u00a0\u00a0Ủy ban nhân dân phường Cam Ranh" });
      await page.getByRole("button", { name: "Tạo người dùng" }).click();
      const err = page.locator("#" + (await page.getByLabel("Tên đăng nhập").getAttribute("id")) + "-err");
      await err.waitFor();
      check((await err.textContent()).startsWith("Tên đăng nhập gồm 3–64 ký tự"), "Vietnamese error: " + await err.textContent());
      eq(await page.getByLabel("Tên đăng nhập").getAttribute("aria-invalid"), "true", "marked invalid");
      eq(await page.getByLabel("Họ và tên").inputValue(), "Nguyễn Văn An", "the name typed stays");
      await axe(page, "admin user form with an error");
      await shot(page, "console-admin-user-error");
      await page.getByLabel("Tên đăng nhập").fill("tn.camranh2");
      await kit.rendered(page, () => page.getByRole("button", { name: "Tạo người dùng" }).click());
      check((await page.getByRole("status").first().textContent()).includes("Đã tạo người dùng tn.camranh2"), "created");
      const tr = page.locator('tr[data-user="tn.camranh2"]');
      check((await tr.innerText()).includes("Cán bộ một cửa — Ủy ban nhân dân phường Cam Ranh"), "the new user's role and unit: " + await tr.innerText());
      await axe(page, "admin users");
      await shot(page, "console-admin-users");
      // disable the user: it can no longer log in
      await kit.rendered(page, () => tr.getByRole("link").click());
      await page.getByLabel("Khóa tài khoản (không đăng nhập được)").check();
      await kit.rendered(page, () => page.getByRole("button", { name: "Lưu" }).click());
      const users = await (await staff("admin"))("GET", "/users?limit=500");
      check(users.items.find((u) => u.username === "tn.camranh2").disabled, "disabled");
      // the calendar of 2026: Tết
      await open(page, "/console/quan-tri/lich?nam=2026");
      await page.locator("table[data-testid=days-off]").waitFor();
      const off = await page.locator("table[data-testid=days-off]").innerText();
      for (const d of ["16/02/2026", "17/02/2026", "18/02/2026", "19/02/2026", "20/02/2026"]) check(off.includes(d), "Tết day off " + d);
      check(off.includes("Tết Nguyên đán") && off.includes("Thứ Hai"), "reasons and weekdays");
      await axe(page, "admin calendar");
      await shot(page, "console-admin-lich");
      // an edit the server refuses: its error next to the row's date, nothing saved
      await open(page, "/console/quan-tri/lich?nam=2027");
      await page.locator("details.cal-edit summary").click();
      const d1 = page.getByLabel("Ngày (ngày nghỉ 1)");
      await d1.fill("15/06/2026");
      await page.getByRole("button", { name: "Lưu lịch" }).click();
      const calErr = page.locator("#" + (await d1.getAttribute("id")) + "-err");
      await calErr.waitFor();
      check((await calErr.textContent()).length > 5, "the server's error on days_off[0].date: " + await calErr.textContent());
      eq(await d1.inputValue(), "15/06/2026", "the typed date stays");
      await axe(page, "admin calendar edit with an error");
      await shot(page, "console-admin-lich-error");
      // units and procedures
      await kit.rendered(page, () => page.getByRole("link", { name: "Đơn vị", exact: true }).click());
      check((await page.getByTestId("unit-tree").innerText()).includes("Ủy ban nhân dân phường Nha Trang"), "the unit tree");
      await axe(page, "admin units");
      // one unit: a bad hotline is refused next to its field, a good one is kept
      await kit.rendered(page, () => page.getByTestId("unit-tree").getByRole("link", { name: "Ủy ban nhân dân phường Cam Ranh" }).click());
      const hot = page.getByLabel("Số đường dây nóng");
      await hot.fill("123");
      await page.getByTestId("contact-form").getByRole("button", { name: "Lưu" }).click();
      const hotErr = page.locator("#" + (await hot.getAttribute("id")) + "-err");
      await hotErr.waitFor();
      check((await hotErr.textContent()).startsWith("Số đường dây nóng không hợp lệ"), "hotline error: " + await hotErr.textContent());
      await shot(page, "console-admin-don-vi");
      await hot.fill("0258 3822 000");
      await kit.rendered(page, () => page.getByTestId("contact-form").getByRole("button", { name: "Lưu" }).click());
      eq(await page.getByLabel("Số đường dây nóng").inputValue(), "02583822000", "the hotline as stored");
      await axe(page, "admin unit");
      await kit.rendered(page, () => page.getByRole("link", { name: "Đơn vị", exact: true }).first().click());
      await kit.rendered(page, () => page.getByRole("link", { name: "Thủ tục hành chính" }).click());
      await page.getByTestId("procedures").locator("tbody tr").first().waitFor();
      await axe(page, "admin procedures");
      // an import, dry run: the reconciliation report, one record updated and one refused
      await page.getByLabel("Tệp danh mục (JSON, CSV hoặc Excel .xlsx)").setInputFiles({ name: "danh-muc.csv", mimeType: "text/csv",
        buffer: Buffer.from("code,name,field_code,online_mode,direct_time\n1.001193,Thủ tục đăng ký khai sinh,ho-tich,full,1 ngày làm việc\n9.999999,Thủ tục thử,khong-co,full,5 ngày làm việc\n") });
      await page.getByRole("button", { name: "Nhập tệp" }).click();
      await page.locator(".import-out .notice").waitFor();
      const rep = await page.locator(".import-out").innerText();
      check(rep.includes("Chạy thử — chưa ghi gì.") && rep.includes("cập nhật 1") && rep.includes("bị từ chối 1") && rep.includes("Bị từ chối"), "import report: " + rep);
      await shot(page, "console-admin-thu-tuc");
      await kit.rendered(page, () => page.getByRole("link", { name: "Thủ tục đăng ký khai sinh", exact: true }).click());
      await page.getByTestId("versions").waitFor();
      check((await page.getByTestId("versions").innerText()).includes("đang áp dụng"), "the versions, the one in force marked");
      // a receiver has no administration
      const tn = await consoleAs("tn.nhatrang", "/console/quan-tri");
      check((await tn.locator("main").innerText()).includes("không có quyền"), "no right: " + await tn.locator("main").innerText());
    },
  };
};
