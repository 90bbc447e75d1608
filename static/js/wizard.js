// The shop builder (templates/shops/wizard/): the name step's live address and "taken" check, the
// colours step's pickers and preview. Progressive enhancement, an ES module like app.js; loaded by
// the wizard's pages only.

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
