// lists.js: the work lists (/console/ho-so?queue=…): my queue, the unit's, due within 24 h,
// overdue, waiting for the applicant, online submissions waiting for acceptance, all; with
// filters (procedure, channel, status, received from/to, text) kept in the address, and
// keyset pagination ("Xem thêm") as GET /api/v1/dossiers offers it.
import { addDict, fmtDateTime, fmtNumber, h, t } from "/assets/js/lib.js";
import { errorBox, field, input, localError, parseDate, showError } from "/assets/js/console/ui.js";

addDict({
  c_lists_title: { vi: "Danh sách hồ sơ", en: "Dossiers" },
  c_q_mine: { vi: "Hồ sơ của tôi", en: "My queue" },
  c_q_unit: { vi: "Hồ sơ của đơn vị", en: "Unit queue" },
  c_q_due_soon: { vi: "Sắp đến hạn (24 giờ)", en: "Due within 24 h" },
  c_q_overdue: { vi: "Quá hạn", en: "Overdue" },
  c_q_waiting: { vi: "Chờ công dân", en: "Waiting for the applicant" },
  c_q_online: { vi: "Trực tuyến chờ tiếp nhận", en: "Online, to accept" },
  c_q_all: { vi: "Tất cả", en: "All" },
  c_queues: { vi: "Danh sách", en: "Lists" },
  c_filters: { vi: "Lọc hồ sơ", en: "Filter" },
  c_f_q: { vi: "Mã hồ sơ, người nộp, số giấy tờ", en: "Code, applicant, ID number" },
  c_f_procedure: { vi: "Mã thủ tục", en: "Procedure code" },
  c_f_channel: { vi: "Kênh nộp", en: "Channel" },
  c_f_status: { vi: "Trạng thái", en: "Status" },
  c_f_from: { vi: "Nhận từ ngày", en: "Received from" },
  c_f_to: { vi: "Đến ngày", en: "Received to" },
  c_f_any: { vi: "Tất cả", en: "Any" },
  c_f_apply: { vi: "Lọc", en: "Apply" },
  c_f_reset: { vi: "Bỏ lọc", en: "Clear" },
  c_date_hint: { vi: "dd/mm/yyyy", en: "dd/mm/yyyy" },
  c_date_bad: { vi: "Ngày phải có dạng dd/mm/yyyy, ví dụ 05/02/2026", en: "A date is dd/mm/yyyy, e.g. 05/02/2026" },
  c_col_code: { vi: "Mã hồ sơ", en: "Code" },
  c_col_procedure: { vi: "Thủ tục", en: "Procedure" },
  c_col_applicant: { vi: "Chủ hồ sơ", en: "Applicant" },
  c_col_channel: { vi: "Kênh", en: "Channel" },
  c_col_state: { vi: "Trạng thái", en: "Status" },
  c_col_received: { vi: "Ngày nhận", en: "Received" },
  c_col_due: { vi: "Hẹn trả", en: "Due" },
  c_flag_overdue: { vi: "Quá hạn", en: "Overdue" },
  c_flag_due_soon: { vi: "Sắp đến hạn", en: "Due soon" },
  c_flag_online: { vi: "Trực tuyến", en: "Online" },
  c_count: { vi: "Đang hiển thị {n} hồ sơ", en: "Showing {n} dossiers" },
  c_more: { vi: "Xem thêm", en: "Show more" },
  c_none: { vi: "Không có hồ sơ nào trong danh sách này.", en: "No dossier in this list." },
  c_due_none: { vi: "Chưa có", en: "Not yet" },
  st_submitted: { vi: "Mới đăng ký", en: "Submitted" },
  st_accepted: { vi: "Được tiếp nhận", en: "Accepted" },
  st_refused: { vi: "Không được tiếp nhận", en: "Refused" },
  st_processing: { vi: "Đang xử lý", en: "Processing" },
  st_waiting_supplement: { vi: "Yêu cầu bổ sung", en: "Supplement asked" },
  st_waiting_payment: { vi: "Yêu cầu thực hiện nghĩa vụ tài chính", en: "Waiting for payment" },
  st_withdrawn: { vi: "Công dân rút hồ sơ", en: "Withdrawn" },
  st_stopped: { vi: "Dừng xử lý", en: "Stopped" },
  st_result_ready: { vi: "Đã xử lý xong", en: "Result ready" },
  st_returned: { vi: "Đã trả kết quả", en: "Returned" },
  st_lapsed: { vi: "Dừng xử lý (quá hạn bổ sung)", en: "Closed (supplement period over)" },
});

export const STATES = ["submitted", "accepted", "refused", "processing", "waiting_supplement", "waiting_payment",
  "withdrawn", "stopped", "result_ready", "returned", "lapsed"];
export const CHANNELS = ["direct", "online", "postal"];

// the tabs: [key, query parameters]
const QUEUES = [
  ["mine", { queue: "mine" }],
  ["unit", { queue: "unit" }],
  ["due_soon", { queue: "due_soon" }],
  ["overdue", { queue: "overdue" }],
  ["waiting", { queue: "waiting" }],
  ["online", { queue: "all", status: "submitted" }],
  ["all", { queue: "all" }],
];
const FILTERS = ["q", "procedure", "channel", "status", "from", "to"];
const PAGE = 50;

export function stateLabel(state, vi) {
  return t("st_" + state) !== "st_" + state ? t("st_" + state) : vi || state;
}

// urgency: "overdue", "due_soon" or "" for a dossier whose clock runs
export function urgency(d, now = Date.now()) {
  if (!d.due_at || !(d.state === "accepted" || d.state === "processing")) return "";
  const due = Date.parse(d.due_at);
  if (due < now) return "overdue";
  if (due - now < 24 * 3600 * 1000) return "due_soon";
  return "";
}

export function urgencyFlag(u) {
  return u ? h("span", { class: "flag flag-" + u.replace("_", "-") }, t("c_flag_" + u)) : null;
}

function defaultQueue(ctx) {
  return ctx.hasRole("specialist") && !ctx.hasRole("receiver") && !ctx.hasRole("leader") ? "mine" : "unit";
}

function tabOf(params) {
  const q = params.get("queue");
  if (q === "all" && params.get("status") === "submitted") return "online";
  return QUEUES.some(([k]) => k === q) ? q : null;
}

// iso dates of the address shown as dd/mm/yyyy in the filter
function dmy(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso || "";
}

export async function render(page, ctx) {
  const params = ctx.params;
  const tab = tabOf(params) || defaultQueue(ctx);
  const tabParams = QUEUES.find(([k]) => k === tab)[1];
  page.append(h("h1", { tabindex: "-1" }, t("c_lists_title") + " — " + t("c_q_" + tab)));

  page.append(h("nav", { "aria-label": t("c_queues") }, h("ul", { class: "tabs" }, QUEUES.map(([k, qp]) => {
    const qs = new URLSearchParams(qp);
    return h("li", null, h("a", { href: "/console/ho-so?" + qs, "aria-current": k === tab ? "page" : null }, t("c_q_" + k)));
  }))));

  // ---- filters, kept in the address so a list can be bookmarked and comes back on reload
  const f = {
    q: input({ type: "search", name: "q", value: params.get("q") || "", autocomplete: "off", maxlength: "200" }),
    procedure: input({ name: "procedure", value: params.get("procedure") || "", autocomplete: "off", maxlength: "40" }),
    channel: h("select", { name: "channel" }, h("option", { value: "" }, t("c_f_any")),
      CHANNELS.map((c) => h("option", { value: c, selected: params.get("channel") === c }, t("ch_" + c)))),
    status: h("select", { name: "status" }, h("option", { value: "" }, t("c_f_any")),
      STATES.map((s) => h("option", { value: s, selected: params.get("status") === s }, stateLabel(s)))),
    from: input({ name: "from", value: dmy(params.get("from")), inputmode: "numeric", placeholder: "dd/mm/yyyy", maxlength: "10" }),
    to: input({ name: "to", value: dmy(params.get("to")), inputmode: "numeric", placeholder: "dd/mm/yyyy", maxlength: "10" }),
  };
  if (tab === "online") f.status.disabled = true;
  const form = h("form", { class: "filters", role: "search", "aria-label": t("c_filters"), novalidate: true, on: { submit: (ev) => {
    ev.preventDefault();
    const qs = new URLSearchParams(tabParams);
    for (const k of FILTERS) {
      if (k === "status" && tab === "online") continue;
      let v = f[k].value.trim();
      if ((k === "from" || k === "to") && v) {
        const iso = parseDate(v);
        if (iso === null) return showError(form, localError(k, t("c_date_bad")));
        v = iso;
      }
      if (v) qs.set(k, v);
    }
    ctx.navigate("/console/ho-so?" + qs);
  } } },
  field(t("c_f_q"), f.q, { name: "q" }),
  field(t("c_f_procedure"), f.procedure, { name: "procedure" }),
  field(t("c_f_channel"), f.channel, { name: "channel" }),
  field(t("c_f_status"), f.status, { name: "status" }),
  field(t("c_f_from"), f.from, { name: "from" }),
  field(t("c_f_to"), f.to, { name: "to" }),
  h("div", { class: "btn-row" },
    h("button", { type: "submit", class: "btn btn-small" }, t("c_f_apply")),
    h("a", { href: "/console/ho-so?" + new URLSearchParams(tabParams), class: "btn btn-small btn-quiet" }, t("c_f_reset"))));
  page.append(form);

  // ---- the list
  const body = h("tbody");
  const table = h("div", { class: "table-wrap" }, h("table", { class: "worklist" },
    h("caption", { class: "count", role: "status" }),
    h("thead", null, h("tr", null, ["c_col_code", "c_col_procedure", "c_col_applicant", "c_col_channel", "c_col_state", "c_col_received", "c_col_due"]
      .map((k) => h("th", { scope: "col" }, t(k))))),
    body));
  const caption = table.querySelector("caption");
  const more = h("button", { type: "button", class: "btn btn-quiet", hidden: true }, t("c_more"));
  page.append(table, h("div", { class: "btn-row" }, more));

  const qs = new URLSearchParams(tabParams);
  for (const k of FILTERS) if (params.get(k) && !(k === "status" && tab === "online")) qs.set(k, params.get(k));
  // a date of the filter is a civil day; "to" includes its day
  if (qs.get("to")) {
    const d = new Date(qs.get("to") + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + 1);
    qs.set("to", d.toISOString().slice(0, 10));
  }
  qs.set("limit", String(PAGE));
  let cursor = null, shown = 0;
  async function load() {
    if (cursor) qs.set("cursor", cursor);
    const r = await ctx.api("GET", "/dossiers?" + qs);
    const now = Date.now();
    for (const d of r.items) {
      const u = urgency(d, now);
      body.append(h("tr", { class: u ? "row-" + u.replace("_", "-") : null },
        h("td", { class: "code" }, h("a", { href: "/console/ho-so/" + encodeURIComponent(d.code) }, d.code)),
        h("td", null, d.procedure.name),
        h("td", null, d.applicant ? d.applicant.name : ""),
        h("td", null, t("ch_" + d.channel)),
        h("td", null, stateLabel(d.state, d.state_vi)),
        h("td", null, fmtDateTime(d.received_at || d.submitted_at)),
        h("td", null, d.due_at ? fmtDateTime(d.due_at) : t("c_due_none"), urgencyFlag(u))));
    }
    shown += r.items.length;
    cursor = r.next_cursor;
    more.hidden = !cursor;
    caption.textContent = shown ? t("c_count", { n: fmtNumber(shown) + (cursor ? "+" : "") }) : t("c_none");
  }
  more.addEventListener("click", async () => {
    more.disabled = true;
    try { await load(); } catch (e) { more.after(errorBox(e)); }
    more.disabled = false;
    ctx.drawn();
  });
  await load();
}
