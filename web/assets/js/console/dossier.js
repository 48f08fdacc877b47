// dossier.js: one dossier (/console/ho-so/{code}). Being built.
import { h } from "/assets/js/lib.js";

export async function render(page, ctx, code) {
  const d = await ctx.api("GET", "/dossiers/" + encodeURIComponent(code));
  page.append(h("h1", { tabindex: "-1" }, d.code), h("p", null, d.procedure.name));
}
