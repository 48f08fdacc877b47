// stats.js: the public statistics page /thong-ke/ (no login): each unit's on-time rate,
// online share and satisfaction from GET /api/v1/public/stats, fetched when the page is
// drawn, with charts (chart.js) and a table. Also the pieces the console's reports share
// with it: the period form (dd/mm/yyyy dates, quick picks) and labelled fields that show the
// server's error next to them.
import { ApiError, addDict, fmtDate, fmtDateTime, fmtNumber, h, parseDate, t } from "/assets/js/lib.js";
import { barChart, fmtPct, lineChart } from "/assets/js/chart.js";

addDict({
  st_title: { vi: "Thống kê tình hình giải quyết hồ sơ", en: "How dossiers are handled: statistics" },
  st_lead: {
    vi: "Số liệu tính trực tiếp từ hệ thống một cửa điện tử của tỉnh, cho từng cơ quan, đơn vị.",
    en: "Figures computed live from the province's one-stop system, for each agency.",
  },
  st_updated: { vi: "Cập nhật lúc {at}", en: "Updated at {at}" },
  st_period: { vi: "Kỳ thống kê: từ {from} đến {to}", en: "Period: {from} to {to}" },
  st_period_title: { vi: "Chọn kỳ thống kê", en: "Choose the period" },
  st_from: { vi: "Từ ngày", en: "From" },
  st_to: { vi: "Đến ngày", en: "To" },
  st_date_hint: { vi: "Ngày/tháng/năm, ví dụ 01/01/2026.", en: "Day/month/year, e.g. 01/01/2026." },
  st_date_bad: { vi: "Ngày phải viết theo dạng ngày/tháng/năm, ví dụ 01/01/2026.", en: "Write the date as day/month/year, e.g. 01/01/2026." },
  st_order_bad: { vi: "Ngày kết thúc phải sau ngày bắt đầu.", en: "The end must come after the start." },
  st_show: { vi: "Xem", en: "Show" },
  st_quick: { vi: "Chọn nhanh:", en: "Quick pick:" },
  st_this_month: { vi: "Tháng này", en: "This month" },
  st_this_quarter: { vi: "Quý này", en: "This quarter" },
  st_this_year: { vi: "Năm nay", en: "This year" },
  st_totals: { vi: "Toàn tỉnh", en: "The whole province" },
  st_received: { vi: "Hồ sơ tiếp nhận mới", en: "New dossiers received" },
  st_received_online: { vi: "Tiếp nhận trực tuyến", en: "Received online" },
  st_resolved: { vi: "Đã giải quyết", en: "Resolved" },
  st_early_on_time: { vi: "Trước hạn và đúng hạn", en: "Early or on time" },
  st_late: { vi: "Quá hạn", en: "Late" },
  st_in_progress: { vi: "Đang giải quyết", en: "In progress" },
  st_on_time_rate: { vi: "Tỷ lệ đúng hạn", en: "On-time rate" },
  st_on_time_rate_long: { vi: "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn", en: "Dossiers resolved early or on time" },
  st_online_share: { vi: "Tỷ lệ trực tuyến", en: "Online share" },
  st_online_share_long: { vi: "Tỷ lệ hồ sơ tiếp nhận trực tuyến", en: "Dossiers received online" },
  st_satisfaction: { vi: "Mức độ hài lòng", en: "Satisfaction" },
  st_sat_none: { vi: "Chưa có đánh giá", en: "No ratings yet" },
  st_sat_n: { vi: "{n} lượt đánh giá", en: "{n} ratings" },
  st_unit: { vi: "Cơ quan, đơn vị", en: "Agency" },
  st_chart_on_time: { vi: "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn, theo đơn vị", en: "Dossiers resolved early or on time, by agency" },
  st_chart_online: { vi: "Tỷ lệ hồ sơ tiếp nhận trực tuyến, theo đơn vị", en: "Dossiers received online, by agency" },
  st_trend: { vi: "Diễn biến theo tháng", en: "Month by month" },
  st_chart_trend: { vi: "Tỷ lệ đúng hạn và tỷ lệ trực tuyến theo tháng, toàn tỉnh", en: "On-time rate and online share by month, the whole province" },
  st_month: { vi: "Tháng", en: "Month" },
  st_table: { vi: "Số liệu từng đơn vị", en: "Each agency's figures" },
  st_dash: {
    vi: "Dấu — : chưa có hồ sơ để tính tỷ lệ. Tỷ lệ đúng hạn = (trước hạn + đúng hạn) / đã giải quyết; tỷ lệ trực tuyến = tiếp nhận trực tuyến / tiếp nhận mới.",
    en: "A dash — : no dossiers to compute the rate from. On-time rate = (early + on time) / resolved; online share = received online / new dossiers received.",
  },
  st_none: { vi: "Chưa có cơ quan, đơn vị nào có số liệu trong kỳ này.", en: "No agency has figures for this period." },
  st_of_which: { vi: "trong đó quá hạn: {n}", en: "of which overdue: {n}" },
});

// ---- dates: the API's YYYY-MM-DD, typed and shown as dd/mm/yyyy ----
// today: the date now in Việt Nam (the reports' days are +07:00 days)
export function today() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date());
}

// quickPeriods: this month, this quarter, this year, each up to today
export function quickPeriods() {
  const td = today();
  const [y, m] = td.split("-").map(Number);
  const q = Math.floor((m - 1) / 3) * 3 + 1;
  return [
    { key: "st_this_month", from: `${y}-${String(m).padStart(2, "0")}-01`, to: td },
    { key: "st_this_quarter", from: `${y}-${String(q).padStart(2, "0")}-01`, to: td },
    { key: "st_this_year", from: `${y}-01-01`, to: td },
  ];
}

// ---- labelled fields that show the server's error next to them ----
let fid = 0;
export function field(label, control, opts = {}) {
  const id = control.id || "sf" + ++fid;
  control.id = id;
  const errId = id + "-err", hintId = opts.hint ? id + "-hint" : null;
  if (opts.name) control.dataset.field = opts.name;
  if (opts.required) control.required = true;
  control.setAttribute("aria-describedby", [hintId, errId].filter(Boolean).join(" "));
  const clear = () => {
    const p = document.getElementById(errId);
    if (p && !p.hidden) { p.hidden = true; p.textContent = ""; control.removeAttribute("aria-invalid"); }
  };
  control.addEventListener("input", clear);
  control.addEventListener("change", clear);
  return h("div", { class: "field" + (opts.class ? " " + opts.class : "") },
    h("label", { for: id }, label, opts.required ? h("span", { class: "req" }, " " + t("required_mark")) : null),
    opts.hint ? h("p", { class: "hint", id: hintId }, opts.hint) : null,
    control,
    h("p", { class: "field-err", id: errId, hidden: true }));
}

export function clearErrors(form) {
  for (const p of form.querySelectorAll(".field-err")) { p.hidden = true; p.textContent = ""; }
  for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
  for (const a of form.querySelectorAll(".form-alert")) a.remove();
}

export function errorText(e) {
  return e instanceof ApiError ? e.text() : t("err_generic");
}

// showError: the server's message next to its field (what was typed stays), or on top of
// the form when no field of the form is named
export function showError(form, e) {
  clearErrors(form);
  const name = e instanceof ApiError ? e.field : "";
  const ctl = name ? form.querySelector(`[data-field="${CSS.escape(name)}"]`) : null;
  const p = ctl && document.getElementById(ctl.id + "-err");
  if (p) {
    p.textContent = errorText(e);
    p.hidden = false;
    ctl.setAttribute("aria-invalid", "true");
    form.prepend(h("p", { class: "alert form-alert", role: "alert" }, t("err_fix")));
    ctl.focus();
  } else {
    const box = h("p", { class: "alert form-alert", role: "alert", tabindex: "-1" }, errorText(e));
    form.prepend(box);
    box.focus();
  }
}

export function localError(field, key) {
  return new ApiError(400, { error: { code: "validation", field, message_vi: t(key), message: t(key) } });
}

// periodForm: from/to typed as dd/mm/yyyy with quick picks; submit(from, to) gets ISO dates.
// hrefOf(from, to) gives the quick picks their links (null: buttons).
export function periodForm({ from, to, submit, hrefOf, extra }) {
  const fromIn = h("input", { type: "text", name: "from", value: fmtDate(from), inputmode: "numeric", autocomplete: "off", size: "10" });
  const toIn = h("input", { type: "text", name: "to", value: fmtDate(to), inputmode: "numeric", autocomplete: "off", size: "10" });
  const form = h("form", { class: "period", novalidate: true });
  const picks = h("p", { class: "quick" }, h("span", { class: "quick-label" }, t("st_quick")), " ",
    quickPeriods().map((p) => {
      const cur = p.from === from && p.to === to;
      return hrefOf
        ? h("a", { href: hrefOf(p.from, p.to), class: "pick", "aria-current": cur ? "true" : null }, t(p.key))
        : h("button", { type: "button", class: "btn btn-quiet pick", "aria-pressed": String(cur), on: { click: () => submit(p.from, p.to) } }, t(p.key));
    }));
  form.append(
    h("div", { class: "period-row" },
      extra || null,
      field(t("st_from"), fromIn, { name: "from", hint: t("st_date_hint") }),
      field(t("st_to"), toIn, { name: "to", hint: t("st_date_hint") }),
      h("div", { class: "field period-go" }, h("button", { type: "submit", class: "btn" }, t("st_show")))),
    picks);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const f = parseDate(fromIn.value), tt = parseDate(toIn.value);
    if (!f) return showError(form, localError("from", "st_date_bad"));
    if (!tt) return showError(form, localError("to", "st_date_bad"));
    if (tt < f) return showError(form, localError("to", "st_order_bad"));
    submit(f, tt);
  });
  return form;
}

// months: the months that [from, to] touches, at most the last 12, each cut to the period
function months(from, to) {
  const out = [];
  let [y, m] = from.split("-").map(Number);
  for (;;) {
    const start = `${y}-${String(m).padStart(2, "0")}-01`;
    if (start > to) break;
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const end = `${y}-${String(m).padStart(2, "0")}-${String(last).padStart(2, "0")}`;
    out.push({ label: `${String(m).padStart(2, "0")}/${y}`, from: start < from ? from : start, to: end > to ? to : end });
    if (++m > 12) { m = 1; y++; }
  }
  return out.slice(-12);
}

function rate(v) { return v === null || v === undefined ? null : Number(v); }

// ---- the page ----
// render(page, params, { go }): draws /thong-ke/?from=YYYY-MM-DD&to=YYYY-MM-DD into page
export async function render(page, params, ctx) {
  const go = (ctx && ctx.go) || ((u) => { location.href = u; });
  const qs = new URLSearchParams();
  if (params.get("from")) qs.set("from", params.get("from"));
  if (params.get("to")) qs.set("to", params.get("to"));
  const head = [h("h1", { tabindex: "-1" }, t("st_title")), h("p", { class: "lead" }, t("st_lead"))];
  let d;
  try {
    d = await publicStats(qs);
  } catch (e) {
    // a bad period in the address: the form says which date is wrong, with the dates as typed
    const form = periodForm({ from: params.get("from") || "", to: params.get("to") || "", submit: (f, tt) => go(href(f, tt)), hrefOf: href });
    page.append(...head, h("section", { "aria-labelledby": "st-per-h" }, h("h2", { id: "st-per-h" }, t("st_period_title")), form));
    showError(form, e);
    return;
  }
  const units = d.units || [];
  const total = d.total || {};
  const form = periodForm({ from: d.from, to: d.to, submit: (f, tt) => go(href(f, tt)), hrefOf: href });
  page.append(...head,
    h("p", { class: "updated", "data-testid": "updated" }, t("st_updated", { at: fmtDateTime(d.updated_at) })),
    h("section", { class: "period-box", "aria-labelledby": "st-per-h" },
      h("h2", { id: "st-per-h", class: "sr-only" }, t("st_period_title")), form,
      h("p", { class: "period-now", "data-testid": "period" }, t("st_period", { from: fmtDate(d.from), to: fmtDate(d.to) }))));

  // the province's totals
  const sat = total.satisfaction === null || total.satisfaction === undefined ? t("st_sat_none") : fmtPct(total.satisfaction);
  page.append(h("section", { "aria-labelledby": "st-tot-h" },
    h("h2", { id: "st-tot-h" }, t("st_totals")),
    h("ul", { class: "kpis", "data-testid": "totals" },
      kpi(t("st_on_time_rate_long"), fmtPct(rate(total.on_time_rate)), t("st_early_on_time") + ": " + fmtNumber((total.early || 0) + (total.on_time || 0)) + " / " + fmtNumber(total.resolved || 0), "on_time_rate"),
      kpi(t("st_online_share_long"), fmtPct(rate(total.online_share)), t("st_received_online") + ": " + fmtNumber(total.received_online || 0) + " / " + fmtNumber(total.received || 0), "online_share"),
      kpi(t("st_received"), fmtNumber(total.received || 0), null, "received"),
      kpi(t("st_resolved"), fmtNumber(total.resolved || 0), t("st_late") + ": " + fmtNumber(total.late || 0), "resolved"),
      kpi(t("st_in_progress"), fmtNumber(total.in_progress || 0), t("st_of_which", { n: fmtNumber(total.in_progress_overdue || 0) }), "in_progress"),
      kpi(t("st_satisfaction"), sat, total.ratings ? t("st_sat_n", { n: fmtNumber(total.ratings) }) : null, "satisfaction"))));

  if (!units.length) {
    page.append(h("p", null, t("st_none")));
    return;
  }
  const names = units.map((u) => u.unit.name);
  page.append(h("section", { class: "charts", "aria-labelledby": "st-ch-h" },
    h("h2", { id: "st-ch-h", class: "sr-only" }, t("st_chart_on_time")),
    barChart({ title: t("st_chart_on_time"), categories: names, labelHead: t("st_unit"), max: 100,
      series: [{ name: t("st_on_time_rate"), values: units.map((u) => rate(u.on_time_rate)) }] }),
    barChart({ title: t("st_chart_online"), categories: names, labelHead: t("st_unit"), max: 100,
      series: [{ name: t("st_online_share"), values: units.map((u) => rate(u.online_share)) }] })));

  // each unit's figures
  const rows = units.map((u) => h("tr", { "data-unit": u.unit.code },
    h("th", { scope: "row" }, u.unit.name),
    h("td", { class: "num", "data-k": "received" }, fmtNumber(u.received || 0)),
    h("td", { class: "num", "data-k": "received_online" }, fmtNumber(u.received_online || 0)),
    h("td", { class: "num", "data-k": "resolved" }, fmtNumber(u.resolved || 0)),
    h("td", { class: "num", "data-k": "early_on_time" }, fmtNumber((u.early || 0) + (u.on_time || 0))),
    h("td", { class: "num", "data-k": "in_progress" }, fmtNumber(u.in_progress || 0)),
    h("td", { class: "num", "data-k": "on_time_rate" }, fmtPct(rate(u.on_time_rate))),
    h("td", { class: "num", "data-k": "online_share" }, fmtPct(rate(u.online_share))),
    h("td", { class: "num", "data-k": "satisfaction" }, u.satisfaction === null || u.satisfaction === undefined ? "—" : fmtPct(u.satisfaction))));
  const cols = ["st_received", "st_received_online", "st_resolved", "st_early_on_time", "st_in_progress", "st_on_time_rate", "st_online_share", "st_satisfaction"];
  page.append(h("section", { "aria-labelledby": "st-tab-h" },
    h("h2", { id: "st-tab-h" }, t("st_table")),
    h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "st-tab-h" },
      h("table", { class: "figures sticky-first", "data-testid": "units" },
        h("thead", null, h("tr", null, h("th", { scope: "col" }, t("st_unit")), cols.map((k) => h("th", { scope: "col", class: "num" }, t(k))))),
        h("tbody", null, rows),
        h("tfoot", null, h("tr", { "data-unit": "total" }, h("th", { scope: "row" }, t("st_totals")),
          [fmtNumber(total.received || 0), fmtNumber(total.received_online || 0), fmtNumber(total.resolved || 0),
            fmtNumber((total.early || 0) + (total.on_time || 0)), fmtNumber(total.in_progress || 0),
            fmtPct(rate(total.on_time_rate)), fmtPct(rate(total.online_share)),
            total.satisfaction === null || total.satisfaction === undefined ? "—" : fmtPct(total.satisfaction)]
            .map((v) => h("td", { class: "num" }, v)))))),
    h("p", { class: "hint" }, t("st_dash"))));

  // month by month for the whole province (when the period spans more than one month)
  const ms = months(d.from, d.to);
  if (ms.length > 1) {
    const slot = h("section", { class: "trend", "aria-labelledby": "st-tr-h" }, h("h2", { id: "st-tr-h" }, t("st_trend")));
    page.append(slot);
    const wait = h("p", { role: "status" }, t("loading"));
    slot.append(wait);
    // drawn after the page: the month figures do not hold up its first render
    Promise.all(ms.map((m) => publicStats(new URLSearchParams({ from: m.from, to: m.to })).then((x) => x.total || {}, () => ({}))))
      .then((per) => wait.replaceWith(lineChart({ title: t("st_chart_trend"), categories: ms.map((m) => m.label), labelHead: t("st_month"), max: 100,
        series: [{ name: t("st_on_time_rate"), values: per.map((x) => rate(x.on_time_rate)) },
          { name: t("st_online_share"), values: per.map((x) => rate(x.online_share)) }] })));
  }
}

function href(from, to) {
  return "/thong-ke/?" + new URLSearchParams({ from, to });
}

function kpi(label, value, sub, key) {
  return h("li", { class: "kpi", "data-k": key },
    h("span", { class: "kpi-label" }, label),
    h("strong", { class: "kpi-value" }, value),
    sub ? h("span", { class: "kpi-sub" }, sub) : null);
}

// publicStats: the figures as they are now (the answer may be cached 30 s by the server's
// Cache-Control; the page promises live figures, so it asks past any cache)
async function publicStats(qs) {
  const q = qs.toString();
  let r;
  try {
    r = await fetch("/api/v1/public/stats" + (q ? "?" + q : ""), { headers: { Accept: "application/json" }, cache: "no-cache" });
  } catch (_) {
    throw new ApiError(0, null);
  }
  let body = null;
  try { body = await r.json(); } catch (_) { body = null; }
  if (!r.ok) throw new ApiError(r.status, body);
  return body;
}
