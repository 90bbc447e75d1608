// The search page: a new order applies as soon as it is chosen. Progressive enhancement: without
// this module the "Sort" button beside the list applies it.
for (const select of document.querySelectorAll("select[data-submit-on-change]")) {
  const form = select.form;
  if (!form) continue;
  for (const button of form.querySelectorAll("[data-without-script]")) button.hidden = true;
  select.addEventListener("change", () => form.requestSubmit());
}
