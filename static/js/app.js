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

// Shop name: live address preview and "already taken" check while she types.
var nameForm = document.querySelector("form[data-name-check]");
if (nameForm) {
  var nameInput = nameForm.querySelector("#name");
  var slugValue = nameForm.querySelector(".slug-value");
  var nameStatus = nameForm.querySelector(".name-status");
  var timer = null;
  var check = function () {
    var url = nameForm.dataset.nameCheck + "?name=" + encodeURIComponent(nameInput.value);
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      slugValue.textContent = location.host + "/shop/" + data.slug;
      nameStatus.textContent = nameInput.value ? (data.ok ? "✓" : data.message) : "";
      nameStatus.className = "name-status " + (data.ok ? "free" : "taken");
    }).catch(function () {});
  };
  nameInput.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 300); });
  // Tapping an idea fills the field here instead of sending the form.
  nameForm.querySelectorAll("button[name=idea]").forEach(function (chip) {
    chip.addEventListener("click", function (event) {
      event.preventDefault();
      nameInput.value = chip.value;
      nameInput.focus();
      check();
    });
  });
}

// Colours: the preview card follows the four colour fields.
var COLOUR_FIELDS = ["primary", "accent", "background", "text"];
var HEX = /^#[0-9a-f]{6}$/i;
function paintPreview() {
  var preview = document.querySelector(".palette-preview");
  if (!preview) return;
  var colours = COLOUR_FIELDS.map(function (name) {
    var input = document.getElementById(name);
    return input ? input.value.trim() : "";
  });
  if (!colours.every(function (colour) { return HEX.test(colour); })) return;
  var rects = preview.querySelectorAll("rect");
  rects[0].setAttribute("fill", colours[2]);
  rects[1].setAttribute("fill", colours[0]);
  rects[2].setAttribute("fill", colours[1]);
  preview.querySelectorAll("text")[0].setAttribute("fill", colours[3]);
}

// A colour picker beside each hex code: both show the same colour, and using one means "my own colours".
document.querySelectorAll("input.colour-picker").forEach(function (picker) {
  var text = document.getElementById(picker.dataset.for);
  if (!text) return;
  picker.hidden = false;
  var custom = document.querySelector("input[name=choice][value=custom]");
  text.addEventListener("input", function () {
    if (HEX.test(text.value.trim())) picker.value = text.value.trim().toLowerCase();
    if (custom) custom.checked = true;
    paintPreview();
  });
  picker.addEventListener("input", function () {
    text.value = picker.value;
    if (custom) custom.checked = true;
    paintPreview();
  });
});

// Choosing a ready palette fills the four colour fields (and their pickers).
document.querySelectorAll("input[name=choice][data-colours]").forEach(function (radio) {
  radio.addEventListener("change", function () {
    var colours = radio.dataset.colours.split(" ");
    COLOUR_FIELDS.forEach(function (name, i) {
      var input = document.getElementById(name);
      if (!input) return;
      input.value = colours[i];
      var picker = document.querySelector("input.colour-picker[data-for=" + name + "]");
      if (picker) picker.value = colours[i];
    });
    paintPreview();
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
