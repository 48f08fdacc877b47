// dossier.js: one dossier (/console/ho-so/{code}): its data, components and files, the plan
// of steps with their deadlines, the due date and why it is what it is, the event log, the
// printable forms, and every action the user may take now, each a button opening its small
// form; POST /api/v1/dossiers/{code}/actions, then the page is drawn again as it now stands.
import { addDict, ApiError, fmtDate, fmtDateTime, fmtMoney, h, t } from "/assets/js/lib.js";
import { busy, clearErrors, dl, field, input, localError, parseDate, showError } from "/assets/js/console/ui.js";
import { stateLabel, urgency, urgencyFlag } from "/assets/js/console/lists.js";

addDict({
  c_d_denied_title: { vi: "Không tìm thấy hồ sơ hoặc bạn không có quyền xem", en: "Dossier not found, or not yours to see" },
  c_d_denied: { vi: "Hồ sơ {code} không có trong phạm vi đơn vị của bạn. Hãy kiểm tra lại mã hồ sơ.", en: "Dossier {code} is not within your units. Check the code." },
  c_d_back: { vi: "Về danh sách hồ sơ", en: "Back to the dossiers" },
  c_d_title: { vi: "Hồ sơ {code}", en: "Dossier {code}" },
  c_d_data: { vi: "Thông tin hồ sơ", en: "Dossier" },
  c_d_procedure: { vi: "Thủ tục", en: "Procedure" },
  c_d_case: { vi: "Trường hợp", en: "Case" },
  c_d_channel: { vi: "Kênh nộp", en: "Channel" },
  c_d_receiving: { vi: "Đơn vị tiếp nhận", en: "Receiving unit" },
  c_d_competent: { vi: "Đơn vị giải quyết", en: "Competent unit" },
  c_d_applicant: { vi: "Chủ hồ sơ", en: "Applicant" },
  c_d_rep: { vi: "Người được ủy quyền", en: "Representative" },
  c_d_id: { vi: "Giấy tờ", en: "Document" },
  c_d_birth: { vi: "Ngày sinh", en: "Born" },
  c_d_contact: { vi: "Liên hệ", en: "Contact" },
  c_d_address: { vi: "Địa chỉ", en: "Address" },
  c_d_submitted: { vi: "Ngày nộp", en: "Submitted" },
  c_d_received: { vi: "Ngày tiếp nhận", en: "Accepted" },
  c_d_due: { vi: "Hẹn trả kết quả", en: "Due" },
  c_d_finished: { vi: "Hoàn thành xử lý", en: "Finished" },
  c_d_returned: { vi: "Đã trả kết quả", en: "Returned" },
  c_d_delivery: { vi: "Nhận kết quả", en: "Delivery" },
  c_d_fees: { vi: "Phí, lệ phí", en: "Fees" },
  c_d_result: { vi: "Kết quả", en: "Result" },
  c_d_result_text: { vi: "Số {n}, người ký {s}, ngày {d}", en: "No. {n}, signed by {s} on {d}" },
  c_d_returned_to: { vi: "Người nhận kết quả", en: "Result received by" },
  c_d_refusal: { vi: "Lý do từ chối", en: "Reason for refusal" },
  c_d_supplement: { vi: "Yêu cầu bổ sung", en: "Supplement asked" },
  c_d_supplement_text: { vi: "Lần {n}; hạn {d}: {items}", en: "Request {n}; by {d}: {items}" },
  c_d_ext: { vi: "Đề nghị gia hạn chờ duyệt", en: "Extension awaiting approval" },
  c_d_ext_text: { vi: "Đến {d}: {r}", en: "To {d}: {r}" },
  c_d_outcome: { vi: "Kết quả đúng hạn", en: "Timeliness" },
  c_out_early: { vi: "Trước hạn", en: "Early" },
  c_out_on_time: { vi: "Đúng hạn", en: "On time" },
  c_out_late: { vi: "Quá hạn", en: "Late" },
  c_d_holder: { vi: "Đang ở", en: "Held by" },
  c_d_comps: { vi: "Thành phần hồ sơ", en: "Papers" },
  c_d_comp_counts: { vi: "{o} bản chính, {c} bản sao", en: "{o} originals, {c} copies" },
  c_d_files: { vi: "Tệp đính kèm", en: "Files" },
  c_d_files_none: { vi: "Chưa có tệp nào.", en: "No files." },
  c_d_file_kind_component: { vi: "Thành phần hồ sơ", en: "Paper" },
  c_d_file_kind_supplement: { vi: "Bổ sung", en: "Supplement" },
  c_d_file_kind_result: { vi: "Kết quả", en: "Result" },
  c_d_upload_title: { vi: "Đính kèm tệp", en: "Attach a file" },
  c_d_upload_file: { vi: "Tệp (PDF, JPEG hoặc PNG)", en: "File (PDF, JPEG or PNG)" },
  c_d_upload_kind: { vi: "Loại tệp", en: "Kind" },
  c_d_upload: { vi: "Tải lên", en: "Upload" },
  c_d_upload_pick: { vi: "Hãy chọn tệp cần đính kèm", en: "Choose a file to attach" },
  c_d_uploaded: { vi: "Đã đính kèm tệp {name}.", en: "Attached {name}." },
  c_d_reload: { vi: "Tải lại hồ sơ", en: "Reload the dossier" },
  c_d_steps: { vi: "Quy trình xử lý và hạn từng bước", en: "Steps and their deadlines" },
  c_d_step: { vi: "Bước", en: "Step" },
  c_d_step_unit: { vi: "Đơn vị, vai trò", en: "Unit, role" },
  c_d_step_who: { vi: "Người xử lý", en: "Handler" },
  c_d_step_start: { vi: "Bắt đầu", en: "Started" },
  c_d_step_due: { vi: "Hạn bước", en: "Step due" },
  c_d_step_end: { vi: "Kết thúc", en: "Finished" },
  c_d_step_now: { vi: "Đang xử lý", en: "Current" },
  c_d_why: { vi: "Vì sao hẹn trả ngày này", en: "Why this due date" },
  c_d_why_none: { vi: "Hồ sơ chưa được tiếp nhận nên chưa tính hạn.", en: "Not accepted yet: no clock." },
  c_d_why_inconsistent: { vi: "Lưu ý: hạn tính lại ({d}) khác hạn đang ghi.", en: "Note: the recomputed due date ({d}) differs from the stored one." },
  c_d_due_history: { vi: "Lịch sử ngày hẹn", en: "Due date history" },
  c_d_events: { vi: "Nhật ký xử lý", en: "Event log" },
  c_d_forms: { vi: "Biểu mẫu in", en: "Printable forms" },
  c_form_receipt: { vi: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", en: "Receipt and appointment" },
  c_form_supplement: { vi: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", en: "Supplement request" },
  c_form_refusal: { vi: "Phiếu từ chối tiếp nhận, giải quyết hồ sơ", en: "Refusal" },
  c_form_apology: { vi: "Văn bản xin lỗi và hẹn lại ngày trả kết quả", en: "Apology and new date" },
  c_form_stop: { vi: "Thông báo dừng giải quyết hồ sơ", en: "Stop notice" },
  c_form_control: { vi: "Phiếu kiểm soát quá trình giải quyết hồ sơ", en: "Control sheet" },
  c_d_forms_none: { vi: "Chưa có biểu mẫu nào: giấy tiếp nhận có sau khi hồ sơ được tiếp nhận.", en: "No form yet: the receipt comes with acceptance." },
  c_pdf: { vi: "(PDF, mở thẻ mới)", en: "(PDF, new tab)" },
  c_d_actions: { vi: "Thao tác", en: "Actions" },
  c_d_actions_none: { vi: "Bạn không có thao tác nào với hồ sơ ở bước này.", en: "No action of yours at this step." },
  c_d_done: { vi: "Đã thực hiện: {a}.", en: "Done: {a}." },
  c_d_cancel: { vi: "Hủy", en: "Cancel" },
  c_d_confirm: { vi: "Xác nhận: {a}", en: "Confirm: {a}" },
  c_a_note: { vi: "Ghi chú", en: "Note" },
  c_a_reason: { vi: "Lý do", en: "Reason" },
  c_a_assignee: { vi: "Người xử lý (tên đăng nhập)", en: "Handler (user name)" },
  c_a_to_unit: { vi: "Đơn vị chuyển đến", en: "Transfer to" },
  c_a_days: { vi: "Số ngày làm việc", en: "Working days" },
  c_a_items: { vi: "Nội dung cần bổ sung (mỗi dòng một mục, liệt kê đầy đủ một lần)", en: "What to supply (one per line, all at once)" },
  c_a_period: { vi: "Thời hạn bổ sung (ngày)", en: "Period to supply (days)" },
  c_a_amount: { vi: "Số tiền (đồng)", en: "Amount (đồng)" },
  c_a_pay_method: { vi: "Hình thức nộp", en: "Paid by" },
  c_pay_cash: { vi: "Tiền mặt", en: "Cash" },
  c_pay_transfer: { vi: "Chuyển khoản", en: "Bank transfer" },
  c_pay_online: { vi: "Thanh toán trực tuyến", en: "Online payment" },
  c_a_new_due: { vi: "Ngày hẹn trả mới (dd/mm/yyyy)", en: "New due date (dd/mm/yyyy)" },
  c_a_new_due_hint: { vi: "Hoặc để trống và ghi số ngày làm việc gia hạn.", en: "Or leave empty and give the working days." },
  c_a_result_number: { vi: "Số, ký hiệu văn bản kết quả", en: "Result number" },
  c_a_signer: { vi: "Người ký", en: "Signed by" },
  c_a_signed_date: { vi: "Ngày ký (dd/mm/yyyy)", en: "Signed on (dd/mm/yyyy)" },
  c_a_recipient: { vi: "Người nhận kết quả", en: "Recipient" },
  c_a_return_method: { vi: "Hình thức trả", en: "Returned" },
  c_a_tracking: { vi: "Số hiệu bưu gửi", en: "Postal tracking number" },
  act_accept: { vi: "Tiếp nhận", en: "Accept" },
  act_refuse: { vi: "Từ chối tiếp nhận", en: "Refuse" },
  act_assign: { vi: "Phân công xử lý", en: "Assign" },
  act_forward: { vi: "Chuyển bước tiếp theo", en: "Forward" },
  act_send_back: { vi: "Trả lại bước trước", en: "Send back" },
  act_transfer: { vi: "Chuyển liên thông", en: "Transfer" },
  act_recall: { vi: "Thu hồi", en: "Recall" },
  act_request_supplement: { vi: "Yêu cầu bổ sung hồ sơ", en: "Ask for a supplement" },
  act_supply: { vi: "Bổ sung hồ sơ", en: "Supplement received" },
  act_lapse: { vi: "Hết hạn bổ sung", en: "Supplement period over" },
  act_request_payment: { vi: "Yêu cầu nộp phí, lệ phí", en: "Ask for payment" },
  act_confirm_payment: { vi: "Xác nhận đã nộp phí", en: "Confirm payment" },
  act_stop: { vi: "Dừng xử lý", en: "Stop" },
  act_resume: { vi: "Tiếp tục xử lý", en: "Resume" },
  act_withdraw: { vi: "Rút hồ sơ", en: "Withdraw" },
  act_extend: { vi: "Đề nghị gia hạn", en: "Propose an extension" },
  act_approve_extension: { vi: "Phê duyệt gia hạn", en: "Approve the extension" },
  act_finish: { vi: "Hoàn thành xử lý", en: "Finish" },
  act_return: { vi: "Trả kết quả", en: "Return the result" },
  act_submit: { vi: "Nộp trực tuyến", en: "Submitted online" },
  act_receive: { vi: "Tiếp nhận tại quầy", en: "Received at the counter" },
  act_attach: { vi: "Đính kèm tệp", en: "File attached" },
  act_postal: { vi: "Chuyển phát bưu chính", en: "Postal delivery" },
});

// Who may take each action: the roles of the transition table (src/domain/lifecycle.c), to
// offer only the buttons that can work; the server decides (and says why when it refuses).
// Used only when the dossier does not list my_actions itself.
const HANDLERS = ["specialist", "dept_head", "leader", "clerk"];
const ACTION_ROLES = {
  accept: ["receiver"], refuse: ["receiver"],
  assign: ["receiver", ...HANDLERS], forward: ["receiver", ...HANDLERS], send_back: HANDLERS,
  transfer: ["receiver", ...HANDLERS], recall: ["receiver", ...HANDLERS],
  request_supplement: ["receiver", ...HANDLERS], supply: ["receiver"], lapse: ["receiver"],
  request_payment: ["receiver", "cashier", ...HANDLERS], confirm_payment: ["cashier", "receiver"],
  stop: ["leader", "dept_head"], resume: ["leader", "dept_head"], withdraw: ["receiver"],
  extend: [...HANDLERS, "receiver"], approve_extension: ["leader", "dept_head"],
  finish: ["leader", "clerk", "dept_head", "specialist"], return: ["receiver"],
};
// the actions that end or refuse: drawn as the danger button
const DANGER = new Set(["refuse", "stop", "withdraw", "lapse"]);

let flash = null; // what the last action did, shown once on the redrawn page

function actionLabel(a) { return t("act_" + a) !== "act_" + a ? t("act_" + a) : a; }

function myActions(d, ctx) {
  const mine = Array.isArray(d.my_actions) ? d.my_actions
    : (d.allowed_actions || []).filter((a) => (ACTION_ROLES[a] || []).some((r) => ctx.hasRole(r)));
  return mine.filter((a) => applies(a, d));
}

// applies: the action's own conditions that the dossier shows (the server checks them too):
// forward before the last step, finish at it, send back after the first, recall of a
// transfer, approval of a drafted extension
function applies(a, d) {
  const steps = d.steps || [];
  const seq = d.step ? d.step.seq : 0;
  const last = steps.length ? steps[steps.length - 1].seq : 0;
  switch (a) {
    case "forward": return d.state === "accepted" || !seq || seq < last;
    case "finish": return !seq || seq >= last;
    case "send_back": return seq > 1;
    case "recall": return d.state === "returned" || !!(d.step && d.step.transferred && !d.step.assignee);
    case "approve_extension": return !!d.extension_pending;
    default: return true;
  }
}

function person(p) {
  if (!p) return null;
  const idt = p.id_type ? t("id_" + p.id_type) + " " : "";
  return h("span", null, h("strong", null, p.name),
    h("span", { class: "sub" }, [p.id_number ? idt + p.id_number : null, p.birth_date ? t("c_d_birth") + " " + fmtDate(p.birth_date) : null,
      p.phone, p.email, p.address, p.relation].filter(Boolean).join(" · ")));
}

export async function render(page, ctx, code) {
  let d;
  try {
    d = await ctx.api("GET", "/dossiers/" + encodeURIComponent(code));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 403 || e.status === 404)) {
      page.append(h("h1", { tabindex: "-1", "data-testid": "denied" }, t("c_d_denied_title")),
        h("p", { class: "alert", role: "alert" }, t("c_d_denied", { code })),
        h("p", null, h("a", { href: "/console/ho-so" }, t("c_d_back"))));
      return;
    }
    throw e;
  }
  const enc = encodeURIComponent(d.code);
  const [files, due] = await Promise.all([
    ctx.api("GET", `/dossiers/${enc}/files`).catch(() => null),
    ctx.api("GET", `/dossiers/${enc}/due`).catch(() => null),
  ]);
  const u = urgency(d);

  page.append(h("p", { class: "crumbs" }, h("a", { href: "/console/ho-so" }, t("c_d_back"))),
    h("div", { class: "dos-head" },
      h("h1", { tabindex: "-1" }, t("c_d_title", { code: d.code })),
      h("span", { class: "state state-" + d.state, "data-testid": "state" }, stateLabel(d.state, d.state_vi)),
      urgencyFlag(u)));
  if (flash) {
    page.append(h("p", { class: "notice", role: "status", "data-testid": "flash" }, flash));
    flash = null;
  }

  const left = h("div"), right = h("div");
  page.append(h("div", { class: "dos-grid" }, left, right));

  // ---- actions first: they are what the user came for
  right.append(actionsPanel(d, ctx));
  right.append(formsPanel(d));

  // ---- the data
  const out = d.outcome ? t("c_out_" + d.outcome) : null;
  left.append(h("section", { class: "panel", "aria-labelledby": "data-h" }, h("h2", { id: "data-h" }, t("c_d_data")),
    dl([
      [t("c_d_procedure"), d.procedure.name + " (" + d.procedure.code + ", v" + d.procedure.version + ")"],
      [t("c_d_case"), d.procedure.case],
      [t("c_d_channel"), t("ch_" + d.channel)],
      [t("c_d_receiving"), d.receiving_unit && d.receiving_unit.name],
      [t("c_d_competent"), d.competent_unit && d.competent_unit.id !== (d.receiving_unit || {}).id ? d.competent_unit.name : null],
      [t("c_d_applicant"), person(d.applicant)],
      [t("c_d_rep"), person(d.representative)],
      [t("c_d_submitted"), fmtDateTime(d.submitted_at)],
      [t("c_d_received"), fmtDateTime(d.received_at)],
      [t("c_d_due"), d.due_at ? h("strong", { "data-testid": "due" }, fmtDateTime(d.due_at)) : null],
      [t("c_d_holder"), d.step ? d.step.name + " — " + (d.step.unit_name || "") + (d.step.assignee_name ? " — " + d.step.assignee_name : "") : null],
      [t("c_d_supplement"), d.supplement && d.supplement.items ? t("c_d_supplement_text", { n: d.supplement.count, d: fmtDateTime(d.supplement.deadline), items: d.supplement.items.split("\n").join("; ") }) : null],
      [t("c_d_ext"), d.extension_pending ? t("c_d_ext_text", { d: fmtDateTime(d.extension_pending.due_at), r: d.extension_pending.reason || "" }) : null],
      [t("c_d_finished"), fmtDateTime(d.finished_at)],
      [t("c_d_outcome"), out],
      [t("c_d_result"), d.result ? t("c_d_result_text", { n: d.result.number, s: d.result.signer || "—", d: fmtDate(d.result.date) }) : null],
      [t("c_d_returned"), fmtDateTime(d.returned_at)],
      [t("c_d_returned_to"), d.returned_to ? d.returned_to.recipient + " (" + t("c_i_" + d.returned_to.method) + ")" : null],
      [t("c_d_refusal"), d.refusal_reason],
      [t("c_d_delivery"), d.delivery ? t("c_i_" + d.delivery.method) + (d.delivery.address ? ": " + d.delivery.address : "") + (d.delivery.postal_tracking ? " — " + d.delivery.postal_tracking : "") : null],
      [t("c_d_fees"), d.fees ? (d.fees.amount ? fmtMoney(d.fees.amount) : t("fee_free")) + (d.fees.status && d.fees.status !== "none" ? " (" + d.fees.status + ")" : "") : null],
    ])));

  // ---- components and files
  const fileItems = files ? files.items || files : [];
  left.append(h("section", { class: "panel", "aria-labelledby": "comp-h" }, h("h2", { id: "comp-h" }, t("c_d_comps")),
    h("ol", { class: "papers" }, (d.components || []).map((k) => h("li", null, k.name,
      h("span", { class: "sub" }, t("c_d_comp_counts", { o: k.originals, c: k.copies }))))),
    h("h3", null, t("c_d_files")),
    fileItems.length ? h("ul", { class: "forms-list" }, fileItems.map((f) => h("li", null,
      h("a", { href: `/api/v1/dossiers/${enc}/files/${f.sha256}`, download: f.name || f.sha256 }, f.name || f.sha256),
      " ", h("span", { class: "sub" }, [t("c_d_file_kind_" + f.kind) !== "c_d_file_kind_" + f.kind ? t("c_d_file_kind_" + f.kind) : f.kind,
        Math.max(1, Math.round(f.size / 1024)) + " KB", fmtDateTime(f.created_at)].join(" · ")))))
      : h("p", null, t("c_d_files_none")),
    uploadForm(d, ctx)));

  // ---- the steps and their deadlines
  left.append(h("section", { class: "panel", "aria-labelledby": "steps-h" }, h("h2", { id: "steps-h" }, t("c_d_steps")),
    h("div", { class: "table-wrap" }, h("table", { class: "steps-table" },
      h("thead", null, h("tr", null, ["c_d_step", "c_d_step_unit", "c_d_step_who", "c_d_step_start", "c_d_step_due", "c_d_step_end"].map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", null, (d.steps || []).map((s) => {
        const now = d.step && d.step.seq === s.seq;
        // a running step past or near its own deadline, said in words as well as colour
        const su = now && !s.finished_at ? urgency({ state: d.state, due_at: s.due_at }) : "";
        return h("tr", { "aria-current": now ? "step" : null, class: su ? "row-" + su.replace("_", "-") : null },
          h("th", { scope: "row" }, s.seq + ". " + s.name, now ? h("span", { class: "flag flag-online" }, t("c_d_step_now")) : null, urgencyFlag(su)),
          h("td", null, (s.unit_name || "") + " — " + t("role_" + s.role)),
          h("td", null, s.assignee_name || ""),
          h("td", null, fmtDateTime(s.started_at)),
          h("td", null, fmtDateTime(s.due_at)),
          h("td", null, fmtDateTime(s.finished_at), s.outcome ? h("span", { class: "sub" }, t("c_out_" + s.outcome)) : null));
      }))))));

  // ---- why the due date is what it is
  const why = h("section", { class: "panel", "aria-labelledby": "why-h" }, h("h2", { id: "why-h" }, t("c_d_why")));
  if (!due || !d.received_at) {
    why.append(h("p", null, t("c_d_why_none")));
  } else {
    why.append(h("ol", { class: "explain", "data-testid": "explain" }, (due.explain || []).map((x) => h("li", null,
      x.reason || x.kind,
      [x.date ? fmtDate(x.date) : null, x.from ? fmtDateTime(x.from) : null, x.to ? "→ " + fmtDateTime(x.to) : null,
        x.due ? "→ " + fmtDateTime(x.due) : null].filter(Boolean).length
        ? h("span", { class: "sub" }, [x.date ? fmtDate(x.date) : null, x.from ? fmtDateTime(x.from) : null, x.to ? "→ " + fmtDateTime(x.to) : null,
          x.due ? "→ " + fmtDateTime(x.due) : null].filter(Boolean).join(" ")) : null))));
    if (!due.consistent) why.append(h("p", { class: "alert" }, t("c_d_why_inconsistent", { d: fmtDateTime(due.computed_due_at) })));
  }
  if ((d.due_history || []).length) {
    why.append(h("h3", null, t("c_d_due_history")), h("ul", { class: "events" }, d.due_history.map((x) => h("li", null,
      h("span", { class: "when" }, fmtDateTime(x.due_at)), x.reason || "", h("span", { class: "sub" }, [fmtDateTime(x.at), x.by].filter(Boolean).join(" · "))))));
  }
  right.append(why);

  // ---- the event log, newest first
  right.append(h("section", { class: "panel", "aria-labelledby": "ev-h" }, h("h2", { id: "ev-h" }, t("c_d_events")),
    h("ol", { class: "events", reversed: true }, [...(d.events || [])].reverse().map((ev) => h("li", null,
      h("span", { class: "when" }, fmtDateTime(ev.at)), actionLabel(ev.action),
      h("span", { class: "sub" }, [ev.actor, ev.from && ev.to && ev.from !== ev.to ? stateLabel(ev.from) + " → " + stateLabel(ev.to) : stateLabel(ev.to), ev.note]
        .filter(Boolean).join(" · ")))))));
}

// ---- a file from the counter or the desk: a scan of a paper, the result, a supplement
function uploadForm(d, ctx) {
  const file = h("input", { type: "file", accept: "application/pdf,image/jpeg,image/png" });
  const kind = h("select", null, ["component", "result", "supplement"].map((k) =>
    h("option", { value: k, selected: k === (d.state === "processing" && d.step && d.step.role === "leader" ? "result" : "component") }, t("c_d_file_kind_" + k))));
  const send = h("button", { type: "submit", class: "btn btn-small btn-quiet" }, t("c_d_upload"));
  const form = h("form", { class: "upload", novalidate: true, on: { submit: async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const f = file.files[0];
    if (!f) return showError(form, localError("file", t("c_d_upload_pick")));
    busy(send, true);
    try {
      const qs = new URLSearchParams({ kind: kind.value, name: f.name.slice(0, 255) });
      await ctx.api("POST", `/dossiers/${encodeURIComponent(d.code)}/files?${qs}`, f, { type: f.type || "application/octet-stream" });
    } catch (e) {
      busy(send, false);
      showError(form, e);
      return;
    }
    flash = t("c_d_uploaded", { name: f.name });
    ctx.navigate(location.pathname, { replace: true });
  } } },
  h("h3", null, t("c_d_upload_title")),
  h("div", { class: "row" }, field(t("c_d_upload_file"), file, { name: "file" }), field(t("c_d_upload_kind"), kind, { name: "kind" })),
  send);
  return form;
}

// ---- printable forms: links that open the PDF in a new tab (no frames under the CSP)
function formsPanel(d) {
  const enc = encodeURIComponent(d.code);
  const has = {
    receipt: !!d.received_at,
    supplement: !!(d.supplement && d.supplement.items),
    refusal: d.state === "refused",
    apology: !!d.extension_pending || (d.due_history || []).length > 1,
    stop: d.state === "stopped" || d.state === "lapsed",
    control: !!d.received_at,
  };
  const items = Object.keys(has).filter((k) => has[k]);
  return h("section", { class: "panel", "aria-labelledby": "forms-h" }, h("h2", { id: "forms-h" }, t("c_d_forms")),
    items.length ? h("ul", { class: "forms-list" }, items.map((k) => h("li", null,
      h("a", { href: `/api/v1/dossiers/${enc}/forms/${k}.pdf`, target: "_blank", rel: "noopener", "data-form": k }, t("c_form_" + k)),
      " ", h("span", { class: "sub-inline" }, t("c_pdf")))))
      : h("p", null, t("c_d_forms_none")));
}

// ---- the actions: a button each; the button opens its small form below the buttons
function actionsPanel(d, ctx) {
  const mine = myActions(d, ctx);
  const slot = h("div");
  const panel = h("section", { class: "panel actions-box", "aria-labelledby": "act-h" }, h("h2", { id: "act-h" }, t("c_d_actions")));
  if (!mine.length) {
    panel.append(h("p", null, t("c_d_actions_none")));
    return panel;
  }
  const buttons = mine.map((a) => h("button", { type: "button", class: "btn btn-small" + (DANGER.has(a) ? " btn-danger" : ""), "data-action": a,
    "aria-expanded": "false", on: { click: (ev) => open(a, ev.currentTarget) } }, actionLabel(a)));
  panel.append(h("div", { class: "btn-row" }, buttons), slot);
  let units = null;

  async function open(a, btn) {
    for (const b of buttons) b.setAttribute("aria-expanded", b === btn ? "true" : "false");
    if (a === "transfer" && !units) {
      try { units = (await ctx.api("GET", "/public/units")).items || []; } catch (_) { units = []; }
    }
    const form = actionForm(a, d, ctx, units, () => { slot.replaceChildren(); btn.setAttribute("aria-expanded", "false"); btn.focus(); });
    slot.replaceChildren(form);
    const first = form.querySelector("input, select, textarea, button[type=submit]");
    if (first) first.focus();
  }
  return panel;
}

function actionForm(a, d, ctx, units, cancel) {
  const ctl = {}; // name → [control, value(control) → body value]
  const parts = [];
  const add = (label, name, control, opts = {}) => {
    ctl[name] = [control, opts.value || ((c) => c.value.trim())];
    parts.push(field(label, control, { name, required: opts.required, hint: opts.hint }));
  };
  const text = (attrs) => input(Object.assign({ autocomplete: "off" }, attrs));
  const area = () => h("textarea", { rows: "3", maxlength: "2000" });
  switch (a) {
    case "refuse": case "stop":
      add(t("c_a_reason"), "reason", area(), { required: true });
      break;
    case "withdraw": case "send_back":
      add(t("c_a_reason"), "reason", area());
      break;
    case "assign":
      add(t("c_a_assignee"), "assignee", text({ spellcheck: "false", maxlength: "64" }), { required: true });
      add(t("c_a_note"), "note", area());
      break;
    case "transfer":
      add(t("c_a_to_unit"), "to_unit", h("select", null, h("option", { value: "" }, "—"),
        (units || []).filter((u) => u.id !== (d.step || {}).unit).map((u) => h("option", { value: u.code || String(u.id) }, u.name))), { required: true });
      add(t("c_a_days"), "working_days", text({ type: "number", min: "1", max: "2610", inputmode: "numeric" }), { required: true, value: (c) => (c.value ? Number(c.value) : "") });
      add(t("c_a_note"), "note", area());
      break;
    case "request_supplement":
      add(t("c_a_items"), "items", h("textarea", { rows: "4", maxlength: "4000" }), { required: true, value: (c) => c.value.split("\n").map((s) => s.trim()).filter(Boolean) });
      add(t("c_a_period"), "period_days", text({ type: "number", min: "1", max: "90", value: "15", inputmode: "numeric" }), { value: (c) => (c.value ? Number(c.value) : "") });
      add(t("c_a_note"), "note", area());
      break;
    case "request_payment":
      add(t("c_a_amount"), "amount", text({ type: "number", min: "1", inputmode: "numeric", value: d.fees && d.fees.amount ? String(d.fees.amount) : "" }), { required: true, value: (c) => (c.value ? Number(c.value) : "") });
      add(t("c_a_note"), "note", area());
      break;
    case "confirm_payment":
      add(t("c_a_pay_method"), "method", h("select", null, ["cash", "transfer", "online"].map((m) => h("option", { value: m }, t("c_pay_" + m)))));
      break;
    case "extend":
      add(t("c_a_reason"), "reason", area(), { required: true });
      add(t("c_a_new_due"), "new_due", text({ inputmode: "numeric", placeholder: "dd/mm/yyyy", maxlength: "10" }), {
        hint: t("c_a_new_due_hint"),
        value: (c) => {
          const v = parseDate(c.value);
          if (v === null) throw localError("new_due", t("c_v_date"));
          return v ? v + "T17:00:00+07:00" : ""; // the end of that working day
        },
      });
      add(t("c_a_days"), "working_days", text({ type: "number", min: "1", max: "2610", inputmode: "numeric" }), { value: (c) => (c.value ? Number(c.value) : "") });
      break;
    case "finish":
      add(t("c_a_result_number"), "result_number", text({ maxlength: "100" }), { required: true });
      add(t("c_a_signer"), "signer", text({ maxlength: "200" }));
      add(t("c_a_signed_date"), "signed_date", text({ inputmode: "numeric", placeholder: "dd/mm/yyyy", maxlength: "10" }), {
        value: (c) => { const v = parseDate(c.value); if (v === null) throw localError("signed_date", t("c_v_date")); return v; },
      });
      add(t("c_a_note"), "note", area());
      break;
    case "return": {
      const m = h("select", null, ["counter", "postal", "online"].map((x) => h("option", { value: x, selected: d.delivery && d.delivery.method === x }, t("c_i_" + x))));
      add(t("c_a_recipient"), "recipient", text({ maxlength: "200", value: d.applicant ? d.applicant.name : "" }), { required: true });
      add(t("c_a_return_method"), "method", m);
      add(t("c_a_tracking"), "postal_tracking", text({ maxlength: "64", spellcheck: "false" }));
      break;
    }
    default:
      add(t("c_a_note"), "note", area());
  }
  const send = h("button", { type: "submit", class: "btn" + (DANGER.has(a) ? " btn-danger" : "") }, t("c_d_confirm", { a: actionLabel(a) }));
  const form = h("form", { class: "action-form", novalidate: true, "aria-labelledby": "af-h", on: { submit: async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { action: a };
    try {
      for (const [name, [c, val]] of Object.entries(ctl)) {
        const v = val(c);
        if (v !== "" && !(Array.isArray(v) && v.length === 0)) body[name] = v;
      }
    } catch (e) {
      showError(form, e);
      return;
    }
    busy(send, true);
    try {
      await ctx.api("POST", "/dossiers/" + encodeURIComponent(d.code) + "/actions", body);
    } catch (e) {
      busy(send, false);
      showError(form, e);
      // a 409: someone else moved the dossier meanwhile; the page is stale, offer it afresh
      if (e instanceof ApiError && e.status === 409) {
        form.querySelector(".form-alert").after(h("p", null, h("button", { type: "button", class: "btn btn-small btn-quiet",
          on: { click: () => ctx.navigate(location.pathname, { replace: true }) } }, t("c_d_reload"))));
      }
      return;
    }
    flash = t("c_d_done", { a: actionLabel(a) });
    ctx.navigate(location.pathname, { replace: true });
  } } },
  h("h3", { id: "af-h" }, actionLabel(a)),
  parts,
  h("div", { class: "btn-row" }, send, h("button", { type: "button", class: "btn btn-quiet", on: { click: cancel } }, t("c_d_cancel"))));
  form.addEventListener("keydown", (ev) => { if (ev.key === "Escape") cancel(); });
  return form;
}
