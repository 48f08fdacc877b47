// ui.js: the console's shared pieces, for every console page (app.js, the work pages, and
// the reports and administration modules): labelled fields whose server errors show next
// to them, error boxes, fact lists, busy buttons. Text only ever as text nodes (lib.js h()).
import { ApiError, h, t } from "/assets/js/lib.js";

// parseDate lives in lib.js (the statistics page needs it too); its users here import it from ui.js
export { parseDate } from "/assets/js/lib.js";

let uid = 0;

export function input(attrs) { return h("input", Object.assign({ type: "text" }, attrs)); }

// field: a labelled control; opts.name is the API's field path ("applicant.id_number"), so
// showError() finds the control the server names in error.field.
export function field(label, control, opts = {}) {
  const id = control.id || "c" + ++uid;
  control.id = id;
  const errId = id + "-err";
  const hintId = opts.hint ? id + "-hint" : null;
  if (opts.name) control.dataset.field = opts.name;
  if (opts.required) control.required = true;
  control.setAttribute("aria-describedby", [hintId, errId].filter(Boolean).join(" "));
  // an error is about what was typed: it goes once the user changes it
  const clear = () => clearFieldError(control);
  control.addEventListener("input", clear);
  control.addEventListener("change", clear);
  return h("div", { class: "field" + (opts.class ? " " + opts.class : "") },
    h("label", { for: id }, label, opts.required ? h("span", { class: "req" }, " " + t("required_mark")) : null),
    opts.hint ? h("p", { class: "hint", id: hintId }, opts.hint) : null,
    control,
    h("p", { class: "field-err", id: errId, hidden: true }),
    opts.after || null);
}

export function setFieldError(control, msg) {
  const p = document.getElementById(control.id + "-err");
  if (!p) return;
  p.textContent = msg;
  p.hidden = false;
  control.setAttribute("aria-invalid", "true");
}

export function clearFieldError(control) {
  const p = document.getElementById(control.id + "-err");
  if (p && !p.hidden) { p.hidden = true; p.textContent = ""; }
  control.removeAttribute("aria-invalid");
}

export function clearErrors(form) {
  for (const p of form.querySelectorAll(".field-err")) { p.hidden = true; p.textContent = ""; }
  for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
  for (const top of form.querySelectorAll(".form-alert")) top.remove();
}

export function errorText(e) {
  return e instanceof ApiError ? e.text() : t("err_generic");
}

export function errorBox(e) {
  return h("p", { class: "alert", role: "alert" }, errorText(e));
}

// showError: the server's message next to its field (what was typed stays), or on top of
// the form when no field of the form has that name.
export function showError(form, e) {
  clearErrors(form);
  const ctl = e instanceof ApiError && e.field ? form.querySelector(`[data-field="${CSS.escape(e.field)}"]`) : null;
  if (ctl) {
    setFieldError(ctl, e.text());
    form.prepend(h("p", { class: "alert form-alert", role: "alert" }, t("err_fix")));
    ctl.focus();
    return;
  }
  const box = errorBox(e);
  box.classList.add("form-alert");
  form.prepend(box);
  box.tabIndex = -1;
  box.focus();
}

// localError: an ApiError made in the browser (a check before sending), shown the same way
export function localError(fieldName, msg) {
  return new ApiError(400, { error: { code: "validation", field: fieldName, message_vi: msg, message: msg } });
}

export function dl(rows) {
  return h("dl", { class: "facts" }, rows.filter((r) => r[1] !== null && r[1] !== undefined && r[1] !== "")
    .map(([k, v]) => [h("dt", null, k), h("dd", null, v)]));
}

export function busy(btn, on, text) {
  btn.disabled = on;
  if (on) { btn.dataset.label = btn.textContent; btn.textContent = text || t("c_working"); }
  else if (btn.dataset.label) btn.textContent = btn.dataset.label;
}

// fold: lower case without Vietnamese diacritics (đ as d), for matching what is typed
export function fold(s) {
  return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase();
}
