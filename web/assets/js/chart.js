// chart.js: small accessible SVG charts (no library). Each chart is a <figure> with its
// caption, the SVG (role="img", named by the caption) and a data table holding the same
// figures as text: the table is the chart's text alternative, read by screen readers while
// visually hidden, and shown on screen by the "Xem bảng số liệu" button.
//
//   barChart({ title, categories, series: [{ name, values }], max, fmt, stacked, labelHead })
//   lineChart({ title, categories, series: [{ name, values }], max, fmt, labelHead })
//
// values may hold null (no figure: no bar, no point, "—" in the table). The SVG is drawn at
// the figure's width (redrawn when it changes), so text keeps its size on a phone.
import { addDict, h, t } from "/assets/js/lib.js";

addDict({
  chart_show_table: { vi: "Xem bảng số liệu", en: "Show the data table" },
  chart_hide_table: { vi: "Ẩn bảng số liệu", en: "Hide the data table" },
  chart_no_data: { vi: "chưa có số liệu", en: "no data" },
  chart_img: { vi: "Biểu đồ: {title}. Số liệu chi tiết ở bảng ngay sau biểu đồ.", en: "Chart: {title}. The figures are in the table right after the chart." },
});

const SVG = "http://www.w3.org/2000/svg";
// colours with at least 3:1 against white (WCAG 1.4.11), told apart also by the legend's order
export const COLOURS = ["#0b4f8a", "#1e6b34", "#a4161a", "#8a6100", "#5b2a86", "#3d4a55"];
const FONT = 14;

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const pctFmt = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
// fmtPct: 95.2 → "95,2 %"; null → "—"
export function fmtPct(v) {
  return v === null || v === undefined || Number.isNaN(v) ? "—" : pctFmt.format(v) + " %";
}

const intFmt = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 0 });
// the axis's ticks of a percentage chart: "50 %"
export function fmtPctTick(v) { return intFmt.format(v) + " %"; }

let uid = 0;

// figure: the shell every chart shares; draw(svg, width) fills the svg
function figure(opts, draw) {
  const id = "chart" + ++uid;
  const fmt = opts.fmt || fmtPct;
  if (!opts.tickFmt) opts.tickFmt = fmt === fmtPct ? fmtPctTick : fmt;
  const cap = h("figcaption", { id: id + "-cap", class: "chart-title" }, opts.title);
  const svg = s("svg", { role: "img", "aria-labelledby": id + "-cap", "aria-describedby": id + "-desc", class: "chart-svg" });
  const desc = h("p", { id: id + "-desc", class: "sr-only" }, t("chart_img", { title: opts.title }));
  const legend = opts.series.length > 1
    ? h("ul", { class: "chart-legend", "aria-hidden": "true" }, opts.series.map((se, i) =>
      h("li", null, h("span", { class: "swatch swatch-" + (i % COLOURS.length) }), se.name)))
    : null;
  const table = h("table", { class: "chart-table" },
    h("caption", null, opts.title),
    h("thead", null, h("tr", null, h("th", { scope: "col" }, opts.labelHead || ""),
      opts.series.map((se) => h("th", { scope: "col", class: "num" }, se.name)))),
    h("tbody", null, opts.categories.map((c, r) => h("tr", null, h("th", { scope: "row" }, c),
      opts.series.map((se) => h("td", { class: "num" }, fmt(se.values[r])))))));
  const toggle = h("button", { type: "button", class: "btn-link chart-toggle", "aria-controls": id + "-table", "aria-expanded": "false" }, t("chart_show_table"));
  // the class goes on a block around the table: a table cannot be made 1 px wide
  const wrap = h("div", { id: id + "-table", class: "table-wrap sr-only" }, table);
  toggle.addEventListener("click", () => {
    const open = wrap.classList.toggle("sr-only") === false;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = t(open ? "chart_hide_table" : "chart_show_table");
  });
  const fig = h("figure", { class: "chart", id }, cap, legend, svg, desc, toggle, wrap);
  let drawnAt = 0;
  const redraw = (w) => {
    w = Math.max(240, Math.floor(w));
    if (Math.abs(w - drawnAt) < 2) return;
    drawnAt = w;
    svg.replaceChildren(s("title", null, opts.title));
    const height = draw(svg, w, fmt);
    svg.setAttribute("width", String(w));
    svg.setAttribute("height", String(height));
    svg.setAttribute("viewBox", `0 0 ${w} ${height}`);
  };
  redraw(opts.width || 560); // a first drawing at once; the real width once laid out
  if (typeof ResizeObserver === "function") {
    new ResizeObserver((entries) => {
      const w = entries[0].contentRect.width;
      if (w > 0) redraw(w);
    }).observe(fig);
  }
  return fig;
}

function gridX(svg, x0, x1, top, bottom, max, fmt) {
  const step = x1 - x0 < 300 ? 2 : 1; // a narrow chart: ticks at 0, half and full only
  for (let i = 0; i <= 4; i += step) {
    const x = x0 + ((x1 - x0) * i) / 4;
    svg.append(s("line", { x1: x, x2: x, y1: top, y2: bottom, class: i ? "grid" : "axis" }));
    svg.append(s("text", { x, y: bottom + FONT + 4, "text-anchor": i === 0 ? "start" : i === 4 ? "end" : "middle", class: "tick" },
      fmt((max * i) / 4)));
  }
}

// niceMax: a round top for an axis of counts, so its four ticks are whole numbers
function niceMax(v) {
  if (v <= 4) return 4;
  const step = v / 4, p = 10 ** Math.floor(Math.log10(step));
  const m = [1, 2, 2.5, 5, 10].find((k) => k * p >= step);
  return Math.ceil(m * p) * 4;
}

// barChart: horizontal bars, one row per category with its label above the bar (long unit
// names fit on a phone); several series side by side, or stacked into one bar.
export function barChart(opts) {
  const max = opts.max || niceMax(Math.max(1, ...opts.series.flatMap((se) => (opts.stacked ? [] : se.values.map((v) => v || 0))),
    ...(opts.stacked ? opts.categories.map((_, r) => opts.series.reduce((a, se) => a + (se.values[r] || 0), 0)) : [])));
  return figure(opts, (svg, w, fmt) => {
    const nser = opts.stacked ? 1 : opts.series.length;
    const bar = 16, gap = 4, labelH = FONT + 6, rowGap = 12;
    const valW = opts.stacked ? 8 : 78;
    const x0 = 1, x1 = w - valW;
    const rowH = labelH + nser * bar + (nser - 1) * gap + rowGap;
    const top = 4, bottom = top + opts.categories.length * rowH;
    gridX(svg, x0, x1, top, bottom, max, opts.tickFmt);
    opts.categories.forEach((c, r) => {
      const y = top + r * rowH;
      const g = s("g", { class: "bar-row" });
      g.append(s("text", { x: x0 + 6, y: y + FONT, class: "bar-label" }, c));
      let acc = 0;
      opts.series.forEach((se, k) => {
        const v = se.values[r];
        const by = y + labelH + (opts.stacked ? 0 : k * (bar + gap));
        if (v === null || v === undefined) {
          if (!opts.stacked) g.append(s("text", { x: x0 + 4, y: by + bar - 3, class: "bar-none" }, t("chart_no_data")));
          return;
        }
        const bx = x0 + ((x1 - x0) * (opts.stacked ? acc : 0)) / max;
        const bw = Math.max(v > 0 ? 1 : 0, ((x1 - x0) * v) / max);
        acc += v;
        g.append(s("rect", { x: bx, y: by, width: bw, height: bar, fill: COLOURS[k % COLOURS.length], class: "bar" },
          s("title", null, `${c} — ${se.name}: ${fmt(v)}`)));
        if (!opts.stacked) g.append(s("text", { x: bx + bw + 6, y: by + bar - 3, class: "bar-value" }, fmt(v)));
      });
      svg.append(g);
    });
    return bottom + FONT + 10;
  });
}

// lineChart: one line per series over the categories (e.g. months), points marked with a
// different shape per series so the lines are told apart without colour.
export function lineChart(opts) {
  const max = opts.max || niceMax(Math.max(1, ...opts.series.flatMap((se) => se.values.map((v) => v || 0))));
  return figure(opts, (svg, w, fmt) => {
    const tickFmt = opts.tickFmt;
    const left = 52, right = 28, top = 10, plotH = 200, bottom = top + plotH;
    const n = opts.categories.length;
    const xAt = (i) => left + (n <= 1 ? (w - left - right) / 2 : ((w - left - right) * i) / (n - 1));
    const yAt = (v) => bottom - (plotH * v) / max;
    for (let i = 0; i <= 4; i++) {
      const y = yAt((max * i) / 4);
      svg.append(s("line", { x1: left, x2: w - right, y1: y, y2: y, class: i ? "grid" : "axis" }));
      svg.append(s("text", { x: left - 6, y: y + 5, "text-anchor": "end", class: "tick" }, tickFmt((max * i) / 4)));
    }
    // x labels: all of them when they fit, else every k-th
    const every = Math.max(1, Math.ceil((n * 44) / Math.max(1, w - left - right)));
    opts.categories.forEach((c, i) => {
      if (i % every === 0)
        svg.append(s("text", { x: xAt(i), y: bottom + FONT + 6, "text-anchor": "middle", class: "tick" }, c));
    });
    opts.series.forEach((se, k) => {
      const col = COLOURS[k % COLOURS.length];
      let d = "", pen = false;
      se.values.forEach((v, i) => {
        if (v === null || v === undefined) { pen = false; return; }
        d += (pen ? "L" : "M") + xAt(i).toFixed(1) + " " + yAt(v).toFixed(1) + " ";
        pen = true;
      });
      if (d) svg.append(s("path", { d, fill: "none", stroke: col, "stroke-width": 2.5, "stroke-dasharray": k % 2 ? "6 4" : null, class: "line" }));
      se.values.forEach((v, i) => {
        if (v === null || v === undefined) return;
        const x = xAt(i), y = yAt(v), tip = s("title", null, `${opts.categories[i]} — ${se.name}: ${fmt(v)}`);
        svg.append(k % 2
          ? s("rect", { x: x - 4.5, y: y - 4.5, width: 9, height: 9, fill: col, class: "point" }, tip)
          : s("circle", { cx: x, cy: y, r: 5, fill: col, class: "point" }, tip));
      });
    });
    return bottom + FONT + 14;
  });
}
