// lib.js: what every page of the web UI shares: building DOM (text only ever goes in as
// text nodes, never as HTML), calling the API, the two languages, and Vietnamese formats.

import { dict } from "/assets/js/i18n.js";

// ---- language ----
let lang = "vi";
try {
  const saved = localStorage.getItem("motcua_lang");
  if (saved === "en" || saved === "vi") lang = saved;
} catch (_) { /* storage off: Vietnamese */ }

export function getLang() { return lang; }

// addDict: a page's own texts, { key: { vi, en } }, beside the shared ones of i18n.js
export function addDict(more) { Object.assign(dict, more); }

export function setLang(l) {
  lang = l === "en" ? "en" : "vi";
  try { localStorage.setItem("motcua_lang", lang); } catch (_) { /* ignore */ }
  document.documentElement.lang = lang;
}

// t: the text of key in the current language, with {name} filled from args.
export function t(key, args) {
  const entry = dict[key];
  let s = entry ? (entry[lang] ?? entry.vi) : key;
  if (args) for (const k of Object.keys(args)) s = s.split("{" + k + "}").join(String(args[k]));
  return s;
}

// ---- DOM ----
// h("p", {class: "x"}, "text", child...): an element; strings become text nodes.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "on") { for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn); }
      else if (k === "text") el.textContent = v;
      else if (k in el && typeof v !== "string") el[k] = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

// ---- the API ----
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || "HTTP " + status);
    this.status = status;
    this.code = e.code || "";
    this.field = e.field || "";
    this.message_vi = e.message_vi || "";
  }
  // text: the server's message in the reader's language
  text() {
    if (this.status === 0) return t("err_network");
    if (lang === "vi") return this.message_vi || t("err_generic");
    return this.message || t("err_generic");
  }
}

// setCsrfToken: the session's token (from login or /auth/me), sent as X-CSRF-Token on every
// write; null for none (the portal never logs in, so it never sends one)
let csrfToken = null;
export function setCsrfToken(tok) { csrfToken = tok || null; }

export async function api(method, path, body, opts = {}) {
  const init = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (csrfToken && method !== "GET" && method !== "HEAD") init.headers["X-CSRF-Token"] = csrfToken;
  if (body instanceof Blob || body instanceof ArrayBuffer) {
    init.body = body;
    init.headers["Content-Type"] = opts.type || "application/octet-stream";
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  let r;
  try {
    r = await fetch("/api/v1" + path, init);
  } catch (_) {
    throw new ApiError(0, null);
  }
  if (r.status === 204) return null;
  let data = null;
  try { data = await r.json(); } catch (_) { data = null; }
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

// ---- formats: dd/mm/yyyy, 24 h, Vietnamese separators ----
// The server writes times as RFC 3339 in +07:00, the citizen's own time: read them as such.
export function fmtDate(s) {
  if (!s) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : s;
}

export function fmtDateTime(s) {
  if (!s) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(s);
  if (!m) return s;
  if (!s.endsWith("+07:00")) {
    const d = new Date(s);
    const p = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(d);
    const g = (k) => p.find((x) => x.type === k).value;
    return `${g("hour")}:${g("minute")} ${g("day")}/${g("month")}/${g("year")}`;
  }
  return `${m[4]}:${m[5]} ${m[3]}/${m[2]}/${m[1]}`;
}

// parseDate: dd/mm/yyyy (or d/m/yyyy, with . or -) to YYYY-MM-DD; "" for empty, null when bad
export function parseDate(s) {
  s = (s || "").trim();
  if (!s) return "";
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (!m) return null;
  const d = Number(m[1]), mo = Number(m[2]), y = Number(m[3]);
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${m[3]}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

const nf = new Intl.NumberFormat("vi-VN");
export function fmtNumber(n) { return nf.format(n); }
export function fmtMoney(n) { return nf.format(n) + " đồng"; }
