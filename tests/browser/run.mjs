// tests/browser/run.mjs --bin build/asan/motcua
// The web UI in a real browser: Debian's Chromium driven by playwright-core against the real
// motcua server on loopback, on a fresh SQLite file with the demo province and catalogue.
// Nothing is mocked. Screenshots go to tests/artifacts/browser-*.png; axe-core checks every
// main page. Ends with one line "N passed, N failed"; exit status 0 only when nothing failed.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const argv = process.argv.slice(2);
const bin = path.resolve(root, argv[argv.indexOf("--bin") + 1] || "build/asan/motcua");
const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : null;
const artifacts = path.join(root, "tests/artifacts");
mkdirSync(artifacts, { recursive: true });
const axeSource = readFileSync(path.join(here, "node_modules/axe-core/axe.min.js"), "utf8");

// ---- the server ----
const tmp = mkdtempSync(path.join(os.tmpdir(), "motcua-browser-"));
const db = "sqlite:" + path.join(tmp, "motcua.db");
const env = { ...process.env, MOTCUA_FAST_HASH: "1" };
const demo = spawnSync(bin, ["demo", "--no-dossiers", "--db", db], { env, encoding: "utf8" });
if (demo.status !== 0) {
  console.error("motcua demo failed:", demo.stderr);
  process.exit(1);
}
const passwords = {};
for (const line of demo.stdout.split("\n")) {
  const m = /^\s+([a-z.]+)\s+(\S+)\s+[a-z_]+\s/.exec(line);
  if (m) passwords[m[1]] = m[2];
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
let serverErr = "";
const server = spawn(bin, ["serve", "--listen", `127.0.0.1:${port}`, "--db", db, "--files", path.join(tmp, "files"), "--quiet"],
  { env, stdio: ["ignore", "ignore", "pipe"] });
server.stderr.on("data", (d) => { serverErr += d; });
let up = false;
for (let i = 0; i < 200 && !up; i++) {
  try { up = (await fetch(base + "/api/v1/health")).ok; } catch (_) { await new Promise((r) => setTimeout(r, 50)); }
}
if (!up) {
  console.error("server did not start:", serverErr);
  process.exit(1);
}

// ---- the browser ----
// playwright-core gives every launch a fresh temporary profile (its --user-data-dir)
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// ---- helpers ----
class Fail extends Error {}
function check(cond, msg) { if (!cond) throw new Fail(msg); }
function eq(a, b, msg) { if (a !== b) throw new Fail(`${msg}: got ${JSON.stringify(a)}, want ${JSON.stringify(b)}`); }

let problems = []; // console errors and CSP violations of the current test
let contexts = []; // closed after each test, passed or not
async function newPage(viewport = { width: 1366, height: 768 }) {
  const ctx = await browser.newContext({ viewport, locale: "vi-VN", timezoneId: "Asia/Ho_Chi_Minh" });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(8000);
  // an answer of 4xx that the page shows is expected; any other error is not (a CSP
  // violation, a script error, a missing asset)
  page.on("console", (m) => {
    if (m.type() === "error" && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()))
      problems.push("console: " + m.text());
  });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  return page;
}
// rendered: wait for the portal to draw the page it was asked for
async function rendered(page, action) {
  const before = await page.evaluate(() => Number(document.documentElement.dataset.drawn || 0));
  await action();
  await page.waitForFunction((n) => Number(document.documentElement.dataset.drawn || 0) > n, before, { timeout: 8000 });
}
async function open(page, url) {
  await page.goto(base + url);
  await page.waitForSelector("main h1");
}
async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `browser-${name}.png`), fullPage: true });
}
// axe: no serious or critical violation on the page as it stands
async function axe(page, name) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(async () => {
    const res = await window.axe.run(document, { resultTypes: ["violations"] });
    return res.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
  check(r.length === 0, `axe on ${name}: ${r.join("; ")}`);
}

async function staff(name) {
  const r = await fetch(base + "/api/v1/auth/login", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: name, password: passwords[name] }),
  });
  if (!r.ok) throw new Fail(`login ${name}: ${r.status} ${await r.text()}`);
  const body = await r.json();
  const cookie = r.headers.get("set-cookie").split(";")[0];
  return async (method, p, data) => {
    const res = await fetch(base + "/api/v1" + p, {
      method, headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRF-Token": body.csrf_token },
      body: data ? JSON.stringify(data) : undefined,
    });
    const text = await res.text();
    check(res.ok, `${method} ${p} as ${name}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const shared = {}; // what one test leaves for the next: the dossier submitted online

async function fillApplicant(page, idNumber) {
  await page.getByLabel("Nơi nhận hồ sơ").selectOption({ label: "Ủy ban nhân dân phường Nha Trang" });
  await page.getByLabel("Họ và tên").fill("Trần Thị Bích Ngọc");
  await page.getByLabel("Số giấy tờ").fill(idNumber);
  await page.getByLabel("Ngày sinh").fill("17/05/1990");
  await page.getByLabel("Số điện thoại").fill("0905123456");
  await page.getByLabel("Địa chỉ").fill("12 Trần Phú, phường Nha Trang");
}

// ---- the tests ----
const tests = {
  async assets_are_content_addressed() {
    const html = await fetch(base + "/");
    eq(html.status, 200, "/");
    eq(html.headers.get("content-type"), "text/html; charset=utf-8", "page type");
    eq(html.headers.get("cache-control"), "no-cache", "a page is revalidated");
    const text = await html.text();
    check(text.includes('lang="vi"'), "lang=vi");
    const m = /src="(\/assets\/js\/portal\.js\?v=([0-9a-f]{16}))"/.exec(text);
    check(m, "the script's URL carries its version");
    const js = await fetch(base + m[1]);
    eq(js.headers.get("cache-control"), "public, max-age=31536000, immutable", "versioned asset");
    eq(js.headers.get("content-type"), "text/javascript; charset=utf-8", "script type");
    const body = await js.text();
    check(/from "\/assets\/js\/lib\.js\?v=[0-9a-f]{16}"/.test(body), "imports are versioned too");
    const stale = await fetch(base + "/assets/js/portal.js?v=0000000000000000");
    eq(stale.headers.get("cache-control"), "no-cache", "a stale version is not immutable");
    const etag = js.headers.get("etag");
    const again = await fetch(base + m[1], { headers: { "If-None-Match": etag } });
    eq(again.status, 304, "If-None-Match");
    eq((await fetch(base + "/tra-cuu/X-1?token=Y")).status, 200, "the receipt's QR path is a page");
    eq((await fetch(base + "/assets/nothing.js")).status, 404, "unknown asset");
    eq((await fetch(base + "/", { method: "POST" })).status, 405, "POST to a page");
    check(html.headers.get("content-security-policy").includes("script-src 'self'"), "CSP unchanged");
  },

  async search_without_diacritics_and_open_procedure() {
    const page = await newPage();
    await open(page, "/");
    await axe(page, "search");
    const box = page.getByLabel("Tên hoặc mã thủ tục");
    await box.fill("khai sinh");
    await rendered(page, () => box.press("Enter"));
    const link = page.getByRole("link", { name: "Thủ tục đăng ký khai sinh", exact: true });
    await link.waitFor();
    check(page.url().endsWith("/?q=khai%20sinh"), "the query is in the address: " + page.url());
    await shot(page, "search");
    await axe(page, "search results");
    await rendered(page, () => link.click());
    eq(await page.locator("h1").textContent(), "Thủ tục đăng ký khai sinh", "procedure page");
    const table = await page.locator("table").innerText();
    check(table.includes("Trực tuyến") && table.includes("1 ngày làm việc") && table.includes("Miễn phí"), "time and fee per channel: " + table);
    check((await page.locator(".papers li").count()) === 4, "four papers");
    check((await page.getByText("Bộ phận một cửa của Ủy ban nhân dân cấp xã").count()) === 1, "where to go");
    await shot(page, "procedure");
    await axe(page, "procedure");
    await page.close();
  },

  async submit_online_with_a_file() {
    const page = await newPage();
    await open(page, "/thu-tuc/1.001193");
    await rendered(page, () => page.getByRole("link", { name: "Nộp hồ sơ trực tuyến" }).click());
    await fillApplicant(page, "056190001234");
    await page.getByLabel("Tờ khai đăng ký khai sinh theo mẫu").setInputFiles({ name: "to-khai.pdf", mimeType: "application/pdf", buffer: PDF });
    await shot(page, "submit-form");
    await axe(page, "submission form");
    await rendered(page, () => page.getByRole("button", { name: "Gửi hồ sơ" }).click());
    eq(await page.locator("h1").textContent(), "Hồ sơ đã được gửi", "confirmation");
    const code = await page.getByTestId("code").textContent();
    const token = await page.getByTestId("token").textContent();
    check(/^001\.01\.00\.H34-\d{6}-\d{4}$/.test(code), "dossier code " + code);
    check(/^[A-Z0-9]{12}$/.test(token), "lookup token " + token);
    check((await page.getByText("Đã đính kèm 1 tệp.").count()) === 1, "the file is attached");
    const tn = await staff("tn.nhatrang");
    const files = await tn("GET", `/dossiers/${code}/files`);
    const items = files.items || files;
    eq(items.length, 1, "the server holds the file");
    eq(items[0].name, "to-khai.pdf", "its name");
    const d = await tn("GET", `/dossiers/${code}`);
    eq(d.applicant.birth_date, "1990-05-17", "dd/mm/yyyy typed, the date stored");
    eq(d.applicant.name, "Trần Thị Bích Ngọc", "the name as typed (NFC)");
    await shot(page, "submit-done");
    await axe(page, "confirmation");
    Object.assign(shared, { code, token });
    // the confirmation's link is the lookup
    await rendered(page, () => page.getByRole("link", { name: "Xem tình trạng hồ sơ" }).click());
    eq(await page.getByTestId("state").textContent(), "Mới đăng ký", "state after submission");
    await page.close();
  },

  async lookup_by_token_and_by_id_number() {
    check(shared.code, "needs the dossier of submit_online_with_a_file");
    const page = await newPage();
    // the receipt's QR code opens /tra-cuu/{code}?token=...
    await open(page, `/tra-cuu/${shared.code}?token=${shared.token}`);
    await page.getByTestId("state").waitFor();
    eq(await page.getByTestId("state").textContent(), "Mới đăng ký", "state");
    eq(await page.locator(".timeline li").count(), 4, "four steps in the timeline");
    check((await page.getByText("Tính từ khi hồ sơ được tiếp nhận").count()) === 1, "no due date before acceptance");
    await shot(page, "lookup");
    await axe(page, "lookup");
    // accepted by the receiver: the due date appears, the first step is running
    const tn = await staff("tn.nhatrang");
    await tn("POST", `/dossiers/${shared.code}/actions`, { action: "accept" });
    await open(page, "/tra-cuu");
    await page.getByLabel("Mã hồ sơ").fill(shared.code);
    await page.getByLabel("Số giấy tờ của người nộp").fill("056190001234");
    await page.getByRole("button", { name: "Tra cứu" }).click();
    await page.getByTestId("state").waitFor();
    const state = await page.getByTestId("state").textContent();
    check(state !== "Mới đăng ký", "state after acceptance: " + state);
    const due = await page.locator(".facts dd strong").textContent();
    check(/^\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}$/.test(due), "due date as hh:mm dd/mm/yyyy: " + due);
    check(!page.url().includes("056190001234"), "an ID number never goes into the address");
    await page.close();
  },

  async lookup_with_wrong_token_says_not_found() {
    check(shared.code, "needs the dossier of submit_online_with_a_file");
    const page = await newPage();
    await open(page, `/tra-cuu/${shared.code}?token=WRONGTOKEN12`);
    const wrong = await page.getByRole("alert").textContent();
    await open(page, `/tra-cuu/000.00.00.H34-000101-0001?token=${shared.token}`);
    const missing = await page.getByRole("alert").textContent();
    eq(wrong, missing, "a wrong token and a missing code say the same");
    check(wrong.includes("Không tìm thấy hồ sơ"), "not found: " + wrong);
    eq(await page.getByTestId("state").count(), 0, "nothing of the dossier shown");
    await shot(page, "lookup-not-found");
    await page.close();
  },

  async bad_id_number_shows_the_server_error_and_keeps_the_text() {
    const page = await newPage();
    await open(page, "/nop-ho-so/1.001193");
    await fillApplicant(page, "123");
    await page.getByRole("button", { name: "Gửi hồ sơ" }).click();
    const err = page.locator("#" + (await page.getByLabel("Số giấy tờ").getAttribute("id")) + "-err");
    await err.waitFor();
    eq(await err.textContent(), "Số căn cước công dân phải gồm đúng 12 chữ số", "the server's message next to the field");
    eq(await page.getByLabel("Số giấy tờ").inputValue(), "123", "the typed ID number stays");
    eq(await page.getByLabel("Họ và tên").inputValue(), "Trần Thị Bích Ngọc", "the typed name stays");
    eq(await page.getByLabel("Số giấy tờ").getAttribute("aria-invalid"), "true", "marked invalid");
    eq(await page.evaluate(() => document.activeElement.dataset.field), "applicant.id_number", "focus on the field");
    await shot(page, "submit-error");
    await axe(page, "form with an error");
    await page.close();
  },

  async returned_dossier_is_rated() {
    check(shared.code, "needs the dossier of submit_online_with_a_file");
    const [ld, cv, tn] = [await staff("ld.nhatrang"), await staff("cv.nhatrang"), await staff("tn.nhatrang")];
    const c = shared.code;
    await ld("POST", `/dossiers/${c}/actions`, { action: "assign", assignee: "cv.nhatrang" });
    await cv("POST", `/dossiers/${c}/actions`, { action: "forward" });
    await ld("POST", `/dossiers/${c}/actions`, { action: "forward" });
    await tn("POST", `/dossiers/${c}/actions`, { action: "forward" });
    await ld("POST", `/dossiers/${c}/actions`, { action: "finish", result_number: "15/GKS" });
    await tn("POST", `/dossiers/${c}/actions`, { action: "return", recipient: "Trần Thị Bích Ngọc" });
    const page = await newPage();
    await open(page, `/tra-cuu/${c}?token=${shared.token}`);
    await page.getByTestId("state").waitFor();
    eq(await page.getByTestId("state").textContent(), "Đã trả kết quả", "returned");
    eq(await page.locator(".timeline .tl-done").count(), 4, "every step done");
    await page.getByLabel("Không hài lòng").check();
    await page.getByLabel("Trả kết quả trễ hẹn").check();
    await shot(page, "lookup-returned");
    await axe(page, "rating");
    await page.getByRole("button", { name: "Gửi đánh giá" }).click();
    await page.getByText("Cảm ơn bạn đã đánh giá.").waitFor();
    check(/phản ánh PA-\d+/.test(await page.locator(".rate").innerText()), "not satisfied opens a feedback item");
    // a second rating is refused by the server, and says so
    await open(page, `/tra-cuu/${c}?token=${shared.token}`);
    await page.getByRole("button", { name: "Gửi đánh giá" }).click();
    await page.locator(".rate .alert").waitFor();
    check((await page.locator(".rate .alert").textContent()).length > 5, "the second rating's error is shown");
    await page.close();
  },

  async supplement_asked_and_sent() {
    const r = await fetch(base + "/api/v1/public/dossiers", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ procedure: "1.001193", receiving_unit: "001.01.00.H34", case_id: 1,
        components: [{ component_id: 1, originals: 1, copies: 0 }],
        applicant: { name: "Phạm Minh Tuấn", id_type: "cccd", id_number: "056088004321", phone: "0912345678" } }),
    });
    eq(r.status, 201, "submitted");
    const { code, lookup_token: token } = await r.json();
    const [tn, ld, cv] = [await staff("tn.nhatrang"), await staff("ld.nhatrang"), await staff("cv.nhatrang")];
    await tn("POST", `/dossiers/${code}/actions`, { action: "accept" });
    await ld("POST", `/dossiers/${code}/actions`, { action: "assign", assignee: "cv.nhatrang" });
    await cv("POST", `/dossiers/${code}/actions`, { action: "request_supplement", items: ["Bản sao giấy chứng sinh có chứng thực"], period_days: 15 });
    const page = await newPage();
    await open(page, `/tra-cuu/${code}?token=${token}`);
    await page.getByTestId("state").waitFor();
    eq(await page.getByTestId("state").textContent(), "Yêu cầu bổ sung", "waiting for a supplement");
    const asked = await page.locator(".asked").innerText();
    check(asked.includes("Bản sao giấy chứng sinh có chứng thực") && /Hạn bổ sung: \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}/.test(asked), "what is asked and by when: " + asked);
    await page.getByLabel("Giấy tờ bổ sung").setInputFiles({ name: "giay-chung-sinh.pdf", mimeType: "application/pdf", buffer: PDF });
    await page.getByLabel("Ghi chú cho cán bộ (nếu có)").fill("Đã gửi bản sao có chứng thực.");
    await shot(page, "lookup-supplement");
    await axe(page, "supplement");
    await rendered(page, () => page.getByRole("button", { name: "Gửi bổ sung" }).click());
    await page.getByTestId("state").waitFor();
    eq(await page.getByTestId("state").textContent(), "Đang xử lý", "processing again after the supplement");
    const files = await tn("GET", `/dossiers/${code}/files`);
    check((files.items || files).some((f) => f.name === "giay-chung-sinh.pdf" && f.kind === "supplement"), "the supplement's file is held");
  },

  async feedback_is_sent() {
    const page = await newPage();
    await open(page, "/gop-y");
    await axe(page, "feedback");
    await page.getByRole("button", { name: "Gửi phản ánh" }).last().click();
    await page.locator(".field-err:not([hidden])").first().waitFor();
    const firstErr = await page.locator(".field-err:not([hidden])").first().textContent();
    check(firstErr.length > 3, "an empty form gets the server's error next to a field");
    await page.getByLabel("Nội dung phản ánh").fill("Đường vào bộ phận một cửa không có biển chỉ dẫn.");
    eq(await page.locator(".field-err:not([hidden])").count(), 0, "the error goes once the text is changed");
    await page.getByLabel("Họ và tên").fill("Lê Văn Hùng");
    await page.getByLabel("Cơ quan nhận phản ánh").selectOption({ label: "Ủy ban nhân dân phường Nha Trang" });
    await shot(page, "feedback");
    await rendered(page, () => page.getByRole("button", { name: "Gửi phản ánh" }).last().click());
    eq(await page.locator("h1").textContent(), "Phản ánh đã được gửi", "sent");
    check(/^PA-\d+$/.test(await page.locator(".receipt strong").first().textContent()), "feedback code");
    await page.close();
  },

  // first render of each page in a fresh context (empty HTTP cache) of a warm browser; the
  // bound is loose (the test build is ASan's, on a shared machine), the figure is printed
  async first_render_times() {
    const urls = ["/", "/thu-tuc/1.001193", "/nop-ho-so/1.001193", "/tra-cuu", "/gop-y"];
    const out = [];
    for (const u of urls) {
      const page = await newPage();
      await open(page, u);
      await page.waitForFunction(() => document.documentElement.dataset.firstDrawn);
      const [fcp, full] = await page.evaluate(() => {
        const p = performance.getEntriesByName("first-contentful-paint")[0];
        return [p ? p.startTime : performance.now(), Number(document.documentElement.dataset.firstDrawn)];
      });
      out.push(`${u} ${fcp.toFixed(0)}/${full} ms`);
      check(full < 2000, `first render of ${u} took ${full} ms`);
      await page.context().close();
    }
    console.log("  first paint / page drawn with its data: " + out.join(", "));
  },

  async phone_width_and_english() {
    const page = await newPage({ width: 360, height: 740 });
    await open(page, "/?q=chung%20thuc");
    await page.locator(".results li").first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    check(overflow <= 360, "no sideways scrolling at 360 px: " + overflow);
    await shot(page, "phone-search");
    await open(page, "/thu-tuc/1.001193");
    check(await page.evaluate(() => document.documentElement.scrollWidth) <= 360, "procedure at 360 px");
    await shot(page, "phone-procedure");
    await rendered(page, () => page.getByLabel("Ngôn ngữ").selectOption("en"));
    eq(await page.evaluate(() => document.documentElement.lang), "en", "lang=en");
    check((await page.getByRole("link", { name: "Track a dossier" }).count()) === 1, "English navigation");
    check((await page.getByRole("heading", { name: "Time and fees" }).count()) === 1, "English page");
    await shot(page, "phone-english");
    await page.close();
  },

  async keyboard_only_search() {
    const page = await newPage();
    await open(page, "/");
    await page.keyboard.press("Tab");
    eq(await page.evaluate(() => document.activeElement.className), "skip", "first Tab: the skip link");
    await page.keyboard.press("Enter");
    // the skip link moves the focus to main and the page stays as it is (a fragment link
    // fires popstate: a re-render there once took the focus away again)
    await page.waitForTimeout(400);
    eq(await page.evaluate(() => document.activeElement.id), "main", "the skip link focuses main");
    // from main, Tab reaches the search box
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(() => document.activeElement.name === "q")) break;
    }
    eq(await page.evaluate(() => document.activeElement.name), "q", "the search box by keyboard");
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    eq(ring, "solid", "visible focus");
    await page.keyboard.type("dang ky ket hon");
    await rendered(page, () => page.keyboard.press("Enter"));
    await page.locator(".results a").first().focus();
    await rendered(page, () => page.keyboard.press("Enter"));
    check((await page.locator("h1").textContent()).includes("kết hôn"), "opened by keyboard: " + await page.locator("h1").textContent());
    await page.close();
  },
};

// ---- more tests: every tests/browser/*.test.mjs exports default (kit) => ({ name: fn })
const kit = { base, passwords, shared, PDF, Fail, check, eq, newPage, rendered, open, shot, axe, staff, fillApplicant };
for (const f of readdirSync(here).filter((f) => f.endsWith(".test.mjs")).sort()) {
  const mod = await import(path.join(here, f));
  for (const [name, fn] of Object.entries(mod.default(kit))) {
    if (tests[name]) throw new Error(`${f}: test ${name} is already defined`);
    tests[name] = fn;
  }
}

// ---- run ----
let passed = 0, failed = 0;
const t0 = Date.now();
for (const [name, fn] of Object.entries(tests)) {
  if (only && name !== only) continue;
  problems = [];
  contexts = [];
  const start = Date.now();
  try {
    await fn();
    check(problems.length === 0, "browser errors: " + problems.join("; "));
    passed++;
    console.log(`ok   ${name} (${Date.now() - start} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e instanceof Fail ? e.message : e.stack}`);
  }
  for (const c of contexts) await c.close().catch(() => {});
}
await browser.close();
server.kill("SIGTERM");
const rc = await new Promise((r) => server.once("exit", (code, sig) => r(code ?? sig)));
if (rc !== 0) {
  failed++;
  console.log(`FAIL server exit status ${rc}: ${serverErr.slice(-3000)}`);
}
rmSync(tmp, { recursive: true, force: true });
console.log(`browser tests took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
