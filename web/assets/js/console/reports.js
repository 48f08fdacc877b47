// reports.js: the console's reports (/console/bao-cao[/chi-so-766]), loaded by app.js on
// demand with render(main, ctx). Biểu 06 for a unit subtree and a period (the official
// columns under their merged header groups, rates, a chart, xlsx/CSV/PDF from the API with
// the same parameters) and the service index of Decision 766 (every indicator with its
// inputs; those the system cannot measure say "chưa đo được" and why).
// The period and unit travel in the address (?unit=&from=&to=), so a report can be linked.
import { addDict, fmtDate, fmtNumber, getLang, h, t } from "/assets/js/lib.js";
import { barChart, fmtPct } from "/assets/js/chart.js";
import { periodForm, today } from "/assets/js/stats.js";
import { errorBox, field } from "/assets/js/console/ui.js";

addDict({
  r_tab_b06: { vi: "Biểu 06", en: "Form 06" },
  r_tab_766: { vi: "Chỉ số phục vụ (766)", en: "Service index (766)" },
  r_tab_sum: { vi: "Số liệu tổng hợp", en: "Summary" },
  r_sum_title: { vi: "Số liệu tổng hợp về giải quyết thủ tục hành chính", en: "Summary figures of the procedures handled" },
  r_s_received: { vi: "Hồ sơ tiếp nhận mới trong kỳ", en: "New dossiers received" },
  r_s_received_online: { vi: "trong đó tiếp nhận trực tuyến", en: "of which online" },
  r_s_received_postal: { vi: "trong đó tiếp nhận qua bưu chính", en: "of which by post" },
  r_s_returned_postal: { vi: "Kết quả trả qua bưu chính", en: "Results returned by post" },
  r_s_carried: { vi: "Kỳ trước chuyển qua", en: "Carried over" },
  r_s_resolved: { vi: "Đã giải quyết", en: "Resolved" },
  r_s_early_on_time: { vi: "trong đó trước hạn và đúng hạn", en: "of which early or on time" },
  r_s_on_time_rate: { vi: "Tỷ lệ trước hạn, đúng hạn", en: "Early or on-time rate" },
  r_s_open: { vi: "Đang giải quyết", en: "In progress" },
  r_s_open_overdue: { vi: "trong đó quá hạn", en: "of which overdue" },
  r_s_published: { vi: "Thủ tục hành chính được công khai", en: "Procedures published" },
  r_s_online: { vi: "Thủ tục cung cấp dịch vụ công trực tuyến", en: "Procedures offered online" },
  r_s_online_used: { vi: "Dịch vụ công trực tuyến có phát sinh hồ sơ", en: "Online services with dossiers" },
  r_s_online_used_rate: { vi: "Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ", en: "Share of online services with dossiers" },
  r_s_not: { vi: "Chưa đo được trong hệ thống", en: "Not measured by the system" },
  r_s_k_outgoing_documents_signed: { vi: "Văn bản đi và số văn bản ký số", en: "Outgoing documents and how many digitally signed" },
  r_s_k_procedures_simplified: { vi: "Thủ tục được đơn giản hóa, cắt giảm thời gian", en: "Procedures simplified and their time cut" },
  r_s_k_par_index: { vi: "Chỉ số cải cách hành chính (PAR Index)", en: "The PAR index" },
  r_tabs: { vi: "Loại báo cáo", en: "Report" },
  r_b06_title: { vi: "Biểu 06 — Tình hình, kết quả giải quyết thủ tục hành chính", en: "Form 06 — How administrative procedures were handled" },
  r_766_title: { vi: "Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)", en: "Service index for citizens and businesses (Decision 766/QĐ-TTg)" },
  r_unit: { vi: "Đơn vị (cả các đơn vị trực thuộc)", en: "Unit (with the units under it)" },
  r_scope: { vi: "{unit}, từ {from} đến {to}", en: "{unit}, {from} to {to}" },
  r_by: { vi: "Xem theo", en: "Rows by" },
  r_by_field: { vi: "Lĩnh vực", en: "Field" },
  r_by_level: { vi: "Cấp", en: "Level" },
  r_by_unit: { vi: "Đơn vị", en: "Unit" },
  r_stt: { vi: "STT", en: "No." },
  r_g_received: { vi: "Số hồ sơ nhận giải quyết", en: "Dossiers to resolve" },
  r_g_resolved: { vi: "Kết quả giải quyết: số hồ sơ đã giải quyết", en: "Results: dossiers resolved" },
  r_g_progress: { vi: "Số hồ sơ đang giải quyết", en: "Dossiers in progress" },
  r_g_rates: { vi: "Tỷ lệ", en: "Rates" },
  r_c_total: { vi: "Tổng số", en: "Total" },
  r_c_online: { vi: "Trực tuyến", en: "Online" },
  r_c_carried: { vi: "Kỳ trước chuyển qua", en: "Carried over" },
  r_c_direct: { vi: "Trực tiếp, bưu chính", en: "At the counter, by post" },
  r_c_early: { vi: "Trước hạn", en: "Early" },
  r_c_on_time: { vi: "Đúng hạn", en: "On time" },
  r_c_late: { vi: "Quá hạn", en: "Late" },
  r_c_within: { vi: "Chưa đến hạn", en: "Within time" },
  r_c_overdue: { vi: "Quá hạn", en: "Overdue" },
  r_c_rate_on_time: { vi: "Đúng hạn", en: "On time" },
  r_c_rate_online: { vi: "Trực tuyến", en: "Online" },
  r_total: { vi: "Tổng số", en: "Total" },
  r_none: { vi: "Không có hồ sơ nào trong kỳ này.", en: "No dossiers in this period." },
  r_rates_note: {
    vi: "Tỷ lệ đúng hạn = (trước hạn + đúng hạn) / đã giải quyết; tỷ lệ trực tuyến = trực tuyến / (trực tuyến + trực tiếp, bưu chính).",
    en: "On-time rate = (early + on time) / resolved; online share = online / (online + at the counter and by post).",
  },
  r_chart_b06: { vi: "Hồ sơ đã giải quyết: trước hạn, đúng hạn, quá hạn", en: "Dossiers resolved: early, on time, late" },
  r_export: { vi: "Tải về", en: "Download" },
  r_xlsx: { vi: "Tải Excel (.xlsx)", en: "Download Excel (.xlsx)" },
  r_csv: { vi: "Tải CSV", en: "Download CSV" },
  r_pdf: { vi: "Tải PDF", en: "Download PDF" },
  r_k_on_time: { vi: "Tỷ lệ giải quyết trước hạn, đúng hạn", en: "Resolved early or on time" },
  r_k_online: { vi: "Tỷ lệ tiếp nhận trực tuyến", en: "Received online" },
  r_k_received: { vi: "Tổng số hồ sơ nhận giải quyết", en: "Dossiers to resolve" },
  r_k_overdue: { vi: "Đang giải quyết quá hạn", en: "In progress, overdue" },
  r_766_points: { vi: "Điểm đạt được", en: "Points" },
  r_766_points_of: { vi: "{p} / {m} điểm đo được (tối đa {max} điểm)", en: "{p} of {m} measurable points (at most {max})" },
  r_766_indicator: { vi: "Chỉ số", en: "Indicator" },
  r_766_num: { vi: "Tử số", en: "Numerator" },
  r_766_den: { vi: "Mẫu số", en: "Denominator" },
  r_766_value: { vi: "Kết quả", en: "Value" },
  r_766_threshold: { vi: "Ngưỡng đạt điểm tối đa", en: "Threshold for full points" },
  r_766_pts: { vi: "Điểm", en: "Points" },
  r_766_max: { vi: "Tối đa", en: "Max" },
  r_766_not: { vi: "Chưa đo được", en: "Not measured" },
  r_766_group: { vi: "{name}: {p} / {max} điểm", en: "{name}: {p} of {max} points" },
  r_766_chart: { vi: "Điểm đạt so với điểm tối đa của từng nhóm chỉ số (%)", en: "Each group's points as a share of its maximum (%)" },
  r_766_group_h: { vi: "Nhóm chỉ số", en: "Group" },
  r_766_year: { vi: "Điểm và ngưỡng theo bộ chỉ số năm {y}.", en: "Points and thresholds of the {y} index." },
});

const BASE = "/console/bao-cao";
const ptsFmt = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
const fmtPts = (v) => (v === null || v === undefined ? "—" : ptsFmt.format(v));

// stats.css holds the charts' and tables' styles; the console's document may not link it
function ensureCss() {
  if (document.querySelector('link[data-css="stats"]')) return;
  document.head.append(h("link", { rel: "stylesheet", href: "/assets/css/stats.css", "data-css": "stats" }));
}

// ---- the units the user may report on: the subtrees of the user's own units ----
async function unitChoices(ctx) {
  const r = await ctx.api("GET", "/units");
  const mine = new Set(ctx.me.roles.map((g) => g.unit));
  const out = [];
  const walk = (u, depth, inside) => {
    const ok = inside || mine.has(u.id);
    if (ok && !u.closed) out.push({ id: u.id, code: u.code, name: u.name, depth, kind: u.kind });
    for (const c of u.children || []) walk(c, ok ? depth + 1 : depth, ok);
  };
  for (const u of r.items || []) walk(u, 0, false);
  return out;
}

function unitKey(u) { return u.code || String(u.id); }

// state: what the address asks for, with defaults (the user's top unit, 1 January to today)
function state(ctx, choices) {
  const p = ctx.params;
  const td = today();
  return {
    unit: p.get("unit") || (choices[0] ? unitKey(choices[0]) : ""),
    from: p.get("from") || td.slice(0, 4) + "-01-01",
    to: p.get("to") || td,
    by: p.get("theo") || "linh-vuc",
  };
}

function address(path, st) {
  const q = new URLSearchParams({ unit: st.unit, from: st.from, to: st.to });
  if (st.by && st.by !== "linh-vuc" && path === BASE) q.set("theo", st.by);
  return path + "?" + q;
}

function tabs(ctx, cur) {
  const q = ctx.params.toString();
  const items = [[BASE, "r_tab_b06"], [BASE + "/chi-so-766", "r_tab_766"], [BASE + "/tong-hop", "r_tab_sum"]];
  return h("nav", { "aria-label": t("r_tabs") }, h("ul", { class: "tabs" }, items.map(([href, key]) =>
    h("li", null, h("a", { href: href + (q ? "?" + q : ""), "aria-current": href === cur ? "page" : null }, t(key))))));
}

function controls(ctx, path, st, choices, withBy) {
  const sel = h("select", { name: "unit" }, choices.map((u) =>
    h("option", { value: unitKey(u), selected: unitKey(u) === st.unit }, "\u00a0\u00a0".repeat(u.depth) + u.name)));
  const by = withBy ? h("select", { name: "theo" }, [["linh-vuc", "r_by_field"], ["cap", "r_by_level"], ["don-vi", "r_by_unit"]].map(([v, k]) =>
    h("option", { value: v, selected: v === st.by }, t(k)))) : null;
  const extra = [field(t("r_unit"), sel, { name: "unit" }), by ? field(t("r_by"), by, { name: "theo" }) : null];
  const form = periodForm({
    from: st.from, to: st.to, extra,
    submit: (from, to) => ctx.navigate(address(path, { unit: sel.value, from, to, by: by ? by.value : st.by })),
  });
  form.classList.add("report-form");
  return form;
}

export async function render(page, ctx) {
  ensureCss();
  const choices = await unitChoices(ctx);
  const sub = ctx.path.replace(/\/+$/, "");
  if (sub === "/chi-so-766") return index766(page, ctx, choices);
  if (sub === "/tong-hop") return summary(page, ctx, choices);
  return bieu06(page, ctx, choices);
}

// ---- Biểu 06 ----
const COLS = [
  ["received_total", "r_c_total", "received"], ["received_online", "r_c_online", "received"],
  ["carried_over", "r_c_carried", "received"], ["received_direct_postal", "r_c_direct", "received"],
  ["resolved_total", "r_c_total", "resolved"], ["early", "r_c_early", "resolved"],
  ["on_time", "r_c_on_time", "resolved"], ["late", "r_c_late", "resolved"],
  ["in_progress_total", "r_c_total", "progress"], ["in_progress_within", "r_c_within", "progress"],
  ["in_progress_overdue", "r_c_overdue", "progress"],
];

async function bieu06(page, ctx, choices) {
  const st = state(ctx, choices);
  page.append(h("h1", { tabindex: "-1" }, t("r_b06_title")), tabs(ctx, BASE), controls(ctx, BASE, st, choices, true));
  const q = new URLSearchParams({ unit: st.unit, from: st.from, to: st.to });
  let r;
  try {
    r = await ctx.api("GET", "/reports/bieu06?" + q);
  } catch (e) {
    page.append(errorBox(e));
    return;
  }
  const tot = r.total || {};
  page.append(h("p", { class: "period-now", "data-testid": "scope" }, t("r_scope", { unit: r.unit.name, from: fmtDate(r.from), to: fmtDate(r.to) })));
  page.append(h("ul", { class: "kpis" },
    kpi(t("r_k_on_time"), fmtPct(tot.on_time_rate), fmtNumber((tot.early || 0) + (tot.on_time || 0)) + " / " + fmtNumber(tot.resolved_total || 0)),
    kpi(t("r_k_online"), fmtPct(tot.online_rate), fmtNumber(tot.received_online || 0) + " / " + fmtNumber((tot.received_online || 0) + (tot.received_direct_postal || 0))),
    kpi(t("r_k_received"), fmtNumber(tot.received_total || 0), null),
    kpi(t("r_k_overdue"), fmtNumber(tot.in_progress_overdue || 0), null)));

  // the exports: the same report from the API, as files
  const file = (fmt) => "/api/v1/reports/bieu06?" + new URLSearchParams({ unit: st.unit, from: r.from, to: r.to, format: fmt });
  page.append(h("div", { class: "exports", role: "group", "aria-label": t("r_export") },
    h("a", { class: "btn btn-quiet", href: file("xlsx"), download: "", "data-format": "xlsx" }, t("r_xlsx")),
    h("a", { class: "btn btn-quiet", href: file("csv"), download: "", "data-format": "csv" }, t("r_csv")),
    h("a", { class: "btn btn-quiet", href: file("pdf"), download: "", "data-format": "pdf" }, t("r_pdf"))));

  let rows, head;
  if (st.by === "cap") { rows = (r.levels || []).map((x) => ({ name: x.name, x })); head = t("r_by_level"); }
  else if (st.by === "don-vi") { rows = (r.units || []).map((x) => ({ name: x.unit_name, x })); head = t("r_by_unit"); }
  else { rows = (r.rows || []).map((x) => ({ name: x.field_name, x })); head = t("r_by_field"); }

  const grp = (key, span, extra) => h("th", { scope: "colgroup", colspan: String(span), class: "grp" + (extra || "") }, t(key));
  const table = h("table", { class: "figures b06", "data-testid": "bieu06" },
    h("caption", { class: "sr-only" }, t("r_b06_title") + " — " + t("r_scope", { unit: r.unit.name, from: fmtDate(r.from), to: fmtDate(r.to) })),
    h("colgroup", null, h("col"), h("col")), h("colgroup", { span: "4" }), h("colgroup", { span: "4" }), h("colgroup", { span: "3" }), h("colgroup", { span: "2" }),
    h("thead", null,
      h("tr", null,
        h("th", { scope: "col", rowspan: "2" }, t("r_stt")),
        h("th", { scope: "col", rowspan: "2" }, head),
        grp("r_g_received", 4, " sep"), grp("r_g_resolved", 4, " sep"), grp("r_g_progress", 3, " sep"), grp("r_g_rates", 2, " sep")),
      h("tr", null, COLS.map(([, k], i) => h("th", { scope: "col", class: "num" + ([0, 4, 8].includes(i) ? " sep" : "") }, t(k))),
        h("th", { scope: "col", class: "num sep" }, t("r_c_rate_on_time")), h("th", { scope: "col", class: "num" }, t("r_c_rate_online")))),
    h("tbody", null, rows.length ? rows.map((row, i) => line(String(i + 1), row.name, row.x, "td"))
      : h("tr", null, h("td", { colspan: "15" }, t("r_none")))),
    h("tfoot", null, line("", t("r_total"), tot, "th", "total")));
  page.append(h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("r_b06_title") }, table),
    h("p", { class: "hint" }, t("r_rates_note")));

  if (rows.length) {
    page.append(barChart({
      title: t("r_chart_b06"), categories: rows.map((x) => x.name), labelHead: head, stacked: true, fmt: fmtNumber,
      series: [["early", "r_c_early"], ["on_time", "r_c_on_time"], ["late", "r_c_late"]].map(([k, key]) => ({ name: t(key), values: rows.map((x) => x.x[k] || 0) })),
    }));
  }
}

function line(stt, name, x, cell, testid) {
  return h("tr", { "data-testid": testid || null },
    h(cell === "th" ? "td" : "td", null, stt),
    h("th", { scope: "row" }, name),
    COLS.map(([k], i) => h("td", { class: "num" + ([0, 4, 8].includes(i) ? " sep" : ""), "data-k": k }, fmtNumber(x[k] || 0))),
    h("td", { class: "num sep", "data-k": "on_time_rate" }, fmtPct(x.on_time_rate)),
    h("td", { class: "num", "data-k": "online_rate" }, fmtPct(x.online_rate)));
}

function kpi(label, value, sub) {
  return h("li", { class: "kpi" }, h("span", { class: "kpi-label" }, label), h("strong", { class: "kpi-value" }, value),
    sub ? h("span", { class: "kpi-sub" }, sub) : null);
}

// ---- the 766 index ----
async function index766(page, ctx, choices) {
  const st = state(ctx, choices);
  const path = BASE + "/chi-so-766";
  page.append(h("h1", { tabindex: "-1" }, t("r_766_title")), tabs(ctx, path), controls(ctx, path, st, choices, false));
  let r;
  try {
    r = await ctx.api("GET", "/reports/index766?" + new URLSearchParams({ unit: st.unit, from: st.from, to: st.to }));
  } catch (e) {
    page.append(errorBox(e));
    return;
  }
  const en = getLang() === "en";
  page.append(h("p", { class: "period-now", "data-testid": "scope" }, t("r_scope", { unit: r.unit.name, from: fmtDate(r.from), to: fmtDate(r.to) })),
    h("ul", { class: "kpis" }, kpi(t("r_766_points"), fmtPts(r.points),
      t("r_766_points_of", { p: fmtPts(r.points), m: fmtPts(r.measured_max_points), max: fmtPts(r.max_points) }))),
    h("p", { class: "hint" }, t("r_766_year", { y: r.data_year })));
  const groups = r.groups || [];
  page.append(barChart({
    title: t("r_766_chart"), labelHead: t("r_766_group_h"), max: 100,
    categories: groups.map((g) => (en && g.name_en) || g.name),
    series: [{ name: t("r_766_pts"), values: groups.map((g) => (g.measured_max_points ? (100 * g.points) / g.max_points : null)) }],
  }));
  for (const g of groups) {
    const id = "g-" + g.key;
    page.append(h("section", { "aria-labelledby": id, "data-group": g.key },
      h("h2", { id }, t("r_766_group", { name: (en && g.name_en) || g.name, p: fmtPts(g.points), max: fmtPts(g.max_points) })),
      h("div", { class: "table-wrap" }, h("table", { class: "figures i766" },
        h("thead", null, h("tr", null, h("th", { scope: "col" }, t("r_766_indicator")),
          ["r_766_num", "r_766_den", "r_766_value", "r_766_threshold", "r_766_pts", "r_766_max"].map((k) => h("th", { scope: "col", class: "num" }, t(k))))),
        h("tbody", null, (g.indicators || []).map((x) => {
          const name = (en && x.name_en) || x.name;
          if (!x.measured) {
            return h("tr", { "data-ind": x.key, class: "notmeasured-row" }, h("th", { scope: "row" }, name),
              h("td", { colspan: "4", class: "notmeasured" }, t("r_766_not") + ": " + ((en && x.why_en) || x.why || "")),
              h("td", { class: "num" }, "—"), h("td", { class: "num" }, fmtPts(x.max_points)));
          }
          return h("tr", { "data-ind": x.key }, h("th", { scope: "row" }, name),
            h("td", { class: "num" }, x.numerator === null ? "—" : fmtNumber(x.numerator)),
            h("td", { class: "num" }, x.denominator === null ? "—" : fmtNumber(x.denominator)),
            h("td", { class: "num" }, fmtPct(x.value)),
            h("td", { class: "num" }, x.threshold === null || x.threshold === undefined ? "—" : "≥ " + fmtPct(x.threshold)),
            h("td", { class: "num" }, fmtPts(x.points)),
            h("td", { class: "num" }, fmtPts(x.max_points)));
        }))))));
  }
}

// ---- the figures the seed reports quote (domain.md §12) ----
const SUB_ROWS = new Set(["r_s_received_online", "r_s_received_postal", "r_s_early_on_time", "r_s_open_overdue"]);
async function summary(page, ctx, choices) {
  const st = state(ctx, choices);
  const path = BASE + "/tong-hop";
  page.append(h("h1", { tabindex: "-1" }, t("r_sum_title")), tabs(ctx, path), controls(ctx, path, st, choices, false));
  let r;
  try {
    r = await ctx.api("GET", "/reports/summary?" + new URLSearchParams({ unit: st.unit, from: st.from, to: st.to }));
  } catch (e) {
    page.append(errorBox(e));
    return;
  }
  const n = (v) => (v === null || v === undefined ? "—" : fmtNumber(v));
  // [text, the API's key, a rate?]
  const rows = [
    ["r_s_received", "received"], ["r_s_received_online", "received_online"], ["r_s_received_postal", "received_postal"],
    ["r_s_carried", "carried_over"], ["r_s_resolved", "resolved"], ["r_s_early_on_time", "resolved_early_on_time"],
    ["r_s_on_time_rate", "on_time_rate", true], ["r_s_open", "open"], ["r_s_open_overdue", "open_overdue"],
    ["r_s_returned_postal", "returned_postal"], ["r_s_published", "procedures_published"], ["r_s_online", "procedures_online"],
    ["r_s_online_used", "online_procedures_with_dossiers"], ["r_s_online_used_rate", "online_procedures_with_dossiers_rate", true],
  ];
  const en = getLang() === "en";
  page.append(h("p", { class: "period-now", "data-testid": "scope" }, t("r_scope", { unit: r.unit.name, from: fmtDate(r.from), to: fmtDate(r.to) })),
    h("div", { class: "table-wrap" }, h("table", { class: "figures summary", "data-testid": "summary" },
      h("caption", { class: "sr-only" }, t("r_sum_title")),
      h("tbody", null, rows.map(([k, key, isRate]) => h("tr", { class: SUB_ROWS.has(k) ? "sub-row" : null, "data-k": key },
        h("th", { scope: "row" }, t(k)), h("td", { class: "num" }, isRate ? fmtPct(r[key]) : n(r[key]))))))));
  if ((r.not_measured || []).length) {
    page.append(h("section", { "aria-labelledby": "s-not-h" }, h("h2", { id: "s-not-h" }, t("r_s_not")),
      h("ul", null, r.not_measured.map((x) => h("li", null, h("strong", null, t("r_s_k_" + x.key)), ": ",
        h("span", { class: "notmeasured" }, (en && x.why_en) || x.why))))));
  }
}
