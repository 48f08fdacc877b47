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
  };
};
