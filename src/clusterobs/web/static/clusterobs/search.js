/* Region search boxes (input[data-suggest]): suggestions as one types, from the site's own /api/places, as an
   ARIA 1.2 combobox: arrows move through the list, Enter or a click opens the region, Escape closes the list; with
   no suggestion chosen, Enter submits the form to the search page. */
(function () {
  "use strict";
  var T = window.CLUSTEROBS_I18N || {};

  function setup(input) {
    var box = input.parentNode;
    var id = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = id;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", T.suggestions || "Suggestions");
    list.hidden = true;
    box.appendChild(list);
    var status = document.createElement("span");
    status.className = "sr-only";
    status.setAttribute("role", "status");
    box.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    var items = [], active = -1, timer = null, asked = "", seq = 0;

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function open() {
      if (!items.length) { return; }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function highlight(i) {
      var options = list.querySelectorAll("[role=option]");
      active = i;
      for (var k = 0; k < options.length; k++) { options[k].setAttribute("aria-selected", k === i ? "true" : "false"); }
      if (options[i]) {
        input.setAttribute("aria-activedescendant", options[i].id);
        if (options[i].scrollIntoView) { options[i].scrollIntoView({ block: "nearest" }); }
      }
    }
    function go(i) {
      if (items[i] && typeof items[i].url === "string" && items[i].url.charAt(0) === "/") {
        window.location.href = items[i].url;
      }
    }
    function render(results) {
      list.textContent = "";
      items = results;
      results.forEach(function (r, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-code", r.code);
        var name = document.createElement("span");
        name.className = "name";
        name.textContent = r.name + " (" + r.code + ")";
        var why = document.createElement("span");
        why.className = "why";
        why.textContent = r.why;
        li.appendChild(name);
        li.appendChild(why);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); go(i); });
        list.appendChild(li);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (results.length) {
        open();
        status.textContent = (T.suggestionsCount || "%(n)s suggestions").replace("%(n)s", results.length);
      } else {
        close();
        status.textContent = T.noSuggestion || "";
      }
    }
    function ask() {
      var q = input.value.trim();
      if (q === asked) { open(); return; }
      asked = q;
      if (!q) { items = []; close(); return; }
      var mine = ++seq;
      var lang = document.documentElement.lang || "en";
      fetch(input.getAttribute("data-suggest") + "?limit=8&lang=" + encodeURIComponent(lang) + "&q=" +
            encodeURIComponent(q), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          if (mine === seq && input.value.trim() === q) { render(data.results || []); }
        })
        .catch(function () { /* no suggestions: the form still searches */ });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (list.hidden) { open(); }
        if (items.length) { highlight(Math.min(active + 1, items.length - 1)); }
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        if (items.length) { highlight(Math.max(active - 1, 0)); }
      } else if (e.key === "Enter" && !list.hidden && active >= 0) {
        e.preventDefault();
        go(active);
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  var inputs = document.querySelectorAll("input[data-suggest]");
  for (var i = 0; i < inputs.length; i++) { setup(inputs[i]); }
})();
