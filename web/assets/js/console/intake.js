// intake.js: the counter intake screen (/console/tiep-nhan), built for speed and for the
// keyboard: the procedure is picked by typing (the catalogue search, no diacritics needed;
// arrows and Enter), the case's components come as a checklist with original/copy counts,
// the applicant's fields are checked as typed (the server still judges and its message wins),
// and on 201 the code and due date are shown and the receipt PDF opens in a new tab.
import { addDict, ApiError, fmtDateTime, fmtMoney, h, t } from "/assets/js/lib.js";
import { busy, clearErrors, clearFieldError, field, input, parseDate, setFieldError, showError } from "/assets/js/console/ui.js";

addDict({
  c_intake_title: { vi: "Tiếp nhận hồ sơ tại quầy", en: "Counter intake" },
  c_i_proc_legend: { vi: "Thủ tục và thành phần hồ sơ", en: "Procedure and papers" },
  c_i_proc: { vi: "Thủ tục", en: "Procedure" },
  c_i_proc_hint: { vi: "Gõ tên hoặc mã thủ tục, có dấu hoặc không dấu; chọn bằng phím mũi tên và Enter.", en: "Type the name or code, with or without diacritics; pick with the arrow keys and Enter." },
  c_i_proc_none: { vi: "Không có thủ tục nào khớp.", en: "No procedure matches." },
  c_i_proc_results: { vi: "{n} thủ tục khớp; dùng phím mũi tên để chọn.", en: "{n} procedures match; use the arrow keys." },
  c_i_proc_matches: { vi: "Các thủ tục khớp", en: "Matching procedures" },
  c_i_chosen: { vi: "Đã chọn: {name} ({code})", en: "Chosen: {name} ({code})" },
  c_i_case: { vi: "Trường hợp", en: "Case" },
  c_i_channel: { vi: "Kênh nộp", en: "Channel" },
  c_i_unit: { vi: "Đơn vị tiếp nhận", en: "Receiving unit" },
  c_i_comps: { vi: "Thành phần hồ sơ đã nhận", en: "Papers received" },
  c_i_comp_name: { vi: "Giấy tờ", en: "Paper" },
  c_i_originals: { vi: "Bản chính", en: "Originals" },
  c_i_copies: { vi: "Bản sao", en: "Copies" },
  c_i_originals_of: { vi: "Số bản chính: {name}", en: "Originals: {name}" },
  c_i_copies_of: { vi: "Số bản sao: {name}", en: "Copies: {name}" },
  c_i_optional: { vi: "(nếu có)", en: "(if any)" },
  c_i_pick_first: { vi: "Chọn thủ tục để hiện thành phần hồ sơ.", en: "Pick a procedure to see its papers." },
  c_i_time: { vi: "Thời hạn giải quyết: {x}", en: "Time limit: {x}" },
  c_i_fee: { vi: "Phí, lệ phí: {x}", en: "Fee: {x}" },
  c_i_applicant: { vi: "Chủ hồ sơ", en: "Applicant" },
  c_i_kind: { vi: "Loại chủ hồ sơ", en: "Applicant type" },
  c_i_person: { vi: "Cá nhân", en: "Person" },
  c_i_org: { vi: "Tổ chức", en: "Organisation" },
  c_i_name: { vi: "Họ và tên", en: "Full name" },
  c_i_org_name: { vi: "Tên tổ chức", en: "Organisation name" },
  c_i_id_type: { vi: "Loại giấy tờ", en: "Document type" },
  c_i_id_number: { vi: "Số giấy tờ", en: "Document number" },
  c_i_birth: { vi: "Ngày sinh", en: "Date of birth" },
  c_i_birth_dmy: { vi: "Ngày sinh (dd/mm/yyyy)", en: "Date of birth (dd/mm/yyyy)" },
  c_i_phone: { vi: "Số điện thoại", en: "Phone" },
  c_i_email: { vi: "Thư điện tử", en: "E-mail" },
  c_i_address: { vi: "Địa chỉ", en: "Address" },
  c_i_relation: { vi: "Quan hệ với chủ hồ sơ", en: "Relation to the applicant" },
  c_i_has_rep: { vi: "Có người được ủy quyền nộp thay", en: "Filed by an authorised representative" },
  c_i_rep: { vi: "Người được ủy quyền", en: "Representative" },
  c_i_rep_name: { vi: "Họ và tên người được ủy quyền", en: "Representative's full name" },
  c_i_rep_id: { vi: "Số giấy tờ người được ủy quyền", en: "Representative's document number" },
  c_i_rep_phone: { vi: "Số điện thoại người được ủy quyền", en: "Representative's phone" },
  c_i_delivery: { vi: "Nhận kết quả", en: "Result delivery" },
  c_i_method: { vi: "Hình thức nhận kết quả", en: "Delivery method" },
  c_i_counter: { vi: "Tại bộ phận một cửa", en: "At the counter" },
  c_i_postal: { vi: "Qua bưu chính công ích", en: "By post" },
  c_i_online: { vi: "Trực tuyến (kết quả điện tử)", en: "Online (e-result)" },
  c_i_delivery_address: { vi: "Địa chỉ nhận kết quả", en: "Delivery address" },
  c_i_submit: { vi: "Tiếp nhận và in giấy hẹn", en: "Receive and print the receipt" },
  c_i_done: { vi: "Đã tiếp nhận hồ sơ", en: "Dossier received" },
  c_i_code: { vi: "Mã hồ sơ", en: "Dossier code" },
  c_i_due: { vi: "Ngày hẹn trả kết quả", en: "Result due" },
  c_i_print: { vi: "In giấy tiếp nhận và hẹn trả kết quả (PDF)", en: "Print the receipt (PDF)" },
  c_i_open: { vi: "Xem hồ sơ", en: "Open the dossier" },
  c_i_next: { vi: "Tiếp nhận hồ sơ mới", en: "Receive another dossier" },
  c_i_print_hint: { vi: "Giấy hẹn đã mở ở thẻ mới; nếu trình duyệt chặn, bấm liên kết trên để in.", en: "The receipt opened in a new tab; if the browser blocked it, use the link above." },
  c_v_cccd: { vi: "Số căn cước công dân phải gồm đúng 12 chữ số", en: "A CCCD number has exactly 12 digits" },
  c_v_cmnd: { vi: "Số CMND phải gồm 9 hoặc 12 chữ số", en: "A CMND number has 9 or 12 digits" },
  c_v_passport: { vi: "Số hộ chiếu gồm 8–9 ký tự, bắt đầu bằng chữ in hoa", en: "A passport number has 8-9 characters starting with a capital" },
  c_v_tax: { vi: "Mã số thuế gồm 10 chữ số (hoặc 10 chữ số-3 chữ số)", en: "A tax code has 10 digits (or 10-3 digits)" },
  c_v_phone: { vi: "Số điện thoại không hợp lệ", en: "Invalid phone number" },
  c_v_date: { vi: "Ngày phải có dạng dd/mm/yyyy, ví dụ 05/02/1990", en: "A date is dd/mm/yyyy, e.g. 05/02/1990" },
  c_v_email: { vi: "Địa chỉ thư điện tử không hợp lệ", en: "Invalid e-mail address" },
  id_tax_code: { vi: "Mã số thuế", en: "Tax code" },
});

// the shape checks of service/dossier.c, for a hint as the clerk types
const ID_RULES = {
  cccd: [/^\d{12}$/, "c_v_cccd"],
  cmnd: [/^(\d{9}|\d{12})$/, "c_v_cmnd"],
  passport: [/^[A-Z][A-Z0-9]{7,8}$/, "c_v_passport"],
  tax_code: [/^(\d{10}|\d{10}-\d{3})$/, "c_v_tax"],
};

export async function render(page, ctx) {
  await ctx.unitsReady; // the receiving unit's name, when there is a choice
  const receiverUnits = ctx.me.roles.filter((g) => g.role === "receiver").map((g) => g.unit);
  page.setAttribute("data-keep-typed", ""); // a lost session must not lose the applicant's data
  page.append(h("h1", { tabindex: "-1" }, t("c_intake_title")));

  // ---- the procedure, picked by typing
  const procIn = input({ name: "procedure", autocomplete: "off", spellcheck: "false", role: "combobox",
    "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": "proc-list" });
  const procList = h("ul", { id: "proc-list", class: "combo-list", role: "listbox", hidden: true, "aria-label": t("c_i_proc_matches") });
  const procStatus = h("p", { class: "sr-only", role: "status" });
  const chosen = h("p", { class: "chosen", "data-testid": "chosen" });
  let proc = null;        // the chosen procedure (GET /procedures/{code})
  let options = [], active = -1, searchSeq = 0, searchTimer = 0;

  function setActive(i) {
    active = i;
    procList.querySelectorAll("li").forEach((li, k) => li.setAttribute("aria-selected", k === i ? "true" : "false"));
    if (i >= 0 && options[i]) {
      procIn.setAttribute("aria-activedescendant", "proc-opt-" + i);
      procList.children[i].scrollIntoView({ block: "nearest" });
    } else {
      procIn.removeAttribute("aria-activedescendant");
    }
  }
  function closeList() {
    procList.hidden = true;
    procIn.setAttribute("aria-expanded", "false");
    setActive(-1);
  }
  async function search() {
    const q = procIn.value.trim();
    const seq = ++searchSeq;
    if (!q) { options = []; procList.replaceChildren(); closeList(); return; }
    let r;
    try { r = await ctx.api("GET", "/procedures?" + new URLSearchParams({ q, limit: "8" })); } catch (_) { return; }
    if (seq !== searchSeq) return;
    options = r.items;
    procList.replaceChildren(...options.map((p, i) => h("li", { id: "proc-opt-" + i, role: "option", "aria-selected": "false",
      on: { mousedown: (ev) => { ev.preventDefault(); choose(i); } } },
    p.name, h("span", { class: "sub" }, p.code))));
    procList.hidden = options.length === 0;
    procIn.setAttribute("aria-expanded", options.length ? "true" : "false");
    procStatus.textContent = options.length ? t("c_i_proc_results", { n: options.length }) : t("c_i_proc_none");
    setActive(options.length ? 0 : -1);
  }
  procIn.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, 120);
  });
  procIn.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (procList.hidden) { if (options.length) { procList.hidden = false; procIn.setAttribute("aria-expanded", "true"); setActive(0); } ev.preventDefault(); return; }
      ev.preventDefault();
      const n = options.length;
      setActive(ev.key === "ArrowDown" ? (active + 1) % n : (active - 1 + n) % n);
    } else if (ev.key === "Enter") {
      if (!procList.hidden && active >= 0) { ev.preventDefault(); choose(active); }
      else if (!proc) ev.preventDefault(); // nothing chosen yet: Enter does not send the form
    } else if (ev.key === "Escape") {
      closeList();
    }
  });
  procIn.addEventListener("blur", () => setTimeout(closeList, 150));

  async function choose(i) {
    const p = options[i];
    closeList();
    if (!p) return;
    procIn.value = p.name;
    try {
      proc = await ctx.api("GET", "/procedures/" + encodeURIComponent(p.code));
    } catch (e) {
      setFieldError(procIn, e instanceof ApiError ? e.text() : t("err_generic"));
      return;
    }
    clearFieldError(procIn);
    chosen.textContent = t("c_i_chosen", { name: proc.name, code: proc.code });
    drawProcedure();
    (caseSel.options.length > 1 ? caseSel : channelSel).focus();
  }

  // ---- case, channel, components, fees
  const caseSel = h("select", { name: "case_id" });
  const channelSel = h("select", { name: "channel" });
  const unitSel = h("select", { name: "receiving_unit" }, receiverUnits.map((id) =>
    h("option", { value: String(id) }, (ctx.units.get(id) || {}).name || String(id))));
  const comps = h("ul", { class: "checklist", id: "comps", tabindex: "-1", "data-field": "components" },
    h("li", null, t("c_i_pick_first")));
  const fees = h("div", { class: "fees", "aria-live": "polite" });

  function drawProcedure() {
    caseSel.replaceChildren(...(proc.cases || []).map((c) => h("option", { value: String(c.id) }, c.name)));
    const offered = ["direct", "postal"].filter((c) => proc.channels && proc.channels[c]);
    channelSel.replaceChildren(...offered.map((c) => h("option", { value: c }, t("ch_" + c))));
    drawComponents();
    drawFees();
  }
  function curCase() { return (proc && (proc.cases || []).find((c) => String(c.id) === caseSel.value)) || (proc && (proc.cases || [])[0]); }
  function drawComponents() {
    const c = curCase();
    const list = c ? c.components || [] : [];
    comps.replaceChildren(h("li", { class: "head", "aria-hidden": "true" }, h("span"), h("span", null, t("c_i_comp_name")),
      h("span", null, t("c_i_originals")), h("span", null, t("c_i_copies"))),
    ...list.map((k, i) => {
      const id = "comp-" + i;
      const box = h("input", { type: "checkbox", id, checked: !!k.required, "data-component": String(k.id), "data-field": "comp-row-" + i });
      const orig = h("input", { type: "number", min: "0", max: "100", value: String(k.originals || 0), "aria-label": t("c_i_originals_of", { name: k.name }) });
      const copy = h("input", { type: "number", min: "0", max: "100", value: String(k.copies || 0), "aria-label": t("c_i_copies_of", { name: k.name }) });
      return h("li", { class: "comp" }, box, h("label", { for: id }, k.name, k.required ? null : h("span", { class: "req" }, " " + t("c_i_optional"))), orig, copy,
        h("p", { class: "field-err", id: id + "-err", hidden: true }));
    }));
    comps.append(h("li", { class: "field-err-row" }, h("p", { class: "field-err", id: "comps-err", hidden: true })));
  }
  function drawFees() {
    const ch = proc && proc.channels && proc.channels[channelSel.value];
    fees.replaceChildren();
    if (!ch) return;
    fees.append(h("p", null, t("c_i_time", { x: ch.time_text || "" })),
      h("p", null, t("c_i_fee", { x: ch.fee ? fmtMoney(ch.fee) : t("fee_free") }), ch.fee_text ? h("span", { class: "sub" }, ch.fee_text) : null));
  }
  caseSel.addEventListener("change", drawComponents);
  channelSel.addEventListener("change", drawFees);

  // ---- the applicant, checked as typed
  const a = {
    kind: h("select", { name: "kind" }, h("option", { value: "person" }, t("c_i_person")), h("option", { value: "organisation" }, t("c_i_org"))),
    name: input({ name: "name", autocomplete: "off", maxlength: "200" }),
    id_type: h("select", { name: "id_type" }, ["cccd", "cmnd", "passport", "tax_code"].map((k) => h("option", { value: k }, t("id_" + k)))),
    id_number: input({ name: "id_number", autocomplete: "off", inputmode: "numeric", maxlength: "20", spellcheck: "false" }),
    birth_date: input({ name: "birth_date", autocomplete: "off", inputmode: "numeric", placeholder: "dd/mm/yyyy", maxlength: "10" }),
    phone: input({ type: "tel", name: "phone", autocomplete: "off", maxlength: "20" }),
    email: input({ type: "email", name: "email", autocomplete: "off", maxlength: "254" }),
    address: input({ name: "address", autocomplete: "off", maxlength: "300" }),
  };
  a.kind.addEventListener("change", () => {
    const org = a.kind.value === "organisation";
    // the name's label says whose name it is
    const label = nameField.querySelector("label").firstChild;
    label.textContent = t(org ? "c_i_org_name" : "c_i_name");
    a.id_type.value = org ? "tax_code" : "cccd";
    birthField.hidden = org;
    checkId(a.id_type, a.id_number);
  });
  const rep = {
    on: h("input", { type: "checkbox", id: "has-rep" }),
    name: input({ name: "rep_name", autocomplete: "off", maxlength: "200" }),
    id_type: h("select", { name: "rep_id_type" }, ["cccd", "cmnd", "passport"].map((k) => h("option", { value: k }, t("id_" + k)))),
    id_number: input({ name: "rep_id_number", autocomplete: "off", inputmode: "numeric", maxlength: "20" }),
    phone: input({ type: "tel", name: "rep_phone", autocomplete: "off", maxlength: "20" }),
    relation: input({ name: "rep_relation", autocomplete: "off", maxlength: "100" }),
  };
  const repBox = h("div", { hidden: true });
  rep.on.addEventListener("change", () => { repBox.hidden = !rep.on.checked; });

  // live checks: a hint of the server's rule once the field is left, cleared as soon as it fits
  function live(ctl, check) {
    const run = (final) => {
      const msg = check();
      if (msg && final) setFieldError(ctl, msg);
      else if (!msg) clearFieldError(ctl);
    };
    ctl.addEventListener("input", () => { if (ctl.getAttribute("aria-invalid")) run(false); });
    // not when the focus goes to the submit button: the message would move the button away
    // under the pointer, and the server is about to judge anyway
    ctl.addEventListener("blur", (ev) => { if (!(ev.relatedTarget && ev.relatedTarget.type === "submit")) run(true); });
  }
  function checkId(typeSel, numIn) {
    const v = numIn.value.trim();
    if (!v) return "";
    const rule = ID_RULES[typeSel.value];
    return rule && !rule[0].test(v) ? t(rule[1]) : "";
  }
  const checkPhone = (el) => () => { const v = el.value.trim(); return v && !/^\+?\d{9,12}$/.test(v) ? t("c_v_phone") : ""; };
  live(a.id_number, () => checkId(a.id_type, a.id_number));
  a.id_type.addEventListener("change", () => { if (a.id_number.value) { const m = checkId(a.id_type, a.id_number); if (m) setFieldError(a.id_number, m); else clearFieldError(a.id_number); } });
  live(a.phone, checkPhone(a.phone));
  live(a.birth_date, () => (a.birth_date.value.trim() && parseDate(a.birth_date.value) === null ? t("c_v_date") : ""));
  live(a.email, () => { const v = a.email.value.trim(); return v && !/^[^@\s]+@[^@\s]+$/.test(v) ? t("c_v_email") : ""; });
  live(rep.id_number, () => checkId(rep.id_type, rep.id_number));
  live(rep.phone, checkPhone(rep.phone));

  // ---- delivery
  const method = h("select", { name: "method" }, ["counter", "postal", "online"].map((k) => h("option", { value: k }, t("c_i_" + k))));
  const delivAddr = input({ name: "delivery_address", autocomplete: "off", maxlength: "300" });
  const delivBox = h("div", { hidden: true });
  method.addEventListener("change", () => {
    delivBox.hidden = method.value !== "postal";
    if (method.value === "postal" && !delivAddr.value) delivAddr.value = a.address.value;
  });

  const send = h("button", { type: "submit", class: "btn" }, t("c_i_submit"));
  const nameField = field(t("c_i_name"), a.name, { name: "applicant.name", required: true });
  const birthField = field(t("c_i_birth_dmy"), a.birth_date, { name: "applicant.birth_date" });
  const result = h("div", { class: "intake-result" });
  const form = h("form", { novalidate: true, on: { submit: onSubmit } }, h("div", { class: "intake" },
    h("div", null,
      h("fieldset", null, h("legend", null, t("c_i_proc_legend")),
        h("div", { class: "combo" }, field(t("c_i_proc"), procIn, { name: "procedure", required: true, hint: t("c_i_proc_hint"), after: procList })),
        procStatus, chosen,
        h("div", { class: "row" },
          field(t("c_i_case"), caseSel, { name: "case_id" }),
          field(t("c_i_channel"), channelSel, { name: "channel" })),
        receiverUnits.length > 1 ? field(t("c_i_unit"), unitSel, { name: "receiving_unit" }) : null,
        h("h3", { id: "comps-h" }, t("c_i_comps")),
        comps, fees)),
    h("div", null,
      h("fieldset", null, h("legend", null, t("c_i_applicant")),
        h("div", { class: "row" },
          field(t("c_i_kind"), a.kind, { name: "applicant.kind" }),
          nameField),
        h("div", { class: "row" },
          field(t("c_i_id_type"), a.id_type, { name: "applicant.id_type" }),
          field(t("c_i_id_number"), a.id_number, { name: "applicant.id_number", required: true })),
        h("div", { class: "row" }, birthField, field(t("c_i_phone"), a.phone, { name: "applicant.phone" })),
        field(t("c_i_address"), a.address, { name: "applicant.address" }),
        field(t("c_i_email"), a.email, { name: "applicant.email" }),
        h("div", { class: "check" }, rep.on, h("label", { for: "has-rep" }, t("c_i_has_rep"))),
        repBox),
      h("fieldset", null, h("legend", null, t("c_i_delivery")),
        field(t("c_i_method"), method, { name: "delivery.method" }),
        delivBox),
      h("div", { class: "actions" }, send))));
  repBox.append(
    field(t("c_i_rep_name"), rep.name, { name: "representative.name" }),
    h("div", { class: "row" },
      field(t("c_i_id_type"), rep.id_type, { name: "representative.id_type" }),
      field(t("c_i_rep_id"), rep.id_number, { name: "representative.id_number" })),
    h("div", { class: "row" },
      field(t("c_i_rep_phone"), rep.phone, { name: "representative.phone" }),
      field(t("c_i_relation"), rep.relation, { name: "representative.relation" })));
  delivBox.append(field(t("c_i_delivery_address"), delivAddr, { name: "delivery.address", required: true }));
  page.append(result, form);
  // the first thing a clerk types is the procedure
  setTimeout(() => procIn.focus(), 0);

  async function onSubmit(ev) {
    ev.preventDefault();
    clearErrors(form);
    const body = { procedure: proc ? proc.code : procIn.value.trim(), channel: channelSel.value || "direct" };
    const c = curCase();
    if (c) body.case_id = c.id;
    if (receiverUnits.length > 1) body.receiving_unit = Number(unitSel.value);
    const applicant = { kind: a.kind.value, name: a.name.value.trim(), id_type: a.id_type.value, id_number: a.id_number.value.trim() };
    for (const k of ["phone", "email", "address"]) if (a[k].value.trim()) applicant[k] = a[k].value.trim();
    // typed as dd/mm/yyyy, sent as YYYY-MM-DD; what does not parse goes as typed, for the
    // server's own message next to the field
    const bd = parseDate(a.birth_date.value);
    if (bd) applicant.birth_date = bd;
    else if (bd === null && a.kind.value === "person") applicant.birth_date = a.birth_date.value.trim();
    body.applicant = applicant;
    if (rep.on.checked) {
      const r = { name: rep.name.value.trim(), id_type: rep.id_type.value };
      if (rep.id_number.value.trim()) r.id_number = rep.id_number.value.trim();
      if (rep.phone.value.trim()) r.phone = rep.phone.value.trim();
      if (rep.relation.value.trim()) r.relation = rep.relation.value.trim();
      body.representative = r;
    }
    // the checked components, in the order of the checklist; rows[i] is the checklist row
    // of the i-th one sent (the server names components by their place in what it got)
    const rows = [];
    body.components = [];
    comps.querySelectorAll("li.comp").forEach((li) => {
      const [box, orig, copy] = li.querySelectorAll("input");
      if (!box.checked) return;
      body.components.push({ component_id: Number(box.dataset.component), originals: Number(orig.value) || 0, copies: Number(copy.value) || 0 });
      rows.push(box);
    });
    body.delivery = { method: method.value };
    if (method.value === "postal") body.delivery.address = delivAddr.value.trim();
    busy(send, true);
    let d;
    try {
      d = await ctx.api("POST", "/dossiers", body);
    } catch (e) {
      busy(send, false);
      if (e instanceof ApiError) {
        const m = /^components\[(\d+)\]/.exec(e.field || "");
        if (m && rows[Number(m[1])]) e.field = rows[Number(m[1])].dataset.field;
        if (e.field === "case_id" && !proc) e.field = "procedure";
      }
      showError(form, e);
      return;
    }
    busy(send, false);
    const pdf = "/api/v1/dossiers/" + encodeURIComponent(d.code) + "/forms/receipt.pdf";
    // at once, for the printer: a new tab (the CSP forbids showing a PDF in a frame)
    try { window.open(pdf, "_blank", "noopener"); } catch (_) { /* blocked: the link is there */ }
    const box = h("section", { class: "receipt", role: "status", "aria-labelledby": "done-h" },
      h("h2", { id: "done-h", tabindex: "-1" }, t("c_i_done")),
      h("dl", { class: "facts" },
        h("dt", null, t("c_i_code")), h("dd", null, h("strong", { class: "mono", "data-testid": "code" }, d.code)),
        h("dt", null, t("c_i_due")), h("dd", null, h("strong", { "data-testid": "due" }, fmtDateTime(d.due_at))),
        h("dt", null, t("c_i_proc")), h("dd", null, d.procedure.name),
        h("dt", null, t("c_i_applicant")), h("dd", null, d.applicant.name)),
      h("div", { class: "btn-row" },
        h("a", { class: "btn", href: pdf, target: "_blank", rel: "noopener", "data-testid": "receipt" }, t("c_i_print")),
        h("a", { class: "btn btn-quiet", href: "/console/ho-so/" + encodeURIComponent(d.code) }, t("c_i_open")),
        h("button", { type: "button", class: "btn btn-quiet", on: { click: () => ctx.navigate("/console/tiep-nhan") } }, t("c_i_next"))),
      h("p", { class: "hint" }, t("c_i_print_hint")));
    result.replaceChildren(box);
    form.hidden = true;
    box.querySelector("h2").focus();
    ctx.drawn();
  }
}
