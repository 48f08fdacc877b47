// app.js: the staff console's shell. One document (console.html) for every path under
// /console/; this module checks the session, draws the header and the navigation for the
// user's roles, and routes in the browser with the History API (no hash).
//
// Pages (paths under /console/):
//   dang-nhap?next=…   login; after it, back to `next` (where the user was)
//   (empty)            the default work list
//   tiep-nhan          counter intake (receivers)          intake.js
//   ho-so?queue=…      work lists with filters             lists.js
//   ho-so/{code}       one dossier and its actions         dossier.js
//   bao-cao[/…]        reports                             reports.js  (loaded on demand)
//   quan-tri[/…]       administration                      admin.js    (loaded on demand)
//
// The contract of a page module (reports.js, admin.js, and the pages above):
//   export async function render(main, ctx)
//   main  an empty <div class="page"> to fill; the shell puts it on screen in place of the
//         previous page when render's promise resolves (a page appears whole). Put the page's
//         title in one h1 with tabindex="-1" (the shell focuses it and names the document
//         after it). Errors thrown by render are shown as the page's error.
//   ctx = {
//     me,              the body of GET /api/v1/auth/me: {id, username, full_name,
//                      roles: [{role, label_vi, unit}], csrf_token, expires_at}
//     units,           Map unit id → {id, code, name, kind} of the user's own units, filled
//                      when unitsReady (a promise) resolves
//     navigate(path, {replace}),  go to another console path (pushState + render)
//     api(method, path, body, opts),  lib.js api() (X-CSRF-Token set); a 401 anywhere takes
//                      the user to the login screen and, after login, back to this address,
//                      so a page need not handle it (the promise then never settles)
//     params,          URLSearchParams of the address
//     path,            the address's path below the module's prefix ("" or "/don-vi/7")
//     hasRole(role),   1 when the user holds the role in any unit
//     drawn(),         call after redrawing in place without navigate() (the browser tests
//                      wait on <html data-drawn>, which the shell bumps after every render)
//   }
// A module that fails to load (not built yet) gets a polite "đang xây dựng" page.
// A page whose element has data-keep-typed (a long form) is kept when the session is lost and
// put back as it was after the same user logs in again, so nothing typed is lost.
// Shared pieces for pages: /assets/js/console/ui.js (fields with server errors next to them).
import { api, ApiError, getLang, h, setCsrfToken, setLang, t } from "/assets/js/lib.js";
import "/assets/js/console/texts.js";
import { busy, clearErrors, field, input, showError } from "/assets/js/console/ui.js";
import * as intake from "/assets/js/console/intake.js";
import * as lists from "/assets/js/console/lists.js";
import * as dossier from "/assets/js/console/dossier.js";

const main = document.getElementById("main");
const BASE = "/console";
const LOGIN = BASE + "/dang-nhap";

let me = null;         // the session's user, or null
const units = new Map(); // the user's units by id

// ---- roles: what each part of the console needs ----
const STAFF = ["receiver", "specialist", "dept_head", "leader", "clerk", "cashier", "unit_admin", "inspector", "auditor", "admin"];
const NAV = [
  { key: "c_nav_intake", href: BASE + "/tiep-nhan", roles: ["receiver"] },
  { key: "c_nav_lists", href: BASE + "/ho-so", roles: ["receiver", "specialist", "dept_head", "leader", "clerk", "cashier", "inspector", "auditor", "admin", "unit_admin"] },
  { key: "c_nav_reports", href: BASE + "/bao-cao", roles: ["leader", "dept_head", "receiver", "unit_admin", "admin", "inspector", "auditor"] },
  { key: "c_nav_admin", href: BASE + "/quan-tri", roles: ["admin", "unit_admin"] },
];

function hasRole(r) { return !!me && me.roles.some((g) => g.role === r); }
function hasAny(list) { return list.some(hasRole); }

// ---- the API, with the lost session handled once for every page ----
// SessionLost: the 401 as the page sees it (a form that shows it says the session ended)
class SessionLost extends ApiError {
  constructor() {
    super(401, { error: { code: "unauthenticated", message: "session lost", message_vi: "" } });
  }
  text() { return t("c_session_lost"); }
}
// a page that keeps what was typed (data-keep-typed) is put back as it was after the login
let stash = null;

async function capi(method, path, body, opts) {
  try {
    return await api(method, path, body, opts);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      lostSession();
      throw new SessionLost();
    }
    throw e;
  }
}

let lostNotice = false;
function lostSession() {
  if (location.pathname === LOGIN) return;
  const cur = main.firstElementChild;
  stash = cur && cur.hasAttribute("data-keep-typed") && me
    ? { url: location.pathname + location.search, page: cur, user: me.username } : null;
  me = null;
  setCsrfToken(null);
  lostNotice = true;
  drawShell();
  navigate(LOGIN + "?next=" + encodeURIComponent(location.pathname + location.search), { replace: true });
}

// ---- routing ----
const routes = [
  [/^\/console\/?$/, viewHome],
  [/^\/console\/dang-nhap$/, viewLogin, { public: true }],
  [/^\/console\/tiep-nhan$/, intake.render, { roles: ["receiver"] }],
  [/^\/console\/ho-so$/, lists.render, { roles: STAFF }],
  [/^\/console\/ho-so\/([^/]+)$/, dossier.render, { roles: STAFF }],
  [/^\/console\/bao-cao(\/.*)?$/, lazy("/assets/js/console/reports.js"), { roles: NAV[2].roles }],
  [/^\/console\/quan-tri(\/.*)?$/, lazy("/assets/js/console/admin.js"), { roles: NAV[3].roles }],
];

// lazy: a page whose module is loaded when first opened
function lazy(url) {
  return async (page, ctx) => {
    let mod;
    try {
      mod = await import(url);
    } catch (e) {
      console.warn("console: " + url + " not loaded:", e && e.message);
      page.append(h("h1", { tabindex: "-1" }, t(url.includes("reports") ? "c_nav_reports" : "c_nav_admin")),
        h("p", { class: "notice", role: "status" }, t("c_building")));
      return;
    }
    await mod.render(page, ctx);
  };
}

let renderSeq = 0;
let navigated = false;
let renderedUrl = null;

function drawn() {
  const el = document.documentElement;
  if (!el.dataset.firstDrawn) el.dataset.firstDrawn = String(Math.round(performance.now()));
  el.dataset.drawn = String(Number(el.dataset.drawn || 0) + 1);
}

export function navigate(url, opts = {}) {
  navigated = true;
  if (opts.replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  render();
}

async function render() {
  const seq = ++renderSeq;
  const path = location.pathname.replace(/\/+$/, "") || BASE;
  renderedUrl = location.pathname + location.search;
  const params = new URLSearchParams(location.search);
  for (const [re, view, opts = {}] of routes) {
    const m = re.exec(path === BASE ? BASE + "/" : path);
    if (!m) continue;
    if (!opts.public && !me) {
      navigate(LOGIN + "?next=" + encodeURIComponent(location.pathname + location.search), { replace: true });
      return;
    }
    markNav(path);
    const page = h("div", { class: "page" });
    const args = m.slice(1).map((x) => (x === undefined ? "" : decodeURIComponent(x)));
    const ctx = { me, units, unitsReady, navigate, api: capi, params, path: args[0] || "", hasRole, drawn, args };
    try {
      if (opts.roles && !hasAny(opts.roles)) {
        page.append(h("h1", { tabindex: "-1" }, t("c_not_allowed")));
      } else {
        await view(page, ctx, ...args);
      }
    } catch (e) {
      if (e instanceof SessionLost) return; // the login screen is on its way
      page.replaceChildren(h("h1", { tabindex: "-1" }, t("err_generic")),
        h("p", { class: "alert", role: "alert" }, e instanceof ApiError ? e.text() : t("err_generic")));
      if (!(e instanceof ApiError)) console.warn(e);
    }
    if (seq !== renderSeq) return; // a newer navigation won
    main.replaceChildren(page);
    const h1 = page.querySelector("h1");
    if (h1) {
      document.title = h1.textContent + " — " + t("c_brand");
      if (navigated) h1.focus();
    }
    drawn();
    return;
  }
  markNav(path);
  main.replaceChildren(h("h1", { tabindex: "-1" }, t("c_not_found")));
  drawn();
}

document.addEventListener("click", (ev) => {
  const a = ev.target.closest("a");
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const u = new URL(a.href, location.href);
  if (u.origin !== location.origin || !u.pathname.startsWith(BASE) || a.target || a.hasAttribute("download")) return;
  if (u.hash && u.pathname === location.pathname && u.search === location.search) return;
  ev.preventDefault();
  navigate(u.pathname + u.search);
});
// a fragment link (the skip link's #main) also fires popstate: the page stays as it is
window.addEventListener("popstate", () => {
  if (location.pathname + location.search === renderedUrl) return;
  navigated = true;
  render();
});

// ---- the shell: navigation for the user's roles, who is logged in ----
function markNav(path) {
  for (const a of document.querySelectorAll("#nav a")) {
    const p = a.getAttribute("href");
    if (path === p || path.startsWith(p + "/")) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

function roleLabel(g) {
  return getLang() === "vi" && g.label_vi ? g.label_vi : t("role_" + g.role);
}

function drawShell() {
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.dataset.i18nAria));
  const nav = document.getElementById("nav");
  nav.replaceChildren(...(me ? NAV.filter((n) => hasAny(n.roles)) : []).map((n) => h("li", null, h("a", { href: n.href }, t(n.key)))));
  const who = document.getElementById("who");
  who.hidden = !me;
  if (me) {
    const roles = me.roles.map((g) => {
      const u = units.get(g.unit);
      return roleLabel(g) + (u ? " — " + u.name : "");
    });
    document.getElementById("who-text").textContent = t("c_who", { name: me.full_name || me.username, roles: [...new Set(roles)].join("; ") });
  }
}

async function loadUnits() {
  units.clear();
  const ids = [...new Set(me.roles.map((g) => g.unit))];
  const got = await Promise.all(ids.map((id) => api("GET", "/units/" + id).catch(() => null)));
  for (const u of got) if (u) units.set(u.id, u);
}

// startSession: the user is known; the names of their units follow (the header is drawn
// again when they come; pages that need them may await ctx.unitsReady)
let unitsReady = Promise.resolve();
async function startSession(user, csrf) {
  me = user;
  setCsrfToken(csrf);
  unitsReady = loadUnits().then(drawShell);
  drawShell();
}

document.getElementById("logout").addEventListener("click", async () => {
  try { await api("POST", "/auth/logout"); } catch (_) { /* the session may be gone already */ }
  me = null;
  setCsrfToken(null);
  drawShell();
  navigate(LOGIN);
});

const langSel = document.getElementById("lang");
langSel.value = getLang();
langSel.addEventListener("change", () => {
  setLang(langSel.value);
  drawShell();
  render();
});

// ---- pages of the shell ----
function safeNext(s) {
  // only a console address, never another site's
  return s && s.startsWith(BASE) && !s.startsWith("//") && !s.startsWith(LOGIN) ? s : BASE + "/";
}

async function viewHome(page, ctx) {
  // the default page: the work list; a receiver's first tab is the unit's queue
  ctx.navigate(BASE + "/ho-so", { replace: true });
  page.append(h("h1", { tabindex: "-1" }, t("c_nav_lists")));
}

async function viewLogin(page, ctx) {
  const next = safeNext(ctx.params.get("next"));
  if (me) {
    navigate(next, { replace: true });
    return;
  }
  const user = input({ name: "username", autocomplete: "username", autocapitalize: "none", spellcheck: "false", maxlength: "64" });
  const pass = input({ type: "password", name: "password", autocomplete: "current-password", maxlength: "200" });
  const send = h("button", { type: "submit", class: "btn" }, t("c_login_button"));
  const form = h("form", { class: "login", novalidate: true, on: { submit: async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    busy(send, true);
    try {
      const r = await api("POST", "/auth/login", { username: user.value.trim(), password: pass.value });
      await startSession(r.user, r.csrf_token);
      await unitsReady;
      lostNotice = false;
      const kept = stash;
      stash = null;
      if (kept && kept.url === next && kept.user === r.user.username) {
        // the same user back on the same form: everything typed is still there
        history.replaceState(null, "", next);
        renderedUrl = next;
        renderSeq++;
        markNav(location.pathname);
        main.replaceChildren(kept.page);
        const box = h("p", { class: "notice", role: "status", tabindex: "-1" }, t("c_session_back"));
        kept.page.querySelectorAll(".form-alert").forEach((x) => x.remove());
        kept.page.prepend(box);
        box.focus();
        drawn();
        return;
      }
      navigate(next, { replace: true });
    } catch (e) {
      busy(send, false);
      showError(form, e);
    }
  } } },
  lostNotice ? h("p", { class: "notice", role: "status" }, t("c_session_lost")) : null,
  field(t("c_username"), user, { name: "username", required: true }),
  field(t("c_password"), pass, { name: "password", required: true }),
  h("div", { class: "actions" }, send));
  page.append(h("h1", { tabindex: "-1" }, t("c_login_title")), h("p", { class: "lead" }, t("c_login_intro")), form);
  // the user name is what one types first
  setTimeout(() => { if (document.activeElement === document.body || document.activeElement.tagName === "H1") user.focus(); }, 0);
}

// ---- start: is there a session already? ----
setLang(getLang());
try {
  const r = await api("GET", "/auth/me");
  await startSession(r, r.csrf_token);
} catch (_) {
  me = null;
}
drawShell();
render();
