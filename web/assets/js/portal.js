// portal.js: the citizen portal. One document for every page (the server sends index.html
// for /, /thu-tuc/{code}, /nop-ho-so/{code}, /tra-cuu[/{code}], /gop-y and /thong-ke/); this module
// routes in the browser with the History API and draws each page from the JSON API.
import { addDict, api, ApiError, fmtDateTime, fmtMoney, fmtNumber, getLang, h, setLang, t } from "/assets/js/lib.js";

addDict({ nav_stats: { vi: "Thống kê", en: "Statistics" } });

const main = document.getElementById("main");
const PAGE = 20;

// ---- routing ----
const routes = [
  [/^\/$/, viewSearch],
  [/^\/thu-tuc\/([^/]+)$/, viewProcedure],
  [/^\/nop-ho-so\/([^/]+)$/, viewSubmit],
  [/^\/tra-cuu(?:\/([^/]+))?$/, viewLookup],
  [/^\/gop-y$/, viewFeedback],
  [/^\/thong-ke\/?$/, viewStats],
];

// /thong-ke/ : the public statistics (stats.js, loaded when first asked for)
async function viewStats(page, params) {
  const mod = await import("/assets/js/stats.js");
  await mod.render(page, params, { go });
}

let renderSeq = 0;

// drawn: a page is on screen (counted on <html data-drawn>, which the browser tests wait on;
// data-first-drawn: ms from navigation to the first page drawn with its data)
function drawn() {
  const el = document.documentElement;
  if (!el.dataset.firstDrawn) el.dataset.firstDrawn = String(Math.round(performance.now()));
  el.dataset.drawn = String(Number(el.dataset.drawn || 0) + 1);
}

async function render() {
  const seq = ++renderSeq;
  const path = location.pathname;
  renderedUrl = path + location.search;
  const params = new URLSearchParams(location.search);
  markNav(path);
  for (const [re, view] of routes) {
    const m = re.exec(path);
    if (!m) continue;
    const args = m.slice(1).map((x) => (x === undefined ? undefined : decodeURIComponent(x)));
    const page = h("div", { class: "page" });
    try {
      await view(page, params, ...args);
    } catch (e) {
      page.replaceChildren(h("h1", { tabindex: "-1" }, t("err_generic")), errorBox(e));
    }
    if (seq !== renderSeq) return; // a newer navigation won
    main.replaceChildren(page);
    const h1 = page.querySelector("h1");
    if (h1) {
      document.title = h1.textContent + " — " + t("brand");
      if (navigated) h1.focus();
    }
    drawn();
    return;
  }
  main.replaceChildren(h("h1", { tabindex: "-1" }, t("not_found_page")));
}

let navigated = false;
let renderedUrl = null; // what render() last drew
export function go(url, replace) {
  navigated = true;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  render();
}

document.addEventListener("click", (ev) => {
  const a = ev.target.closest("a");
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
  const u = new URL(a.href, location.href);
  if (u.origin !== location.origin || u.pathname.startsWith("/api/") || a.target || a.hasAttribute("download")) return;
  if (u.hash && u.pathname === location.pathname && u.search === location.search) return;
  ev.preventDefault();
  go(u.pathname + u.search);
});
// a fragment link (the skip link's #main) also fires popstate: the page stays as it is,
// or its re-render would take the focus the link just moved
window.addEventListener("popstate", () => {
  if (location.pathname + location.search === renderedUrl) return;
  navigated = true;
  render();
});

function markNav(path) {
  for (const a of document.querySelectorAll(".nav a")) {
    const p = a.getAttribute("href");
    const cur = p === "/" ? path === "/" || path.startsWith("/thu-tuc/") || path.startsWith("/nop-ho-so/") : path.startsWith(p);
    if (cur) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

// ---- the static texts of the shell ----
function translateShell() {
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.dataset.i18nAria));
  document.title = t("brand");
}

const langSel = document.getElementById("lang");
langSel.value = getLang();
langSel.addEventListener("change", () => {
  setLang(langSel.value);
  translateShell();
  render();
});

// ---- pieces ----
function errorBox(e) {
  const msg = e instanceof ApiError ? e.text() : t("err_generic");
  return h("p", { class: "alert", role: "alert" }, msg);
}

function dl(rows) {
  return h("dl", { class: "facts" }, rows.filter((r) => r[1]).map(([k, v]) => [h("dt", null, k), h("dd", null, v)]));
}

function onlineLabel(mode) {
  return t(mode === "full" ? "online_full" : mode === "partial" ? "online_partial" : "online_none");
}

let uid = 0;
// field: a labelled control; name is the API's field path, so the server's error finds it.
function field(label, control, opts = {}) {
  const id = control.id || "f" + ++uid;
  control.id = id;
  const errId = id + "-err";
  const hintId = opts.hint ? id + "-hint" : null;
  if (opts.name) control.dataset.field = opts.name;
  if (opts.required) control.required = true;
  control.setAttribute("aria-describedby", [hintId, errId].filter(Boolean).join(" "));
  // an error is about what was typed: it goes once the citizen changes it
  const clear = () => {
    const p = document.getElementById(errId);
    if (p && !p.hidden) { p.hidden = true; p.textContent = ""; control.removeAttribute("aria-invalid"); }
  };
  control.addEventListener("input", clear);
  control.addEventListener("change", clear);
  return h("div", { class: "field" },
    h("label", { for: id }, label, opts.required ? h("span", { class: "req" }, " " + t("required_mark")) : null),
    opts.hint ? h("p", { class: "hint", id: hintId }, opts.hint) : null,
    control,
    h("p", { class: "field-err", id: errId, hidden: true }));
}

function clearErrors(form) {
  for (const p of form.querySelectorAll(".field-err")) { p.hidden = true; p.textContent = ""; }
  for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
  const top = form.querySelector(".form-alert");
  if (top) top.remove();
}

// showError: the server's message next to its field (what was typed stays), or on top.
function showError(form, e) {
  clearErrors(form);
  const ctl = e instanceof ApiError && e.field ? form.querySelector(`[data-field="${CSS.escape(e.field)}"]`) : null;
  if (ctl) {
    const p = document.getElementById(ctl.id + "-err");
    p.textContent = e.text();
    p.hidden = false;
    ctl.setAttribute("aria-invalid", "true");
    form.prepend(h("p", { class: "alert form-alert", role: "alert" }, t("err_fix")));
    ctl.focus();
  } else {
    const box = errorBox(e);
    box.classList.add("form-alert");
    form.prepend(box);
    box.tabIndex = -1;
    box.focus();
  }
}

function input(attrs) { return h("input", Object.assign({ type: "text" }, attrs)); }

function busy(btn, on, text) {
  btn.disabled = on;
  if (on) { btn.dataset.label = btn.textContent; btn.textContent = text; }
  else if (btn.dataset.label) btn.textContent = btn.dataset.label;
}

// ---- / : search the catalogue ----
async function viewSearch(page, params) {
  const q = (params.get("q") || "").trim();
  const box = input({ type: "search", name: "q", value: q, autocomplete: "off", enterkeyhint: "search" });
  const form = h("form", { class: "search", role: "search", on: { submit: (ev) => {
    ev.preventDefault();
    const v = box.value.trim();
    go(v ? "/?q=" + encodeURIComponent(v) : "/");
  } } },
  field(t("search_label"), box, { hint: t("search_hint") }),
  h("button", { type: "submit", class: "btn" }, t("search_button")));
  page.append(h("h1", { tabindex: "-1" }, t("search_title")), form,
    h("p", { class: "aside" }, h("a", { href: "/tra-cuu" }, t("quick_lookup"))));

  const list = h("ul", { class: "results" });
  const status = h("p", { class: "count", role: "status" });
  const more = h("button", { type: "button", class: "btn btn-quiet", hidden: true }, t("search_more"));
  page.append(h("section", { "aria-labelledby": "res-h" },
    h("h2", { id: "res-h" }, q ? t("search_results", { n: "…" }) : t("catalogue")), status, list, more));
  let cursor = null, shown = 0;
  async function load() {
    const qs = new URLSearchParams({ limit: String(PAGE) });
    if (q) qs.set("q", q);
    if (cursor) qs.set("cursor", cursor);
    const r = await api("GET", "/procedures?" + qs);
    for (const p of r.items) {
      list.append(h("li", null,
        h("a", { href: "/thu-tuc/" + encodeURIComponent(p.code), class: "res-name" }, p.name),
        h("span", { class: "res-meta" }, t("code") + ": " + p.code + " · " + onlineLabel(p.online_mode))));
    }
    shown += r.items.length;
    cursor = r.next_cursor;
    more.hidden = !cursor;
    const h2 = page.querySelector("#res-h");
    if (q) h2.textContent = t("search_results", { n: fmtNumber(shown) + (cursor ? "+" : "") });
    status.textContent = shown === 0 && q ? t("search_none", { q }) : "";
  }
  more.addEventListener("click", () => load().catch((e) => status.replaceChildren(errorBox(e))));
  await load();
}

// ---- /thu-tuc/{code} : one procedure ----
const CHANNELS = ["direct", "online", "postal"];

async function viewProcedure(page, params, code) {
  const p = await api("GET", "/procedures/" + encodeURIComponent(code));
  const agency = p.executing_agency || p.competent_agency || "";
  page.append(
    h("p", { class: "crumbs" }, h("a", { href: "/" }, t("nav_search"))),
    h("h1", { tabindex: "-1" }, p.name),
    dl([
      [t("code"), p.code],
      [t("field"), p.field && p.field.name],
      [t("proc_agency"), p.executing_agency],
      [t("proc_competent"), p.competent_agency !== p.executing_agency ? p.competent_agency : null],
      [t("proc_subjects"), p.subjects],
      [t("proc_result"), p.result],
    ]));

  const online = p.online_mode === "full" || p.online_mode === "partial";
  page.append(h("div", { class: "cta" },
    online
      ? h("a", { class: "btn", href: "/nop-ho-so/" + encodeURIComponent(p.code) }, t("proc_online"))
      : h("p", null, t("proc_online_none")),
    h("span", { class: "badge" }, onlineLabel(p.online_mode))));

  const rows = CHANNELS.filter((c) => p.channels && p.channels[c]).map((c) => {
    const ch = p.channels[c];
    const fee = ch.fee ? fmtMoney(ch.fee) : t("fee_free");
    return h("tr", null, h("th", { scope: "row" }, t("ch_" + c)), h("td", null, ch.time_text || ""),
      h("td", null, fee, ch.fee_text ? h("span", { class: "sub" }, ch.fee_text) : null));
  });
  page.append(h("section", { "aria-labelledby": "ch-h" }, h("h2", { id: "ch-h" }, t("proc_channels")),
    h("div", { class: "table-wrap" }, h("table", null,
      h("thead", null, h("tr", null, h("th", { scope: "col" }, t("ch_channel")), h("th", { scope: "col" }, t("ch_time")), h("th", { scope: "col" }, t("ch_fee")))),
      h("tbody", null, rows)))));

  page.append(h("section", { "aria-labelledby": "where-h" }, h("h2", { id: "where-h" }, t("proc_where")),
    h("p", null, p.cutoff ? t("proc_where_text", { agency, cutoff: p.cutoff }) : t("proc_where_plain", { agency }))));

  const papers = h("section", { "aria-labelledby": "pap-h" }, h("h2", { id: "pap-h" }, t("proc_papers")));
  for (const c of p.cases || []) {
    if ((p.cases || []).length > 1) papers.append(h("h3", null, c.name));
    papers.append(h("ol", { class: "papers" }, (c.components || []).map((k) => h("li", null,
      h("span", null, k.name),
      h("span", { class: "sub" }, [k.originals ? t("comp_originals", { n: k.originals }) : null, k.copies ? t("comp_copies", { n: k.copies }) : null,
        k.required ? null : t("comp_optional")].filter(Boolean).join(" · "))))));
  }
  page.append(papers);
  if (p.steps_text) page.append(h("section", null, h("h2", null, t("proc_steps")), h("p", null, p.steps_text)));
  if (p.conditions) page.append(h("section", null, h("h2", null, t("proc_conditions")), h("p", null, p.conditions)));
  if (p.legal_basis) page.append(h("section", null, h("h2", null, t("proc_legal")), h("p", null, p.legal_basis)));
}

// ---- /nop-ho-so/{code} : online submission ----
function unitFits(u, levels) {
  if (levels.includes("commune")) return u.kind === "commune";
  if (levels.includes("district")) return u.kind === "district" || u.kind === "service_centre";
  return u.kind === "service_centre" || u.kind === "department";
}

async function viewSubmit(page, params, code) {
  const [p, units] = await Promise.all([
    api("GET", "/procedures/" + encodeURIComponent(code)),
    api("GET", "/public/units"),
  ]);
  page.append(h("p", { class: "crumbs" }, h("a", { href: "/thu-tuc/" + encodeURIComponent(p.code) }, p.name)),
    h("h1", { tabindex: "-1" }, t("submit_title")), h("p", { class: "lead" }, p.name));
  if (p.online_mode !== "full" && p.online_mode !== "partial") {
    page.append(h("p", { class: "alert" }, t("proc_online_none")));
    return;
  }
  const cases = p.cases || [];
  const caseSel = h("select", { name: "case_id" }, cases.map((c) => h("option", { value: String(c.id) }, c.name)));
  const fits = (units.items || []).filter((u) => unitFits(u, p.levels || []));
  const unitSel = h("select", { name: "receiving_unit" },
    h("option", { value: "" }, t("submit_unit_pick")),
    (fits.length ? fits : units.items || []).map((u) => h("option", { value: u.code }, u.name)));
  const f = {
    name: input({ name: "name", autocomplete: "name", maxlength: "200" }),
    id_type: h("select", { name: "id_type" }, ["cccd", "cmnd", "passport"].map((k) => h("option", { value: k }, t("id_" + k)))),
    id_number: input({ name: "id_number", inputmode: "numeric", autocomplete: "off", maxlength: "20" }),
    birth_date: input({ name: "birth_date", autocomplete: "bday", inputmode: "numeric", placeholder: "dd/mm/yyyy", maxlength: "10" }),
    address: input({ name: "address", autocomplete: "street-address", maxlength: "300" }),
    phone: input({ type: "tel", name: "phone", autocomplete: "tel", maxlength: "20" }),
    email: input({ type: "email", name: "email", autocomplete: "email", maxlength: "254" }),
  };
  const filesBox = h("div", { class: "files" });
  function drawFiles() {
    const c = cases.find((x) => String(x.id) === caseSel.value) || cases[0];
    filesBox.replaceChildren();
    (c ? c.components : []).forEach((k, i) => {
      const fi = h("input", { type: "file", accept: "application/pdf,image/jpeg,image/png", "data-component": String(k.id) });
      filesBox.append(field(k.name, fi, { name: `components[${i}]`, required: false, hint: k.required ? t("required_mark") : t("comp_optional") }));
    });
  }
  caseSel.addEventListener("change", drawFiles);
  drawFiles();

  const send = h("button", { type: "submit", class: "btn" }, t("submit_send"));
  const form = h("form", { novalidate: true, on: { submit: onSubmit } },
    cases.length > 1 ? field(t("submit_case"), caseSel, { name: "case_id", required: true }) : null,
    field(t("submit_unit"), unitSel, { name: "receiving_unit", required: true }),
    h("fieldset", null, h("legend", null, t("submit_applicant")),
      field(t("a_name"), f.name, { name: "applicant.name", required: true }),
      h("div", { class: "row" },
        field(t("a_id_type"), f.id_type, { name: "applicant.id_type" }),
        field(t("a_id_number"), f.id_number, { name: "applicant.id_number", required: true })),
      h("div", { class: "row" },
        field(t("a_birth"), f.birth_date, { name: "applicant.birth_date", hint: t("date_hint") }),
        field(t("a_phone"), f.phone, { name: "applicant.phone", required: true })),
      field(t("a_address"), f.address, { name: "applicant.address" }),
      field(t("a_email"), f.email, { name: "applicant.email" })),
    h("fieldset", null, h("legend", null, t("submit_files")), h("p", { class: "hint" }, t("submit_files_hint")), filesBox),
    h("div", { class: "actions" }, send));
  page.append(form);

  async function onSubmit(ev) {
    ev.preventDefault();
    clearErrors(form);
    const c = cases.find((x) => String(x.id) === caseSel.value) || cases[0];
    const applicant = { kind: "person", name: f.name.value.trim(), id_type: f.id_type.value, id_number: f.id_number.value.trim() };
    for (const k of ["address", "phone", "email"]) if (f[k].value.trim()) applicant[k] = f[k].value.trim();
    const bd = f.birth_date.value.trim();
    if (bd) {
      // typed as dd/mm/yyyy, sent as the API's YYYY-MM-DD; the server judges the date itself
      const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(bd);
      if (!m) {
        showError(form, new ApiError(400, { error: { field: "applicant.birth_date", message_vi: t("date_bad"), message: t("date_bad") } }));
        return;
      }
      applicant.birth_date = `${m[3]}-${m[2].padStart(2, "0")}-${m[1].padStart(2, "0")}`;
    }
    const inputs = [...filesBox.querySelectorAll("input[type=file]")];
    const comps = [], uploads = [];
    (c ? c.components : []).forEach((k, i) => {
      const file = inputs[i] && inputs[i].files[0];
      if (k.required || file) {
        comps.push({ component_id: k.id, originals: k.originals, copies: k.copies });
        if (file) uploads.push({ index: comps.length, file, name: k.name });
      }
    });
    const body = { procedure: p.code, applicant, components: comps };
    if (c) body.case_id = c.id;
    if (unitSel.value) body.receiving_unit = unitSel.value;
    busy(send, true, t("submit_sending"));
    let r;
    try {
      r = await api("POST", "/public/dossiers", body);
    } catch (e) {
      busy(send, false);
      // the API names components by their place in the list it was sent
      if (e instanceof ApiError && /^components\[(\d+)\]/.test(e.field)) {
        const sent = Number(/^components\[(\d+)\]/.exec(e.field)[1]);
        const k = comps[sent] && (c.components || []).findIndex((x) => x.id === comps[sent].component_id);
        if (k >= 0) e.field = `components[${k}]`;
      }
      showError(form, e);
      return;
    }
    const failures = [];
    let attached = 0;
    for (const u of uploads) {
      send.textContent = t("submit_uploading", { name: u.file.name });
      try {
        const qs = new URLSearchParams({ token: r.lookup_token, kind: "component", component: String(u.index), name: u.file.name.slice(0, 255) });
        await api("POST", `/public/dossiers/${encodeURIComponent(r.code)}/files?${qs}`, u.file, { type: u.file.type || "application/octet-stream" });
        attached++;
      } catch (e) {
        failures.push(t("done_file_failed", { name: u.file.name, msg: e instanceof ApiError ? e.text() : t("err_generic") }));
      }
    }
    const follow = "/tra-cuu/" + encodeURIComponent(r.code) + "?token=" + encodeURIComponent(r.lookup_token);
    const done = h("div", { class: "page" },
      h("h1", { tabindex: "-1" }, t("done_title")),
      h("div", { class: "receipt", role: "status" },
        dl([[t("done_code"), h("strong", { class: "mono", "data-testid": "code" }, r.code)],
          [t("done_token"), h("strong", { class: "mono", "data-testid": "token" }, r.lookup_token)],
          [t("st_procedure"), p.name],
          [t("st_state"), r.state === "submitted" ? t("state_submitted") : r.state]])),
      h("p", null, t("done_keep")),
      attached ? h("p", null, t("done_files", { n: attached })) : null,
      failures.map((m) => h("p", { class: "alert", role: "alert" }, m)),
      h("p", null, h("a", { class: "btn", href: follow }, t("done_follow"))));
    main.replaceChildren(done);
    document.title = t("done_title") + " — " + t("brand");
    done.querySelector("h1").focus();
    drawn();
  }
}

// ---- /tra-cuu[/{code}] : the dossier's progress ----
async function viewLookup(page, params, code) {
  const token = params.get("token") || "";
  const codeIn = input({ name: "code", value: code || "", autocomplete: "off", spellcheck: "false" });
  const tokenIn = input({ name: "token", value: token, autocomplete: "off", spellcheck: "false", autocapitalize: "characters" });
  const idIn = input({ name: "id_number", inputmode: "numeric", autocomplete: "off" });
  const out = h("div", { class: "lookup-out" });
  const form = h("form", { class: "lookup", novalidate: true, on: { submit: async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const c = codeIn.value.trim(), tk = tokenIn.value.trim(), id = idIn.value.trim();
    if (!c) return showError(form, Object.assign(new ApiError(400, { error: { field: "code", message_vi: t("lookup_need_code"), message: t("lookup_need_code") } })));
    if (!tk && !id) return showError(form, new ApiError(400, { error: { field: "token", message_vi: t("lookup_need_one"), message: t("lookup_need_one") } }));
    if (tk) {
      // the token may sit in the address (it is what the receipt's QR code holds); an ID number never does
      go("/tra-cuu/" + encodeURIComponent(c) + "?token=" + encodeURIComponent(tk));
      return;
    }
    await show(c, "id_number=" + encodeURIComponent(id), null);
  } } },
  field(t("lookup_code"), codeIn, { name: "code", required: true, hint: t("lookup_code_hint") }),
  h("p", { class: "hint" }, t("lookup_verify")),
  h("div", { class: "row" },
    field(t("lookup_token"), tokenIn, { name: "token" }),
    field(t("lookup_id"), idIn, { name: "id_number" })),
  h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, t("lookup_button"))));
  page.append(h("h1", { tabindex: "-1" }, t("lookup_title")), form, out);

  async function show(c, q, tk) {
    out.replaceChildren(h("p", { role: "status" }, t("loading")));
    try {
      const d = await api("GET", "/lookup/" + encodeURIComponent(c) + "?" + q);
      out.replaceChildren(dossierView(d, tk));
    } catch (e) {
      out.replaceChildren();
      showError(form, e instanceof ApiError && e.status === 404 ? Object.assign(e, { field: "" }) : e);
    }
  }
  if (code && token) await show(code, "token=" + encodeURIComponent(token), token);
}

function dossierView(d, token) {
  const box = h("section", { class: "dossier", "aria-labelledby": "dos-h" });
  const stateVi = getLang() === "vi" ? d.state_vi : d.state.replace(/_/g, " ");
  box.append(h("h2", { id: "dos-h" }, d.code),
    h("p", null, h("span", { class: "state state-" + d.state, "data-testid": "state" }, stateVi)),
    dl([
      [t("st_procedure"), d.procedure && d.procedure.name],
      [t("st_unit"), d.receiving_unit],
      [t("st_submitted"), fmtDateTime(d.submitted_at)],
      [t("st_received"), fmtDateTime(d.received_at)],
      [t("st_due"), d.due_at ? h("strong", null, fmtDateTime(d.due_at)) : t("st_due_none")],
      [t("st_finished"), fmtDateTime(d.finished_at)],
      [t("st_returned"), fmtDateTime(d.returned_at)],
      [t("st_refusal"), d.refusal_reason],
      [t("st_postal"), d.postal_tracking],
    ]));
  const a = d.asked;
  let asked;
  if (a && a.kind === "supplement") {
    asked = [h("p", null, t("asked_supplement", { items: a.items || "" })), a.deadline ? h("p", null, t("asked_deadline", { d: fmtDateTime(a.deadline) })) : null];
  } else if (a && a.kind === "payment") {
    asked = h("p", null, t("asked_payment", { amount: fmtMoney(a.amount || 0) }));
  } else if (a && a.kind === "collect_result") {
    asked = h("p", null, t("asked_collect", { where: a.where || "" }));
  } else {
    asked = h("p", null, t("asked_none"));
  }
  box.append(h("div", { class: a ? "asked asked-on" : "asked" }, h("h3", null, t("asked_title")), asked));

  const steps = d.steps || [];
  const tl = h("ol", { class: "timeline" }, steps.map((s) => {
    const st = s.finished_at ? "done" : s.started_at ? "now" : "wait";
    return h("li", { class: "tl-" + st, "aria-current": st === "now" ? "step" : null },
      h("span", { class: "tl-name" }, s.name),
      h("span", { class: "tl-state" }, t("tl_" + st)),
      h("span", { class: "sub" }, [s.unit,
        s.started_at ? t("tl_from", { d: fmtDateTime(s.started_at) }) + (s.finished_at ? ", " + t("tl_to", { d: fmtDateTime(s.finished_at) }) : "") : null]
        .filter(Boolean).join(" · ")));
  }));
  box.append(h("h3", null, t("tl_title")), tl);
  if (d.state === "waiting_supplement" && token) box.append(supplyForm(d.code, token));
  if (d.state === "returned" && token) box.append(ratingForm(d.code, token));
  return box;
}

// supplyForm: the applicant sends what was asked, with the lookup token: files first, then
// the supply action that restarts the clock
function supplyForm(code, token) {
  const files = h("input", { type: "file", multiple: true, accept: "application/pdf,image/jpeg,image/png" });
  const note = h("textarea", { rows: "3", maxlength: "2000" });
  const send = h("button", { type: "submit", class: "btn" }, t("supply_send"));
  const form = h("form", { class: "supply", novalidate: true, on: { submit: async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    busy(send, true, t("submit_sending"));
    try {
      for (const f of files.files) {
        const qs = new URLSearchParams({ token, kind: "supplement", name: f.name.slice(0, 255) });
        await api("POST", `/public/dossiers/${encodeURIComponent(code)}/files?${qs}`, f, { type: f.type || "application/octet-stream" });
      }
      const body = { action: "supply", token };
      if (note.value.trim()) body.note = note.value.trim();
      await api("POST", `/public/dossiers/${encodeURIComponent(code)}/actions`, body);
    } catch (e) {
      busy(send, false);
      showError(form, e);
      return;
    }
    go(location.pathname + location.search, true); // draw the dossier as it now stands
  } } },
  h("h3", null, t("supply_title")),
  field(t("supply_files"), files, { name: "file", hint: t("submit_files_hint") }),
  field(t("supply_note"), note, { name: "note" }),
  h("div", { class: "actions" }, send));
  return form;
}

function ratingForm(code, token) {
  const reasons = ["late", "attitude", "procedure_unclear", "fees", "other"];
  const yes = h("input", { type: "radio", name: "satisfied", value: "yes", id: "rate-yes", checked: true });
  const no = h("input", { type: "radio", name: "satisfied", value: "no", id: "rate-no" });
  const why = h("fieldset", { class: "why", hidden: true }, h("legend", null, t("rate_why")),
    reasons.map((r) => h("div", { class: "check" }, h("input", { type: "checkbox", id: "why-" + r, value: r }), h("label", { for: "why-" + r }, t("r_" + r)))));
  const toggle = () => { why.hidden = !no.checked; };
  yes.addEventListener("change", toggle);
  no.addEventListener("change", toggle);
  const send = h("button", { type: "submit", class: "btn" }, t("rate_send"));
  const form = h("form", { class: "rate", on: { submit: async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { dossier: code, token, satisfied: yes.checked };
    if (!yes.checked) body.reasons = [...why.querySelectorAll("input:checked")].map((x) => x.value);
    busy(send, true, t("submit_sending"));
    try {
      const r = await api("POST", "/public/ratings", body);
      form.replaceChildren(h("h3", null, t("rate_title")), h("p", { role: "status" }, t("rate_thanks")),
        r.feedback ? h("p", null, t("rate_feedback", { code: r.feedback, secret: r.feedback_secret })) : null);
    } catch (e) {
      busy(send, false);
      showError(form, e);
    }
  } } },
  h("h3", null, t("rate_title")),
  h("fieldset", null, h("legend", null, t("rate_q")),
    h("div", { class: "check" }, yes, h("label", { for: "rate-yes" }, t("rate_yes"))),
    h("div", { class: "check" }, no, h("label", { for: "rate-no" }, t("rate_no")))),
  why, h("div", { class: "actions" }, send));
  return form;
}

// ---- /gop-y : feedback ----
async function viewFeedback(page, params) {
  const units = await api("GET", "/public/units");
  const f = {
    unit: h("select", { name: "unit" }, h("option", { value: "" }, t("fb_unit_pick")),
      (units.items || []).map((u) => h("option", { value: u.code }, u.name))),
    content: h("textarea", { name: "content", rows: "6", maxlength: "5000" }),
    name: input({ name: "name", autocomplete: "name", maxlength: "200" }),
    phone: input({ type: "tel", name: "phone", autocomplete: "tel", maxlength: "20" }),
    email: input({ type: "email", name: "email", autocomplete: "email", maxlength: "254" }),
    dossier_code: input({ name: "dossier_code", value: params.get("ho_so") || "", maxlength: "64" }),
    procedure_code: input({ name: "procedure_code", value: params.get("thu_tuc") || "", maxlength: "40" }),
  };
  const send = h("button", { type: "submit", class: "btn" }, t("fb_send"));
  const form = h("form", { novalidate: true, on: { submit: async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = {};
    for (const [k, el] of Object.entries(f)) { const v = el.value.trim(); if (v) body[k] = v; }
    busy(send, true, t("submit_sending"));
    try {
      const r = await api("POST", "/public/feedback", body);
      const done = h("div", { class: "page" }, h("h1", { tabindex: "-1" }, t("fb_done")),
        h("div", { class: "receipt", role: "status" }, dl([[t("fb_code"), h("strong", { class: "mono" }, r.code)], [t("fb_secret"), h("strong", { class: "mono" }, r.secret)]])),
        h("p", null, t("fb_keep")), r.message_vi && getLang() === "vi" ? h("p", null, r.message_vi) : null);
      main.replaceChildren(done);
      done.querySelector("h1").focus();
      drawn();
    } catch (e) {
      busy(send, false);
      showError(form, e);
    }
  } } },
  field(t("fb_unit"), f.unit, { name: "unit", hint: t("fb_unit_hint") }),
  field(t("fb_content"), f.content, { name: "content", required: true }),
  field(t("a_name"), f.name, { name: "name", required: true }),
  h("div", { class: "row" }, field(t("a_phone"), f.phone, { name: "phone" }), field(t("a_email"), f.email, { name: "email" })),
  h("div", { class: "row" }, field(t("fb_dossier"), f.dossier_code, { name: "dossier_code" }), field(t("fb_procedure"), f.procedure_code, { name: "procedure_code" })),
  h("div", { class: "actions" }, send));
  page.append(h("h1", { tabindex: "-1" }, t("fb_title")), h("p", { class: "lead" }, t("fb_intro")), form);
}

// ---- start ----
setLang(getLang());
translateShell();
render();
