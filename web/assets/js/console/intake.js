// intake.js: the counter intake screen (/console/tiep-nhan). Being built.
import { h, t } from "/assets/js/lib.js";

export async function render(page) {
  page.append(h("h1", { tabindex: "-1" }, t("c_nav_intake")), h("p", { class: "notice" }, t("c_building")));
}
