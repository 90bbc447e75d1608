// Progressive enhancement only: every page works without this file.
// Loaded as an ES module (<script type="module">): strict, deferred, and its top-level names stay
// in the module instead of becoming window properties (a global `status` once was window.status,
// a string, and the "name taken" message never showed).

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

// Copy buttons (bio, share link); on phones with the share sheet, share the link instead.
document.querySelectorAll(".copy-button").forEach(function (button) {
  var target = document.getElementById(button.dataset.copy);
  if (!target) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    if (button.dataset.shareTitle && navigator.share) {
      navigator.share({ title: button.dataset.shareTitle, url: target.value }).catch(function () {});
      return;
    }
    target.select();
    var done = function () { button.textContent = button.dataset.done; };
    if (navigator.clipboard) {
      navigator.clipboard.writeText(target.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
});

// File buttons: say what she chose (the browser's own control is hidden behind the large button).
document.querySelectorAll("input.file-input").forEach(function (input) {
  var chosen = document.getElementById(input.id + "-chosen");
  if (!chosen) return;
  input.addEventListener("change", function () {
    var count = input.files.length;
    if (count === 1) chosen.textContent = input.files[0].name;
    else chosen.textContent = count ? chosen.dataset.many.replace("{count}", count.toLocaleString(document.documentElement.lang || "fa")) : "";
  });
});

// Photos: show each photo's dominant colour while it loads (set through CSSOM: the CSP forbids style attributes).
document.querySelectorAll("[data-placeholder]").forEach(function (frame) {
  if (/^#[0-9a-f]{6}$/i.test(frame.dataset.placeholder)) frame.style.backgroundColor = frame.dataset.placeholder;
});
