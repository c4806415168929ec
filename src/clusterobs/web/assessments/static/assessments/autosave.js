/* Self-assessment steps: keep what is typed in this browser (localStorage) and save it in the background.
   Progressive enhancement: the form posts and works without this script. */
(function () {
  "use strict";
  var T = window.CLUSTEROBS_AUTOSAVE || {};
  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }
  var key = "clusterobs-assessment:" + window.location.pathname;
  var status = form.querySelector(".autosave-status");
  var timer = null;

  function values() {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "action") { return; }
      if (el.type === "radio") { if (el.checked) { out[el.name] = el.value; } }
      else if (el.tagName === "TEXTAREA" || el.type === "text") { out[el.name] = el.value; }
    });
    return out;
  }

  function store() {
    try { window.localStorage.setItem(key, JSON.stringify(values())); } catch (e) { /* private mode: skip */ }
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved) { return; }
    var restored = false;
    Object.keys(saved).forEach(function (name) {
      var els = form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']");
      if (!els.length) { return; }
      if (els[0].type === "radio") {
        var any = Array.prototype.some.call(els, function (el) { return el.checked; });
        if (!any) {
          Array.prototype.forEach.call(els, function (el) { if (el.value === saved[name]) { el.checked = true; restored = true; } });
        }
      } else if (!els[0].value && saved[name]) { els[0].value = saved[name]; restored = true; }
    });
    if (restored && status) { status.textContent = T.restored || "Restored"; }
    if (restored) { schedule(); }
  }

  function save() {
    var data = new FormData();
    var vals = values();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    Object.keys(vals).forEach(function (k) { data.append(k, vals[k]); });
    return window.fetch(form.dataset.autosave, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (body) {
        var clean = !body.errors || !Object.keys(body.errors).length;
        if (clean) { try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ } }
        if (status) { status.textContent = clean ? (T.saved || "Saved") : (T.failed || "Not saved"); }
      })
      .catch(function () { if (status) { status.textContent = T.failed || "Not saved"; } });
  }

  function schedule() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(save, 800);
  }

  form.addEventListener("input", function () { store(); schedule(); });
  form.addEventListener("change", function () { store(); schedule(); });
  window.addEventListener("pagehide", function () {
    store();
    if (navigator.sendBeacon) {
      var data = new FormData(form);
      data.delete("action");
      navigator.sendBeacon(form.dataset.autosave, data);
    }
  });
  restore();
})();
