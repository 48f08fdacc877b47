// console.test.mjs: the staff console (/console/) in the browser: login and the lost session,
// counter intake by keyboard, work lists, the dossier page and its actions, commune isolation,
// and a dossier's full life from the portal through the console and back to the citizen.
export default (kit) => {
  const { base, passwords, shared, check, eq, newPage, rendered, open, shot, axe, staff } = kit;

  // login: fill the console's login form as name; ends on the page the console goes to
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
      await shot(page, "console-lists");
      await axe(page, "console work list");
      await page.close();
    },
  };
};
