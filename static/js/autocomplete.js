// Suggestions under the header search box (WAI-ARIA combobox with a listbox). Progressive
// enhancement: without this file the box is a plain GET form to /search. An ES module, like app.js.

(function () {
  var input = document.getElementById("site-search");
  if (!input || !window.fetch) return;
  var form = input.form;
  var labels = form.dataset; // from the server, translated: data-suggest, data-label-products, -categories, -shops, -count
  var endpoint = labels.suggest;
  var list = document.createElement("ul");
  var status = document.createElement("p");
  var timer = null;
  var controller = null;
  var items = [];
  var active = -1;
  var groups = { products: labels.labelProducts, categories: labels.labelCategories, shops: labels.labelShops };

  list.id = "site-search-suggestions";
  list.className = "autocomplete-list";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.classList.add("has-autocomplete");
  form.appendChild(list);
  form.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("autocomplete", "off");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  function close() {
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    items.forEach(function (item, n) { item.setAttribute("aria-selected", String(n === index)); });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function render(data) {
    close();
    ["products", "categories", "shops"].forEach(function (key) {
      (data[key] || []).forEach(function (entry, n) {
        var option = document.createElement("li");
        option.id = "suggestion-" + key + "-" + n;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = entry.url;
        option.dir = "auto";
        var text = document.createElement("span");
        // the English locale shows a product's English title and a category's English name when there is one
        var english = document.documentElement.lang === "en";
        text.textContent = (english && (entry.title_en || entry.name_en)) || entry.title || entry.name;
        var kind = document.createElement("span");
        kind.className = "autocomplete-kind";
        kind.textContent = groups[key];
        option.appendChild(text);
        option.appendChild(kind);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the box until we navigate
          window.location.href = entry.url;
        });
        list.appendChild(option);
        items.push(option);
      });
    });
    if (!items.length) {
      status.textContent = "";
      return;
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    var count = items.length.toLocaleString(document.documentElement.lang || "fa");
    status.textContent = labels.labelCount.replace("{count}", count);
  }

  function fetchSuggestions() {
    var text = input.value.trim();
    if (text.length < 2) { close(); return; }
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch(endpoint + "?q=" + encodeURIComponent(text), {
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && input.value.trim() === text) render(data); })
      .catch(function () { /* offline or aborted: the form still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 180);
  });

  input.addEventListener("keydown", function (event) {
    if (list.hidden && event.key !== "ArrowDown") return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (list.hidden) { fetchSuggestions(); return; }
      highlight(active + 1 >= items.length ? 0 : active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = items[active].dataset.url;
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });

  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
