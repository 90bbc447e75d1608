// Progressive enhancement only: every page works without this file.
"use strict";

// "Show"/"Hide" buttons beside password fields.
document.querySelectorAll(".show-password").forEach(function (button) {
  var input = button.parentElement.querySelector("input");
  if (!input) return;
  button.hidden = false;
  button.setAttribute("aria-pressed", "false");
  button.addEventListener("click", function () {
    var showing = input.type === "text";
    input.type = showing ? "password" : "text";
    button.textContent = showing ? button.dataset.show : button.dataset.hide;
    button.setAttribute("aria-pressed", String(!showing));
  });
});

// Close the account menu when clicking elsewhere.
document.addEventListener("click", function (event) {
  document.querySelectorAll("details.account-menu[open]").forEach(function (menu) {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});

// Move focus to the error summary so screen readers announce it.
var summary = document.querySelector(".error-summary");
if (summary) summary.focus();
