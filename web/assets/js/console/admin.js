// admin.js: the console's administration (/console/quan-tri/...), loaded by app.js on
// demand with render(main, ctx). Sections (ctx.path):
//   /don-vi[/{id}]           the unit tree; one unit: rename, recode, close, working hours,
//                            add a unit under it
//   /nguoi-dung[/moi|/{id}]  users and their roles per unit: list, create, change, disable
//   /thu-tuc[/{code}]        the catalogue: search, import a file (with a dry run), one
//                            procedure's versions and what changed between two of them
//   /lich[?nam=YYYY]         a year's days off and make-up working days, editable
// Administrators see everything; a unit administrator the units and users (what the API
// lets them manage); anyone else is told they have no right to this page. Every form shows
// the server's error next to the field it names, and keeps what was typed.
import { addDict, ApiError, fmtDate, fmtDateTime, fmtNumber, getLang, h, t } from "/assets/js/lib.js";
import { busy, clearErrors, dl, errorBox, field, input, localError, parseDate, showError } from "/assets/js/console/ui.js";

addDict({
  a_title: { vi: "Quản trị hệ thống", en: "Administration" },
  a_sections: { vi: "Mục quản trị", en: "Sections" },
  a_units: { vi: "Đơn vị", en: "Units" },
  a_users: { vi: "Người dùng và vai trò", en: "Users and roles" },
  a_procs: { vi: "Thủ tục hành chính", en: "Procedures" },
  a_calendar: { vi: "Lịch làm việc", en: "Working calendar" },
  a_forbidden: { vi: "Bạn không có quyền quản trị. Trang này dành cho quản trị hệ thống.", en: "You have no administration rights. This page is for system administrators." },
  a_forbidden_h: { vi: "Không có quyền truy cập", en: "No access" },
  a_saved: { vi: "Đã lưu.", en: "Saved." },
  a_save: { vi: "Lưu", en: "Save" },
  a_cancel: { vi: "Quay lại", en: "Back" },
  a_edit: { vi: "Sửa", en: "Edit" },
  a_yes: { vi: "Có", en: "Yes" },
  a_no: { vi: "Không", en: "No" },
  a_more: { vi: "Xem thêm", en: "Show more" },
  a_date_hint: { vi: "Ngày/tháng/năm, ví dụ 01/07/2025. Để trống nếu không có.", en: "Day/month/year, e.g. 01/07/2025. Leave empty if none." },
  a_date_bad: { vi: "Ngày phải viết theo dạng ngày/tháng/năm, ví dụ 01/07/2025.", en: "Write the date as day/month/year, e.g. 01/07/2025." },
  // units
  a_u_name: { vi: "Tên đơn vị", en: "Name" },
  a_u_code: { vi: "Mã định danh (QCVN 102)", en: "Identifier (QCVN 102)" },
  a_u_code_hint: { vi: "13 ký tự, ví dụ 001.01.00.H34. Để trống nếu chưa có.", en: "13 characters, e.g. 001.01.00.H34. Empty if none." },
  a_u_kind: { vi: "Loại đơn vị", en: "Kind" },
  a_u_from: { vi: "Hiệu lực từ ngày", en: "In force from" },
  a_u_to: { vi: "Hết hiệu lực từ ngày (đóng đơn vị)", en: "In force until (closes the unit)" },
  a_u_closed: { vi: "đã đóng", en: "closed" },
  a_u_hours: { vi: "Giờ làm việc", en: "Working hours" },
  a_u_hours_hint: { vi: "Ví dụ: mon-fri 07:00-11:30 13:30-17:00. Để trống để dùng giờ chung của tỉnh.", en: "E.g. mon-fri 07:00-11:30 13:30-17:00. Empty for the province's default." },
  a_u_hours_own: { vi: "Giờ riêng của đơn vị", en: "The unit's own hours" },
  a_u_hours_default: { vi: "Đang dùng giờ chung", en: "Using the default hours" },
  a_u_aliases: { vi: "Tên, mã cũ (trước sáp nhập, đổi tên)", en: "Former names and codes" },
  a_u_contact: { vi: "Đường dây nóng và thư điện tử nhận phản ánh (công khai trên Cổng)", en: "Hotline and feedback e-mail (published on the portal)" },
  a_u_hotline: { vi: "Số đường dây nóng", en: "Hotline" },
  a_u_hotline_hint: { vi: "Ví dụ 0258 3822 000; để trống nếu không có.", en: "E.g. 0258 3822 000; empty if none." },
  a_u_email: { vi: "Thư điện tử nhận phản ánh", en: "Feedback e-mail" },
  a_u_add: { vi: "Thêm đơn vị trực thuộc", en: "Add a unit under this one" },
  a_u_add_btn: { vi: "Thêm đơn vị", en: "Add the unit" },
  a_u_added: { vi: "Đã thêm đơn vị {name}.", en: "Unit {name} added." },
  a_u_tree: { vi: "Cây đơn vị", en: "The unit tree" },
  a_u_parent: { vi: "Trực thuộc", en: "Under" },
  kind_province: { vi: "Tỉnh, thành phố", en: "Province" },
  kind_commune: { vi: "Xã, phường, đặc khu", en: "Commune" },
  kind_district: { vi: "Huyện (cũ)", en: "District (former)" },
  kind_department: { vi: "Sở, ban, ngành", en: "Department" },
  kind_service_centre: { vi: "Trung tâm phục vụ hành chính công", en: "Public service centre" },
  kind_office: { vi: "Phòng, văn phòng", en: "Office" },
  kind_ministry: { vi: "Bộ, ngành trung ương", en: "Ministry" },
  // users
  a_user_new: { vi: "Thêm người dùng", en: "Add a user" },
  a_user_edit: { vi: "Sửa người dùng {name}", en: "Edit user {name}" },
  a_user_username: { vi: "Tên đăng nhập", en: "User name" },
  a_user_username_hint: { vi: "3–64 ký tự a-z, 0-9, dấu chấm, gạch ngang, gạch dưới; ví dụ tn.camranh2.", en: "3–64 of a-z, 0-9, dot, hyphen, underscore; e.g. tn.camranh2." },
  a_user_full_name: { vi: "Họ và tên", en: "Full name" },
  a_user_email: { vi: "Thư điện tử", en: "E-mail" },
  a_user_phone: { vi: "Số điện thoại", en: "Phone" },
  a_user_password: { vi: "Mật khẩu", en: "Password" },
  a_user_password_new: { vi: "Mật khẩu mới (để trống nếu không đổi)", en: "New password (empty to keep)" },
  a_user_password_hint: { vi: "Ít nhất 8 ký tự.", en: "At least 8 characters." },
  a_user_roles: { vi: "Vai trò", en: "Roles" },
  a_user_role: { vi: "Vai trò {n}", en: "Role {n}" },
  a_user_role_unit: { vi: "Tại đơn vị (vai trò {n})", en: "At unit (role {n})" },
  a_user_role_add: { vi: "Thêm vai trò", en: "Add a role" },
  a_user_role_remove: { vi: "Bỏ vai trò {n}", en: "Remove role {n}" },
  a_user_disabled: { vi: "Khóa tài khoản (không đăng nhập được)", en: "Disabled (cannot log in)" },
  a_user_status: { vi: "Trạng thái", en: "Status" },
  a_user_active: { vi: "Đang hoạt động", en: "Active" },
  a_user_locked: { vi: "Đã khóa", en: "Disabled" },
  a_user_created: { vi: "Đã tạo người dùng {name}.", en: "User {name} created." },
  a_user_create_btn: { vi: "Tạo người dùng", en: "Create the user" },
  a_user_none_role: { vi: "(chưa có vai trò)", en: "(no role)" },
  // procedures
  a_p_list: { vi: "Danh mục thủ tục đang áp dụng", en: "The catalogue in force" },
  a_p_search: { vi: "Tìm thủ tục (tên hoặc mã, không cần dấu)", en: "Find a procedure (name or code)" },
  a_p_search_btn: { vi: "Tìm", en: "Search" },
  a_p_code: { vi: "Mã thủ tục", en: "Code" },
  a_p_name: { vi: "Tên thủ tục", en: "Name" },
  a_p_online: { vi: "Trực tuyến", en: "Online" },
  a_p_import: { vi: "Nhập danh mục từ tệp", en: "Import from a file" },
  a_p_import_file: { vi: "Tệp danh mục (JSON, CSV hoặc Excel .xlsx)", en: "Catalogue file (JSON, CSV or Excel .xlsx)" },
  a_p_import_hint: { vi: "Tệp của Cơ sở dữ liệu quốc gia về TTHC, tệp xuất danh sách từ Cổng, hoặc CSV có dòng tiêu đề.", en: "The national TTHC database's records, the portal's list export, or CSV with a header row." },
  a_p_dry: { vi: "Chỉ kiểm tra, chưa ghi (chạy thử)", en: "Check only, write nothing (dry run)" },
  a_p_import_btn: { vi: "Nhập tệp", en: "Import" },
  a_p_need_file: { vi: "Hãy chọn một tệp.", en: "Choose a file." },
  a_p_report: { vi: "Kết quả: thêm mới {added}, cập nhật {updated}, không đổi {unchanged}, bị từ chối {rejected}.", en: "Added {added}, updated {updated}, unchanged {unchanged}, rejected {rejected}." },
  a_p_report_dry: { vi: "Chạy thử — chưa ghi gì.", en: "Dry run — nothing written." },
  a_p_row: { vi: "Dòng", en: "Record" },
  a_p_outcome: { vi: "Kết quả", en: "Outcome" },
  a_p_reason: { vi: "Lý do, thay đổi", en: "Reason, changes" },
  out_added: { vi: "Thêm mới", en: "Added" },
  out_updated: { vi: "Cập nhật", en: "Updated" },
  out_unchanged: { vi: "Không đổi", en: "Unchanged" },
  out_rejected: { vi: "Bị từ chối", en: "Rejected" },
  a_p_versions: { vi: "Các phiên bản", en: "Versions" },
  a_p_version: { vi: "Phiên bản", en: "Version" },
  a_p_effective: { vi: "Hiệu lực từ", en: "In force from" },
  a_p_decision: { vi: "Quyết định công bố", en: "Decision" },
  a_p_source: { vi: "Nguồn", en: "Source" },
  a_p_note: { vi: "Ghi chú", en: "Note" },
  a_p_time: { vi: "Thời hạn (trực tiếp)", en: "Time (counter)" },
  a_p_fee: { vi: "Phí, lệ phí (trực tiếp)", en: "Fee (counter)" },
  a_p_compare: { vi: "So sánh hai phiên bản", en: "Compare two versions" },
  a_p_from: { vi: "Phiên bản cũ", en: "Older version" },
  a_p_to: { vi: "Phiên bản mới", en: "Newer version" },
  a_p_compare_btn: { vi: "So sánh", en: "Compare" },
  a_p_no_changes: { vi: "Hai phiên bản không khác nhau.", en: "The two versions do not differ." },
  a_p_field: { vi: "Nội dung", en: "Field" },
  a_p_before: { vi: "Trước", en: "Before" },
  a_p_after: { vi: "Sau", en: "After" },
  a_p_change: { vi: "Thay đổi", en: "Change" },
  a_p_in_force: { vi: "đang áp dụng", en: "in force" },
  a_p_public: { vi: "Xem trên Cổng", en: "See on the portal" },
  a_p_days: { vi: "{n} ngày làm việc", en: "{n} working days" },
  a_p_cdays: { vi: "{n} ngày", en: "{n} days" },
  a_p_hours: { vi: "{n} giờ làm việc", en: "{n} working hours" },
  // calendar
  a_c_year: { vi: "Năm", en: "Year" },
  a_c_show: { vi: "Xem", en: "Show" },
  a_c_title: { vi: "Lịch làm việc năm {y}", en: "Working calendar {y}" },
  a_c_status: { vi: "Tình trạng", en: "Status" },
  a_c_confirmed: { vi: "Đã xác nhận theo văn bản", en: "Confirmed by notice" },
  a_c_proposed: { vi: "Dự kiến (chưa có văn bản)", en: "Proposed (no notice yet)" },
  a_c_source: { vi: "Nguồn", en: "Source" },
  src_store: { vi: "Quản trị viên đã sửa", en: "Edited by an administrator" },
  src_data: { vi: "Theo văn bản (kèm phần mềm)", en: "From the notices (shipped)" },
  src_proposed: { vi: "Tính theo Bộ luật Lao động 2019", en: "Computed from the Labour Code 2019" },
  a_c_hours: { vi: "Giờ làm việc chung", en: "Default working hours" },
  a_c_notices: { vi: "Văn bản", en: "Notices" },
  a_c_off: { vi: "Ngày nghỉ", en: "Days off" },
  a_c_work: { vi: "Ngày làm bù (thứ Bảy, Chủ nhật đi làm)", en: "Make-up working days" },
  a_c_date: { vi: "Ngày", en: "Date" },
  a_c_weekday: { vi: "Thứ", en: "Weekday" },
  a_c_reason: { vi: "Lý do", en: "Reason" },
  a_c_none: { vi: "Không có.", en: "None." },
  a_c_edit: { vi: "Sửa lịch năm {y}", en: "Edit the {y} calendar" },
  a_c_not_editable: { vi: "Chỉ sửa được lịch các năm 2010–2060.", en: "Only the years 2010–2060 can be edited." },
  a_c_row_date: { vi: "Ngày ({what} {n})", en: "Date ({what} {n})" },
  a_c_row_reason: { vi: "Lý do ({what} {n})", en: "Reason ({what} {n})" },
  a_c_off_one: { vi: "ngày nghỉ", en: "day off" },
  a_c_work_one: { vi: "ngày làm bù", en: "working day" },
  a_c_add_off: { vi: "Thêm ngày nghỉ", en: "Add a day off" },
  a_c_add_work: { vi: "Thêm ngày làm bù", en: "Add a working day" },
  a_c_remove: { vi: "Bỏ dòng {n}", en: "Remove row {n}" },
  a_c_notices_field: { vi: "Văn bản quy định (mỗi dòng một văn bản)", en: "Notices (one a line)" },
  a_c_notices_hint: { vi: "Bắt buộc khi lịch đã xác nhận; tối đa 4 văn bản.", en: "Required once confirmed; at most 4." },
  a_c_rows_hint: { vi: "Ngày viết theo dạng ngày/tháng/năm, ví dụ 16/02/2026; lý do tối đa 200 ký tự.", en: "Dates as day/month/year, e.g. 16/02/2026; reasons up to 200 characters." },
  a_c_save: { vi: "Lưu lịch", en: "Save the calendar" },
});

const BASE = "/console/quan-tri";
const ROLES = ["admin", "receiver", "specialist", "dept_head", "leader", "clerk", "cashier", "unit_admin", "inspector", "auditor"];
const KINDS = ["province", "commune", "district", "department", "service_centre", "office", "ministry"];
const WEEKDAYS = {
  vi: ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"],
  en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
};

// the sections, and who may open them (the API decides in the end)
const SECTIONS = [
  { path: "/don-vi", key: "a_units", roles: ["admin", "unit_admin"], view: viewUnits },
  { path: "/nguoi-dung", key: "a_users", roles: ["admin", "unit_admin"], view: viewUsers },
  { path: "/thu-tuc", key: "a_procs", roles: ["admin"], view: viewProcedures },
  { path: "/lich", key: "a_calendar", roles: ["admin"], view: viewCalendar },
];

let flash = ""; // "saved": said once on the page drawn after a save

function ensureCss() {
  if (document.querySelector('link[data-css="stats"]')) return;
  document.head.append(h("link", { rel: "stylesheet", href: "/assets/css/stats.css", "data-css": "stats" }));
}

export async function render(page, ctx) {
  ensureCss();
  const allowed = SECTIONS.filter((s) => s.roles.some((r) => ctx.hasRole(r)));
  if (!allowed.length) {
    put(page, h("h1", { tabindex: "-1" }, t("a_forbidden_h")), h("p", { class: "alert", role: "alert" }, t("a_forbidden")));
    return;
  }
  const path = ctx.path.replace(/\/+$/, "");
  const sec = allowed.find((s) => path === s.path || path.startsWith(s.path + "/"));
  if (!sec) {
    if (path && SECTIONS.some((s) => path.startsWith(s.path))) {
      put(page, h("h1", { tabindex: "-1" }, t("a_forbidden_h")), h("p", { class: "alert", role: "alert" }, t("a_forbidden")));
      return;
    }
    ctx.navigate(BASE + allowed[0].path, { replace: true });
    put(page, h("h1", { tabindex: "-1" }, t("a_title")));
    return;
  }
  const nav = h("nav", { "aria-label": t("a_sections") }, h("ul", { class: "tabs" }, allowed.map((s) =>
    h("li", null, h("a", { href: BASE + s.path, "aria-current": s === sec ? "page" : null }, t(s.key))))));
  const body = h("div");
  const rest = path.slice(sec.path.length).replace(/^\//, "");
  await sec.view(body, ctx, rest ? decodeURIComponent(rest) : "");
  const h1 = body.querySelector("h1");
  if (h1) h1.after(nav); else body.prepend(nav);
  if (flash) {
    nav.after(h("p", { class: "notice", role: "status" }, flash));
    flash = "";
  }
  put(page, ...body.childNodes);
}

// put: append what is there (DOM append would write a null as the text "null")
function put(el, ...items) {
  el.append(...items.filter((x) => x !== null && x !== undefined && x !== false));
}

function saved(ctx, url, msg) {
  flash = msg || t("a_saved");
  ctx.navigate(url, { replace: true });
}

function dateIn(name, value) {
  return input({ name, value: fmtDate(value || ""), inputmode: "numeric", autocomplete: "off", size: "10" });
}

// dateOf: a typed dd/mm/yyyy as YYYY-MM-DD, null for empty; throws the field's error when bad
function dateOf(el, fieldName) {
  const v = parseDate(el.value);
  if (v === null) throw localError(fieldName, t("a_date_bad"));
  return v || null;
}

function select(name, options, value) {
  return h("select", { name }, options.map(([v, label]) => h("option", { value: v, selected: String(v) === String(value) }, label)));
}

// ---- units ----
async function flatUnits(ctx) {
  const r = await ctx.api("GET", "/units");
  const out = [];
  const walk = (u, depth) => { out.push(Object.assign({}, u, { depth })); for (const c of u.children || []) walk(c, depth + 1); };
  for (const u of r.items || []) walk(u, 0);
  return { tree: r.items || [], flat: out };
}

async function viewUnits(page, ctx, rest) {
  if (rest) return viewUnit(page, ctx, rest);
  const { tree } = await flatUnits(ctx);
  const item = (u) => h("li", null,
    h("a", { href: `${BASE}/don-vi/${u.id}` }, u.name),
    h("span", { class: "sub" }, [u.code || "—", t("kind_" + u.kind), u.closed ? t("a_u_closed") : null].filter(Boolean).join(" · ")),
    u.children && u.children.length ? h("ul", null, u.children.map(item)) : null);
  put(page, h("h1", { tabindex: "-1" }, t("a_units")),
    h("section", { "aria-labelledby": "u-tree-h" }, h("h2", { id: "u-tree-h", class: "sr-only" }, t("a_u_tree")),
      h("ul", { class: "unit-tree", "data-testid": "unit-tree" }, tree.map(item))));
}

async function viewUnit(page, ctx, id) {
  const [u, hours] = await Promise.all([ctx.api("GET", "/units/" + encodeURIComponent(id)), ctx.api("GET", `/units/${encodeURIComponent(id)}/hours`)]);
  const f = {
    name: input({ name: "name", value: u.name, maxlength: "200" }),
    code: input({ name: "code", value: u.code || "", maxlength: "13", spellcheck: "false" }),
    kind: select("kind", KINDS.map((k) => [k, t("kind_" + k)]), u.kind),
    effective_from: dateIn("effective_from", u.effective_from),
    effective_to: dateIn("effective_to", u.effective_to),
  };
  const send = h("button", { type: "submit", class: "btn" }, t("a_save"));
  const form = h("form", { class: "admin-form", novalidate: true }, 
    field(t("a_u_name"), f.name, { name: "name", required: true }),
    h("div", { class: "row" }, field(t("a_u_code"), f.code, { name: "code", hint: t("a_u_code_hint") }), field(t("a_u_kind"), f.kind, { name: "kind" })),
    h("div", { class: "row" }, field(t("a_u_from"), f.effective_from, { name: "effective_from", hint: t("a_date_hint") }),
      field(t("a_u_to"), f.effective_to, { name: "effective_to", hint: t("a_date_hint") })),
    h("div", { class: "actions" }, send));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      const body = { name: f.name.value.trim(), kind: f.kind.value, code: f.code.value.trim() || null,
        effective_from: dateOf(f.effective_from, "effective_from"), effective_to: dateOf(f.effective_to, "effective_to") };
      busy(send, true);
      await ctx.api("PATCH", "/units/" + u.id, body);
      saved(ctx, `${BASE}/don-vi/${u.id}`);
    } catch (e) {
      busy(send, false);
      showError(form, e);
    }
  });

  // working hours: the unit's own, or the default
  const hoursIn = input({ name: "working_hours", value: hours.own ? hours.working_hours : "", maxlength: "100", spellcheck: "false", placeholder: hours.own ? "" : hours.working_hours });
  const hSend = h("button", { type: "submit", class: "btn" }, t("a_save"));
  const hForm = h("form", { class: "admin-form", novalidate: true },
    h("p", null, hours.own ? t("a_u_hours_own") : t("a_u_hours_default") + ": " + hours.working_hours),
    field(t("a_u_hours"), hoursIn, { name: "working_hours", hint: t("a_u_hours_hint") }),
    h("div", { class: "actions" }, hSend));
  hForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(hForm);
    busy(hSend, true);
    try {
      await ctx.api("PUT", `/units/${u.id}/hours`, { working_hours: hoursIn.value.trim() || null });
      saved(ctx, `${BASE}/don-vi/${u.id}`);
    } catch (e) {
      busy(hSend, false);
      showError(hForm, e);
    }
  });

  // the published hotline and feedback e-mail
  const contact = await ctx.api("GET", `/units/${u.id}/contact`);
  const hot = input({ type: "tel", name: "hotline", value: contact.hotline || "", maxlength: "32", autocomplete: "off" });
  const mail = input({ type: "email", name: "email", value: contact.email || "", maxlength: "254", autocomplete: "off" });
  const cSend = h("button", { type: "submit", class: "btn" }, t("a_save"));
  const cForm = h("form", { class: "admin-form", novalidate: true, "data-testid": "contact-form" },
    h("div", { class: "row" }, field(t("a_u_hotline"), hot, { name: "hotline", hint: t("a_u_hotline_hint") }), field(t("a_u_email"), mail, { name: "email" })),
    h("div", { class: "actions" }, cSend));
  cForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(cForm);
    busy(cSend, true);
    try {
      await ctx.api("PUT", `/units/${u.id}/contact`, { hotline: hot.value.trim() || null, email: mail.value.trim() || null });
      saved(ctx, `${BASE}/don-vi/${u.id}`);
    } catch (e) {
      busy(cSend, false);
      showError(cForm, e);
    }
  });

  // a unit under this one
  const n = { name: input({ name: "name", maxlength: "200" }), kind: select("kind", KINDS.map((k) => [k, t("kind_" + k)]), "commune"),
    code: input({ name: "code", maxlength: "13", spellcheck: "false" }) };
  const nSend = h("button", { type: "submit", class: "btn" }, t("a_u_add_btn"));
  const nForm = h("form", { class: "admin-form", novalidate: true },
    field(t("a_u_name"), n.name, { name: "name", required: true }),
    h("div", { class: "row" }, field(t("a_u_code"), n.code, { name: "code", hint: t("a_u_code_hint") }), field(t("a_u_kind"), n.kind, { name: "kind" })),
    h("div", { class: "actions" }, nSend));
  nForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(nForm);
    busy(nSend, true);
    try {
      const c = await ctx.api("POST", "/units", { parent_id: u.id, name: n.name.value.trim(), kind: n.kind.value, code: n.code.value.trim() || null });
      saved(ctx, `${BASE}/don-vi/${c.id}`, t("a_u_added", { name: c.name }));
    } catch (e) {
      busy(nSend, false);
      showError(nForm, e);
    }
  });

  put(page, h("p", { class: "crumbs" }, h("a", { href: BASE + "/don-vi" }, t("a_units"))),
    h("h1", { tabindex: "-1" }, u.name),
    form,
    h("section", { "aria-labelledby": "u-h-h" }, h("h2", { id: "u-h-h" }, t("a_u_hours")), hForm),
    h("section", { "aria-labelledby": "u-c-h" }, h("h2", { id: "u-c-h" }, t("a_u_contact")), cForm),
    u.aliases && u.aliases.length ? h("section", { "aria-labelledby": "u-a-h" }, h("h2", { id: "u-a-h" }, t("a_u_aliases")),
      h("ul", null, u.aliases.map((a) => h("li", null, a.old_name + (a.old_code ? " (" + a.old_code + ")" : "") + (a.since ? " — " + fmtDate(a.since) : ""))))) : null,
    h("section", { "aria-labelledby": "u-n-h" }, h("h2", { id: "u-n-h" }, t("a_u_add")), nForm));
}

// ---- users ----
function roleText(g) { return t("role_" + g.role) + " — " + (g.unit_name || g.unit); }

async function viewUsers(page, ctx, rest) {
  if (rest) return viewUser(page, ctx, rest);
  const r = await ctx.api("GET", "/users?limit=500");
  put(page, h("h1", { tabindex: "-1" }, t("a_users")),
    h("p", null, h("a", { class: "btn", href: BASE + "/nguoi-dung/moi" }, t("a_user_new"))),
    h("div", { class: "table-wrap" }, h("table", { class: "figures", "data-testid": "users" },
      h("thead", null, h("tr", null, ["a_user_username", "a_user_full_name", "a_user_roles", "a_user_status"].map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", null, (r.items || []).map((u) => h("tr", { "data-user": u.username },
        h("th", { scope: "row" }, h("a", { href: `${BASE}/nguoi-dung/${u.id}` }, u.username)),
        h("td", null, u.full_name),
        h("td", null, u.roles.length ? u.roles.map((g) => h("span", { class: "sub" }, roleText(g))) : t("a_user_none_role")),
        h("td", null, u.disabled ? h("strong", null, t("a_user_locked")) : t("a_user_active"))))))));
}

async function viewUser(page, ctx, id) {
  const isNew = id === "moi";
  const [{ flat }, u] = await Promise.all([flatUnits(ctx), isNew ? null : ctx.api("GET", "/users/" + encodeURIComponent(id))]);
  // a unit administrator grants roles within the subtrees of their own units only
  const mine = new Set(ctx.me.roles.filter((g) => g.role === "admin" || g.role === "unit_admin").map((g) => g.unit));
  const within = new Set();
  for (const x of flat) if (mine.has(x.id) || within.has(x.parent_id)) within.add(x.id);
  const unitOpts = flat.filter((x) => !x.closed && (ctx.hasRole("admin") || within.has(x.id)))
    .map((x) => [x.id, "\u00a0\u00a0".repeat(x.depth) + x.name]);
  const f = {
    username: input({ name: "username", value: u ? u.username : "", autocomplete: "off", autocapitalize: "none", spellcheck: "false", maxlength: "64", disabled: !isNew }),
    full_name: input({ name: "full_name", value: u ? u.full_name : "", maxlength: "160", autocomplete: "off" }),
    email: input({ type: "email", name: "email", value: (u && u.email) || "", maxlength: "254", autocomplete: "off" }),
    phone: input({ type: "tel", name: "phone", value: (u && u.phone) || "", maxlength: "20", autocomplete: "off" }),
    password: input({ type: "password", name: "password", autocomplete: "new-password", maxlength: "128" }),
    disabled: h("input", { type: "checkbox", name: "disabled", id: "user-disabled", checked: !!(u && u.disabled) }),
  };
  // roles: one row per grant (role at unit); the API replaces them all at once
  const rolesBox = h("div", { class: "roles" });
  const addRole = (g) => {
    const n = rolesBox.children.length;
    const role = select("role", ROLES.map((r) => [r, t("role_" + r)]), g ? g.role : "receiver");
    const unit = select("unit", unitOpts, g ? g.unit : (unitOpts[0] || [""])[0]);
    const row = h("div", { class: "row role-row" },
      field(t("a_user_role", { n: n + 1 }), role, { name: `roles[${n}].role` }),
      field(t("a_user_role_unit", { n: n + 1 }), unit, { name: `roles[${n}].unit`,
        after: h("button", { type: "button", class: "btn-link", on: { click: () => { row.remove(); renumber(); } } }, t("a_user_role_remove", { n: n + 1 })) }));
    rolesBox.append(row);
  };
  const renumber = () => [...rolesBox.children].forEach((row, i) => {
    const [r, un] = row.querySelectorAll("select");
    r.dataset.field = `roles[${i}].role`;
    un.dataset.field = `roles[${i}].unit`;
    const labels = row.querySelectorAll("label");
    labels[0].textContent = t("a_user_role", { n: i + 1 });
    labels[1].textContent = t("a_user_role_unit", { n: i + 1 });
    row.querySelector(".btn-link").textContent = t("a_user_role_remove", { n: i + 1 });
  });
  for (const g of (u ? u.roles : [])) addRole(g);
  if (isNew) addRole(null);
  const send = h("button", { type: "submit", class: "btn" }, isNew ? t("a_user_create_btn") : t("a_save"));
  const form = h("form", { class: "admin-form", novalidate: true, "data-testid": "user-form" },
    h("div", { class: "row" },
      field(t("a_user_username"), f.username, { name: "username", required: isNew, hint: isNew ? t("a_user_username_hint") : null }),
      field(t("a_user_full_name"), f.full_name, { name: "full_name", required: true })),
    h("div", { class: "row" }, field(t("a_user_email"), f.email, { name: "email" }), field(t("a_user_phone"), f.phone, { name: "phone" })),
    field(isNew ? t("a_user_password") : t("a_user_password_new"), f.password, { name: "password", required: isNew, hint: t("a_user_password_hint") }),
    h("fieldset", null, h("legend", null, t("a_user_roles")), rolesBox,
      h("button", { type: "button", class: "btn btn-quiet btn-small", on: { click: () => addRole(null) } }, t("a_user_role_add"))),
    isNew ? null : h("div", { class: "check" }, f.disabled, h("label", { for: "user-disabled" }, t("a_user_disabled"))),
    h("div", { class: "actions" }, send));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const roles = [...rolesBox.children].map((row) => {
      const [r, un] = row.querySelectorAll("select");
      return { role: r.value, unit: Number(un.value) };
    });
    const body = { full_name: f.full_name.value.trim(), email: f.email.value.trim() || null, phone: f.phone.value.trim() || null, roles };
    if (isNew) { body.username = f.username.value.trim(); body.password = f.password.value; }
    else { if (f.password.value) body.password = f.password.value; body.disabled = f.disabled.checked; }
    busy(send, true);
    try {
      const r = await ctx.api(isNew ? "POST" : "PATCH", isNew ? "/users" : "/users/" + u.id, body);
      saved(ctx, isNew ? BASE + "/nguoi-dung" : `${BASE}/nguoi-dung/${u.id}`, isNew ? t("a_user_created", { name: r.username }) : null);
    } catch (e) {
      busy(send, false);
      showError(form, e);
    }
  });
  put(page, h("p", { class: "crumbs" }, h("a", { href: BASE + "/nguoi-dung" }, t("a_users"))),
    h("h1", { tabindex: "-1" }, isNew ? t("a_user_new") : t("a_user_edit", { name: u.username })),
    form);
}

// ---- procedures ----
function timeText(c) {
  if (!c || c.time_minutes === null || c.time_minutes === undefined) return "—";
  const n = (x) => fmtNumber(Math.round(x * 100) / 100);
  if (c.time_unit === "working_days") return t("a_p_days", { n: n(c.time_minutes / 480) });
  if (c.time_unit === "calendar_days") return t("a_p_cdays", { n: n(c.time_minutes / 1440) });
  if (c.time_unit === "working_hours") return t("a_p_hours", { n: n(c.time_minutes / 60) });
  return String(c.time_minutes);
}

function feeText(c) {
  if (!c) return "—";
  if (c.fee !== null && c.fee !== undefined) return fmtNumber(c.fee) + " đồng";
  return c.fee_text || "—";
}

async function viewProcedures(page, ctx, rest) {
  if (rest) return viewProcedure(page, ctx, rest);
  const q = (ctx.params.get("q") || "").trim();
  const box = input({ type: "search", name: "q", value: q, autocomplete: "off" });
  const sform = h("form", { class: "search", role: "search" }, field(t("a_p_search"), box, { name: "q" }),
    h("button", { type: "submit", class: "btn" }, t("a_p_search_btn")));
  sform.addEventListener("submit", (ev) => { ev.preventDefault(); ctx.navigate(BASE + "/thu-tuc" + (box.value.trim() ? "?q=" + encodeURIComponent(box.value.trim()) : "")); });

  const tbody = h("tbody");
  const more = h("button", { type: "button", class: "btn btn-quiet", hidden: true }, t("a_more"));
  let cursor = null;
  const load = async () => {
    const qs = new URLSearchParams({ limit: "50" });
    if (q) qs.set("q", q);
    if (cursor) qs.set("cursor", cursor);
    const r = await ctx.api("GET", "/procedures?" + qs);
    for (const p of r.items || []) tbody.append(h("tr", null,
      h("td", { class: "mono" }, p.code),
      h("th", { scope: "row" }, h("a", { href: `${BASE}/thu-tuc/${encodeURIComponent(p.code)}` }, p.name)),
      h("td", null, p.online_mode === "full" ? t("online_full") : p.online_mode === "partial" ? t("online_partial") : t("online_none"))));
    cursor = r.next_cursor;
    more.hidden = !cursor;
  };
  more.addEventListener("click", () => load().catch((e) => more.replaceWith(errorBox(e))));
  await load();

  // import: the file as the body, its type from its name
  const file = h("input", { type: "file", name: "file", accept: ".json,.csv,.xlsx,application/json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
  const dry = h("input", { type: "checkbox", id: "imp-dry", checked: true });
  const out = h("div", { class: "import-out", "aria-live": "polite" });
  const iSend = h("button", { type: "submit", class: "btn" }, t("a_p_import_btn"));
  const iForm = h("form", { class: "admin-form", novalidate: true },
    field(t("a_p_import_file"), file, { name: "file", hint: t("a_p_import_hint") }),
    h("div", { class: "check" }, dry, h("label", { for: "imp-dry" }, t("a_p_dry"))),
    h("div", { class: "actions" }, iSend));
  iForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(iForm);
    out.replaceChildren();
    const fl = file.files[0];
    if (!fl) return showError(iForm, localError("file", t("a_p_need_file")));
    const name = fl.name.toLowerCase();
    const type = name.endsWith(".csv") ? "text/csv" : name.endsWith(".xlsx") ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "application/json";
    busy(iSend, true);
    try {
      const r = await ctx.api("POST", "/procedures/import" + (dry.checked ? "?dry_run=1" : ""), fl, { type });
      busy(iSend, false);
      out.replaceChildren(importReport(r));
    } catch (e) {
      busy(iSend, false);
      if (e instanceof ApiError && !e.field) e.field = "file";
      showError(iForm, e);
    }
  });

  put(page, h("h1", { tabindex: "-1" }, t("a_procs")),
    h("section", { "aria-labelledby": "p-imp-h", class: "panel" }, h("h2", { id: "p-imp-h" }, t("a_p_import")), iForm, out),
    h("section", { "aria-labelledby": "p-list-h" }, h("h2", { id: "p-list-h" }, t("a_p_list")), sform,
      h("div", { class: "table-wrap" }, h("table", { class: "figures", "data-testid": "procedures" },
        h("thead", null, h("tr", null, ["a_p_code", "a_p_name", "a_p_online"].map((k) => h("th", { scope: "col" }, t(k))))), tbody)),
      more));
}

function importReport(r) {
  const vi = getLang() === "vi";
  const why = (x) => x.outcome === "rejected"
    ? ((vi && x.reason_vi) || x.reason || "") + (x.field ? " (" + x.field + ")" : "")
    : (x.changes || []).map((c) => c.field).join(", ");
  const rows = (r.records || []).slice(0, 500).map((x) => h("tr", null,
    h("td", { class: "num" }, String(x.index)), h("td", { class: "mono" }, x.code || "—"),
    h("td", null, t("out_" + x.outcome)), h("td", null, why(x))));
  const table = rows.length ? h("div", { class: "table-wrap" }, h("table", { class: "figures" },
    h("thead", null, h("tr", null, ["a_p_row", "a_p_code", "a_p_outcome", "a_p_reason"].map((k) => h("th", { scope: "col" }, t(k))))),
    h("tbody", null, rows))) : null;
  const sum = t("a_p_report", { added: fmtNumber(r.added || 0), updated: fmtNumber(r.updated || 0), unchanged: fmtNumber(r.unchanged || 0), rejected: fmtNumber(r.rejected || 0) });
  return h("div", { class: "notice", role: "status" }, h("p", null, (r.dry_run ? t("a_p_report_dry") + " " : "") + sum), table);
}

async function viewProcedure(page, ctx, code) {
  const v = await ctx.api("GET", `/procedures/${encodeURIComponent(code)}/versions`);
  const items = v.items || [];
  const last = items.length ? items[items.length - 1].version : 0;
  const fromSel = select("from", items.map((x) => [x.version, String(x.version)]), items.length > 1 ? items[items.length - 2].version : last);
  const toSel = select("to", items.map((x) => [x.version, String(x.version)]), last);
  const diffOut = h("div", { "aria-live": "polite" });
  const cForm = h("form", { class: "admin-form compare", novalidate: true },
    h("div", { class: "row" }, field(t("a_p_from"), fromSel, { name: "from" }), field(t("a_p_to"), toSel, { name: "to" })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, t("a_p_compare_btn"))));
  cForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(cForm);
    try {
      const d = await ctx.api("GET", `/procedures/${encodeURIComponent(code)}/diff?` + new URLSearchParams({ from: fromSel.value, to: toSel.value }));
      const ch = d.changes || [];
      diffOut.replaceChildren(ch.length ? h("div", { class: "table-wrap" }, h("table", { class: "figures" },
        h("thead", null, h("tr", null, ["a_p_field", "a_p_before", "a_p_after", "a_p_change"].map((k) => h("th", { scope: "col" }, t(k))))),
        h("tbody", null, ch.map((c) => h("tr", null, h("th", { scope: "row", class: "mono" }, c.field), h("td", null, c.from ?? "—"), h("td", null, c.to ?? "—"),
          h("td", { class: "num" }, c.change_pct === null || c.change_pct === undefined ? "" : new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1, signDisplay: "exceptZero" }).format(c.change_pct) + " %"))))))
        : h("p", { role: "status" }, t("a_p_no_changes")));
    } catch (e) {
      showError(cForm, e);
    }
  });
  put(page, h("p", { class: "crumbs" }, h("a", { href: BASE + "/thu-tuc" }, t("a_procs"))),
    h("h1", { tabindex: "-1" }, items.length ? items[items.length - 1].name : code),
    h("p", null, t("a_p_code") + ": ", h("span", { class: "mono" }, code), " · ", h("a", { href: "/thu-tuc/" + encodeURIComponent(code) }, t("a_p_public"))),
    h("section", { "aria-labelledby": "p-v-h" }, h("h2", { id: "p-v-h" }, t("a_p_versions")),
      h("div", { class: "table-wrap" }, h("table", { class: "figures", "data-testid": "versions" },
        h("thead", null, h("tr", null, ["a_p_version", "a_p_effective", "a_p_decision", "a_p_time", "a_p_fee", "a_p_source", "a_p_note"].map((k) => h("th", { scope: "col" }, t(k))))),
        h("tbody", null, items.map((x) => h("tr", null,
          h("th", { scope: "row" }, String(x.version) + (x.version === last ? " (" + t("a_p_in_force") + ")" : "")),
          h("td", null, fmtDate(x.effective_from) || "—"), h("td", null, x.decision || "—"),
          h("td", null, timeText(x.channels && x.channels.direct)), h("td", null, feeText(x.channels && x.channels.direct)),
          h("td", null, x.source || "—"), h("td", null, x.note || (x.created_at ? fmtDateTime(x.created_at) : "—")))))))),
    items.length > 1 ? h("section", { "aria-labelledby": "p-c-h" }, h("h2", { id: "p-c-h" }, t("a_p_compare")), cForm, diffOut) : null);
}

// ---- the calendar of a year ----
function weekday(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return WEEKDAYS[getLang() === "en" ? "en" : "vi"][new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
}

async function viewCalendar(page, ctx) {
  const now = new Date().getFullYear();
  const year = Number(ctx.params.get("nam")) || now;
  const c = await ctx.api("GET", "/calendar/" + year);
  const yearSel = select("nam", Array.from({ length: 7 }, (_, i) => now - 3 + i).concat(year).filter((v, i, a) => a.indexOf(v) === i).sort().map((y) => [y, String(y)]), year);
  const yForm = h("form", { class: "search year-form" }, field(t("a_c_year"), yearSel, { name: "nam" }), h("button", { type: "submit", class: "btn" }, t("a_c_show")));
  yForm.addEventListener("submit", (ev) => { ev.preventDefault(); ctx.navigate(BASE + "/lich?nam=" + yearSel.value); });
  const vi = getLang() === "vi";
  const table = (rows, id) => rows.length ? h("div", { class: "table-wrap" }, h("table", { class: "figures", "data-testid": id },
    h("thead", null, h("tr", null, ["a_c_date", "a_c_weekday", "a_c_reason"].map((k) => h("th", { scope: "col" }, t(k))))),
    h("tbody", null, rows.map((d) => h("tr", null, h("th", { scope: "row" }, fmtDate(d.date)), h("td", null, weekday(d.date)), h("td", null, d.reason))))))
    : h("p", null, t("a_c_none"));
  put(page, h("h1", { tabindex: "-1" }, t("a_c_title", { y: year })), yForm,
    dl([[t("a_c_status"), c.confirmed ? t("a_c_confirmed") : t("a_c_proposed")], [t("a_c_source"), t("src_" + c.source)], [t("a_c_hours"), c.working_hours]]),
    (vi ? c.note_vi : c.note) ? h("p", { class: "notice" }, vi ? c.note_vi : c.note) : null,
    c.notices && c.notices.length ? h("section", { "aria-labelledby": "c-n-h" }, h("h2", { id: "c-n-h" }, t("a_c_notices")), h("ul", null, c.notices.map((n) => h("li", null, n)))) : null,
    h("section", { "aria-labelledby": "c-off-h" }, h("h2", { id: "c-off-h" }, t("a_c_off")), table(c.days_off || [], "days-off")),
    h("section", { "aria-labelledby": "c-work-h" }, h("h2", { id: "c-work-h" }, t("a_c_work")), table(c.working_days || [], "working-days")));
  if (!c.editable) { put(page, h("p", { class: "hint" }, t("a_c_not_editable"))); return; }
  put(page, calendarForm(ctx, year, c));
}

function calendarForm(ctx, year, c) {
  const status = select("status", [["confirmed", t("a_c_confirmed")], ["proposed", t("a_c_proposed")]], c.confirmed ? "confirmed" : "proposed");
  const notices = h("textarea", { name: "notices", rows: "3" });
  notices.value = (c.notices || []).join("\n");
  const lists = { days_off: h("div", { class: "cal-rows" }), working_days: h("div", { class: "cal-rows" }) };
  const what = { days_off: t("a_c_off_one"), working_days: t("a_c_work_one") };
  const addRow = (kind, d) => {
    const box = lists[kind];
    const row = h("div", { class: "cal-row" });
    const dIn = input({ value: d ? fmtDate(d.date) : "", inputmode: "numeric", autocomplete: "off", size: "10" });
    const rIn = input({ value: d ? d.reason : "", maxlength: "200" });
    const rm = h("button", { type: "button", class: "btn-link" });
    rm.addEventListener("click", () => { row.remove(); renumber(kind); });
    row.append(field("", dIn), field("", rIn), h("div", { class: "cal-rm" }, rm));
    box.append(row);
    renumber(kind);
  };
  const renumber = (kind) => [...lists[kind].children].forEach((row, i) => {
    const [dIn, rIn] = row.querySelectorAll("input");
    dIn.dataset.field = `${kind}[${i}].date`;
    rIn.dataset.field = `${kind}[${i}].reason`;
    const labels = row.querySelectorAll("label");
    labels[0].textContent = t("a_c_row_date", { what: what[kind], n: i + 1 });
    labels[1].textContent = t("a_c_row_reason", { what: what[kind], n: i + 1 });
    row.querySelector(".btn-link").textContent = t("a_c_remove", { n: i + 1 });
  });
  for (const d of c.days_off || []) addRow("days_off", d);
  for (const d of c.working_days || []) addRow("working_days", d);
  const send = h("button", { type: "submit", class: "btn" }, t("a_c_save"));
  const form = h("form", { class: "admin-form cal-form", novalidate: true },
    h("div", { class: "row" }, field(t("a_c_status"), status, { name: "status" }),
      field(t("a_c_notices_field"), notices, { name: "notices", hint: t("a_c_notices_hint") })),
    h("fieldset", null, h("legend", null, t("a_c_off")), h("p", { class: "hint" }, t("a_c_rows_hint")), lists.days_off,
      h("button", { type: "button", class: "btn btn-quiet btn-small", on: { click: () => addRow("days_off") } }, t("a_c_add_off"))),
    h("fieldset", null, h("legend", null, t("a_c_work")), h("p", { class: "hint" }, t("a_c_rows_hint")), lists.working_days,
      h("button", { type: "button", class: "btn btn-quiet btn-small", on: { click: () => addRow("working_days") } }, t("a_c_add_work"))),
    h("div", { class: "actions" }, send));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      const rows = (kind) => [...lists[kind].children].map((row, i) => {
        const [dIn, rIn] = row.querySelectorAll("input");
        const d = parseDate(dIn.value);
        if (!d) throw localError(`${kind}[${i}].date`, t("a_date_bad"));
        return { date: d, reason: rIn.value.trim() };
      });
      const body = { status: status.value, days_off: rows("days_off"), working_days: rows("working_days"),
        notices: notices.value.split("\n").map((s) => s.trim()).filter(Boolean) };
      busy(send, true);
      await ctx.api("PUT", "/calendar/" + year, body);
      saved(ctx, BASE + "/lich?nam=" + year);
    } catch (e) {
      busy(send, false);
      showError(form, e);
    }
  });
  return h("details", { class: "cal-edit" }, h("summary", null, t("a_c_edit", { y: year })), form);
}
